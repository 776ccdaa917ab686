/**
 * HTTP API route selection through the real `portico up`: the most specific route wins — exact path over
 * `{param}` over `{proxy+}`, a method-specific route over ANY — and the `$default` route takes what nothing else
 * matches. One echo function serves every route; the event's routeKey tells which route matched.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPortico, type RunningPortico } from '../helpers/portico.js';
import { fixture, json, send } from './gateway-helpers.js';

let portico: RunningPortico;
let gw: string;

before(async () => {
  portico = await startPortico(fixture('gw-routes'));
  gw = portico.gateway;
});

after(async () => {
  await portico?.stop();
});

async function routed(method: string, path: string): Promise<Record<string, unknown>> {
  const reply = await send(gw, path, { method });
  assert.equal(reply.status, 200, `${method} ${path}: ${reply.text}`);
  return json(reply);
}

const ROWS: Array<[method: string, path: string, routeKey: string, pathParameters: Record<string, string> | undefined]> = [
  // exact over {param} over {proxy+}
  ['GET', '/pets/dog', 'GET /pets/dog', undefined],
  ['GET', '/pets/cat', 'GET /pets/{name}', { name: 'cat' }],
  ['GET', '/pets/cat/toys', 'ANY /pets/{proxy+}', { proxy: 'cat/toys' }],
  ['GET', '/pets/dog/toys', 'ANY /pets/{proxy+}', { proxy: 'dog/toys' }],
  // a path that matches a GET-only route with another method falls to the less specific ANY route
  ['POST', '/pets/dog', 'ANY /pets/{proxy+}', { proxy: 'dog' }],
  ['DELETE', '/pets/cat', 'ANY /pets/{proxy+}', { proxy: 'cat' }],
  // method-specific over ANY on the same path
  ['GET', '/things/7', 'GET /things/{id}', { id: '7' }],
  ['DELETE', '/things/7', 'ANY /things/{id}', { id: '7' }],
  ['PUT', '/things/7', 'ANY /things/{id}', { id: '7' }],
  // everything else: $default
  ['GET', '/elsewhere', '$default', undefined],
  ['POST', '/things/7/parts', '$default', undefined],
  ['GET', '/pets', '$default', undefined],
  ['GET', '/', '$default', undefined],
];

for (const [method, path, routeKey, pathParameters] of ROWS) {
  test(`${method} ${path} → ${routeKey}`, async () => {
    const event = await routed(method, path);
    assert.equal(event.routeKey, routeKey);
    assert.equal((event.requestContext as Record<string, unknown>).routeKey, routeKey);
    assert.equal(event.rawPath, path);
    if (pathParameters === undefined) assert.equal('pathParameters' in event, false, JSON.stringify(event.pathParameters));
    else assert.deepEqual(event.pathParameters, pathParameters);
  });
}

test('the $default route receives the request as sent (method, path, query)', async () => {
  const reply = await send(gw, '/some/where/else?k=v&k=w', { method: 'PATCH', headers: [['Content-Type', 'text/plain']], body: 'hi' });
  assert.equal(reply.status, 200, reply.text);
  const event = json(reply);
  assert.equal(event.routeKey, '$default');
  assert.equal(event.rawPath, '/some/where/else');
  assert.equal(event.rawQueryString, 'k=v&k=w');
  assert.deepEqual(event.queryStringParameters, { k: 'v,w' });
  assert.equal(event.body, 'hi');
  assert.equal(((event.requestContext as Record<string, unknown>).http as Record<string, unknown>).method, 'PATCH');
});
