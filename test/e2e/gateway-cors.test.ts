/**
 * CORS through the real `portico up` (fixture gw-cors): an HTTP API with a CorsConfiguration answers preflights
 * itself and replaces the function's CORS headers; a REST API with SAM `Cors` answers OPTIONS with SAM's mock while
 * its proxy responses stay the function's own; an API without CORS is untouched.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPortico, type RunningPortico } from '../helpers/portico.js';
import { fixture, headerLines, json, send, type Reply } from './gateway-helpers.js';

const ORIGIN = 'https://app.example.com';
let portico: RunningPortico;
let gw: string;

before(async () => {
  portico = await startPortico(fixture('gw-cors'));
  gw = portico.gateway;
});

after(async () => {
  await portico?.stop();
});

const preflight = (path: string, origin = ORIGIN): Promise<Reply> =>
  send(gw, path, { method: 'OPTIONS', headers: [['Origin', origin], ['Access-Control-Request-Method', 'POST']] });

/** Every `access-control-*` header of a reply, by lower-case name. */
function corsHeaders(reply: Reply): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.headers)) if (name.startsWith('access-control-')) out[name] = String(value);
  return out;
}

test('HTTP API: a preflight with no OPTIONS route is answered 204 with the configured headers', async () => {
  const reply = await preflight('/items');
  assert.equal(reply.status, 204);
  assert.equal(reply.text, '');
  assert.deepEqual(corsHeaders(reply), {
    'access-control-allow-origin': ORIGIN,
    'access-control-allow-credentials': 'true',
    'access-control-allow-headers': 'content-type,x-custom',
    'access-control-allow-methods': 'GET,POST',
    'access-control-max-age': '600',
  });
  assert.ok(reply.headers['apigw-requestid']);
});

test('HTTP API: a preflight to a path with no route at all is answered too', async () => {
  const reply = await preflight('/nowhere/at/all');
  assert.equal(reply.status, 204);
  assert.equal(reply.headers['access-control-allow-origin'], ORIGIN);
});

test('HTTP API: a preflight from an origin not allowed gets 204 without CORS headers', async () => {
  const reply = await preflight('/items', 'https://evil.example.net');
  assert.equal(reply.status, 204);
  assert.deepEqual(corsHeaders(reply), {});
});

test('HTTP API: OPTIONS without Origin and Access-Control-Request-Method is no preflight (404)', async () => {
  const reply = await send(gw, '/items', { method: 'OPTIONS', headers: [['Origin', ORIGIN]] });
  assert.equal(reply.status, 404);
  assert.deepEqual(corsHeaders(reply), {});
});

test('HTTP API: an explicit OPTIONS route takes the preflight, with the configured headers on its response', async () => {
  const reply = await preflight('/explicit');
  assert.equal(reply.status, 200);
  assert.deepEqual(json(reply), { route: 'OPTIONS /explicit', method: 'OPTIONS' });
  assert.deepEqual(corsHeaders(reply), {
    'access-control-allow-origin': ORIGIN,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': 'x-request-cost',
  });
});

test("HTTP API: an actual request's response has the configured CORS headers instead of the function's", async () => {
  const reply = await send(gw, '/items', { headers: [['Origin', ORIGIN]] });
  assert.equal(reply.status, 200);
  assert.deepEqual(json(reply), { route: 'GET /items', method: 'GET' });
  assert.deepEqual(corsHeaders(reply), {
    'access-control-allow-origin': ORIGIN,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': 'x-request-cost',
  });
  assert.deepEqual(headerLines(reply, 'access-control-allow-origin'), [ORIGIN]);
  assert.equal(reply.headers['x-request-cost'], '3');
});

test("HTTP API: without Origin, or from another origin, the response has no CORS headers (the function's are dropped)", async () => {
  for (const headers of [[], [['Origin', 'https://evil.example.net']]] as Array<Array<[string, string]>>) {
    const reply = await send(gw, '/items', { headers });
    assert.equal(reply.status, 200);
    assert.deepEqual(corsHeaders(reply), {}, JSON.stringify(headers));
  }
});

test("HTTP API without CORS: the function's headers pass through and preflights are not answered", async () => {
  const reply = await send(gw, '/plain/items', { headers: [['Origin', ORIGIN]] });
  assert.equal(reply.status, 200);
  assert.deepEqual(corsHeaders(reply), { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'DELETE' });
  assert.equal((await preflight('/plain/items')).status, 404);
});

test("REST API: OPTIONS is answered by SAM's mock with 200, the path's methods and the configured headers", async () => {
  const reply = await preflight('/Prod/items');
  assert.equal(reply.status, 200);
  assert.equal(reply.headers['content-type'], 'application/json');
  assert.deepEqual(corsHeaders(reply), {
    'access-control-allow-origin': ORIGIN,
    'access-control-allow-headers': 'content-type,x-custom',
    'access-control-allow-methods': 'GET,OPTIONS,POST',
    'access-control-max-age': '300',
  });
  assert.ok(reply.headers['x-amzn-requestid']);
});

test('REST API: the mock answers whatever the origin, and lists every method for an ANY path', async () => {
  const reply = await preflight('/Prod/things', 'https://evil.example.net');
  assert.equal(reply.status, 200);
  assert.equal(reply.headers['access-control-allow-origin'], ORIGIN);
  assert.equal(reply.headers['access-control-allow-methods'], 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT');
});

test("REST API: GET and ANY responses are the function's own; unknown paths still 403", async () => {
  for (const [method, path] of [['GET', '/Prod/items'], ['DELETE', '/Prod/things']] as const) {
    const reply = await send(gw, path, { method, headers: [['Origin', ORIGIN]] });
    assert.equal(reply.status, 200, `${method} ${path}: ${reply.text}`);
    assert.deepEqual(corsHeaders(reply), { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'DELETE' });
  }
  assert.equal((await preflight('/Prod/nowhere')).status, 403);
});
