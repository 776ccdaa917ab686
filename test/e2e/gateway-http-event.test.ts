/**
 * HTTP API Lambda proxy event (payload 2.0) and response inference through the real `portico up`
 * (aws-behaviour.md §3). The echo function returns its event as the body; the mirror function returns
 * `JSON.parse(event.body)`.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPortico, type RunningPortico } from '../helpers/portico.js';
import { apiId, fixture, headerLines, json, send, sendRaw, type Reply } from './gateway-helpers.js';

const TRACE = 'Root=1-5e5ff3c5-0123456789abcdef01234567';
const SHORT_ID = /^[A-Za-z0-9_-]{15}=$/;
const CLF = /^\d{2}\/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/;

type Json = Record<string, unknown>;

let portico: RunningPortico;
let gw: string;
let port: string;
let httpId: string;
let legacyId: string;
let betaId: string;

before(async () => {
  portico = await startPortico(fixture('gw-http'));
  gw = portico.gateway;
  port = new URL(gw).port;
  httpId = apiId(portico.output(), 'ServerlessHttpApi');
  legacyId = apiId(portico.output(), 'LegacyApi');
  betaId = apiId(portico.output(), 'BetaApi');
});

after(async () => {
  await portico?.stop();
});

async function echo(path: string, options: Parameters<typeof send>[2] = {}): Promise<{ reply: Reply; event: Json }> {
  const reply = await send(gw, path, options);
  assert.equal(reply.status, 200, reply.text);
  return { reply, event: json(reply) };
}

test('GET /items/{id}: routeKey, raw path and query, comma-joined repeats, lower-case headers, cookies, no body', async () => {
  const before = Date.now();
  const { reply, event } = await echo('/items/42?a=1&a=2&b=x%20y', {
    headers: [
      ['X-Custom', 'One'],
      ['Cookie', 'c1=v1; c2=v2'],
      ['X-Dup', 'a'],
      ['X-Dup', 'b'],
      ['Cookie', 'c3=v3'],
      ['User-Agent', 'probe/2.0'],
      ['X-Amzn-Trace-Id', TRACE],
    ],
  });
  assert.deepEqual(Object.keys(event).sort(), [
    'cookies',
    'headers',
    'isBase64Encoded',
    'pathParameters',
    'queryStringParameters',
    'rawPath',
    'rawQueryString',
    'requestContext',
    'routeKey',
    'version',
  ]);
  assert.equal(event.version, '2.0');
  assert.equal(event.routeKey, 'GET /items/{id}');
  assert.equal(event.rawPath, '/items/42');
  assert.equal(event.rawQueryString, 'a=1&a=2&b=x%20y');
  assert.deepEqual(event.queryStringParameters, { a: '1,2', b: 'x y' });
  assert.deepEqual(event.cookies, ['c1=v1', 'c2=v2', 'c3=v3']);
  assert.deepEqual(event.headers, {
    host: `127.0.0.1:${port}`,
    'user-agent': 'probe/2.0',
    'x-amzn-trace-id': TRACE,
    'x-custom': 'One',
    'x-dup': 'a,b',
    'x-forwarded-for': '127.0.0.1',
    'x-forwarded-port': port,
    'x-forwarded-proto': 'http',
  });
  assert.deepEqual(event.pathParameters, { id: '42' });
  assert.equal(event.isBase64Encoded, false);

  const ctx = event.requestContext as Json;
  assert.deepEqual(Object.keys(ctx).sort(), ['accountId', 'apiId', 'domainName', 'domainPrefix', 'http', 'requestId', 'routeKey', 'stage', 'time', 'timeEpoch']);
  assert.deepEqual(ctx.http, { method: 'GET', path: '/items/42', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'probe/2.0' });
  assert.equal(ctx.routeKey, 'GET /items/{id}');
  assert.equal(ctx.stage, '$default');
  assert.equal(ctx.apiId, httpId);
  assert.equal(ctx.domainPrefix, httpId);
  assert.match(String(ctx.requestId), SHORT_ID);
  assert.equal(ctx.requestId, reply.headers['apigw-requestid']);
  assert.match(String(ctx.time), CLF);
  assert.equal(typeof ctx.timeEpoch, 'number');
  const epoch = ctx.timeEpoch as number;
  assert.ok(epoch >= before - 1000 && epoch <= Date.now() + 1000, `timeEpoch ${epoch} is not near ${before}`);
});

test('{proxy+}: the rest of the path, any method; keys without data are omitted', async () => {
  const { event } = await echo('/files/a/b/c.txt');
  assert.equal(event.routeKey, 'ANY /files/{proxy+}');
  assert.deepEqual(event.pathParameters, { proxy: 'a/b/c.txt' });
  assert.equal(event.rawQueryString, '');
  for (const absent of ['queryStringParameters', 'cookies', 'body', 'stageVariables']) {
    assert.equal(absent in event, false, `${absent} should be omitted`);
  }

  const { event: deleted } = await echo('/files/x', { method: 'DELETE' });
  assert.equal(deleted.routeKey, 'ANY /files/{proxy+}');
  assert.equal((deleted.requestContext as Json & { http: Json }).http.method, 'DELETE');
  assert.deepEqual(deleted.pathParameters, { proxy: 'x' });
});

test('POST: a JSON body as text, a binary body base64-encoded', async () => {
  const body = '{"name": "ada", "n": 1.50}';
  const { event } = await echo('/submit', { method: 'POST', headers: [['Content-Type', 'application/json']], body });
  assert.equal(event.body, body);
  assert.equal(event.isBase64Encoded, false);
  assert.equal((event.headers as Json)['content-type'], 'application/json');

  const bytes = Buffer.from([0, 1, 2, 0xff]);
  const { event: binary } = await echo('/submit', { method: 'POST', headers: [['Content-Type', 'application/octet-stream']], body: bytes });
  assert.equal(binary.isBase64Encoded, true);
  assert.equal(binary.body, bytes.toString('base64'));
});

/** Makes the function return `result`. */
function mirror(result: unknown): Promise<Reply> {
  return send(gw, '/mirror', { method: 'POST', headers: [['Content-Type', 'application/json']], body: JSON.stringify(result) });
}

test('response inference: a plain object → 200 JSON body; a string → that text; a list → its JSON', async () => {
  const object = await mirror({ hello: 'world' });
  assert.equal(object.status, 200);
  assert.equal(object.headers['content-type'], 'application/json');
  assert.equal(object.text, '{"hello":"world"}');
  assert.match(String(object.headers['apigw-requestid']), SHORT_ID);

  const text = await mirror('Hello from Lambda!');
  assert.equal(text.status, 200);
  assert.equal(text.text, 'Hello from Lambda!');

  const list = await mirror(['hello', 3, true]);
  assert.equal(list.status, 200);
  assert.equal(list.text, '["hello",3,true]');
});

test('structured response: status, headers, one set-cookie line per cookie, default Content-Type', async () => {
  const reply = await mirror({ statusCode: 201, cookies: ['a=1; Path=/', 'b=2; HttpOnly'], headers: { 'x-h': 'v' }, body: 'made' });
  assert.equal(reply.status, 201);
  assert.equal(reply.text, 'made');
  assert.deepEqual(reply.headers['set-cookie'], ['a=1; Path=/', 'b=2; HttpOnly']);
  assert.deepEqual(headerLines(reply, 'set-cookie'), ['a=1; Path=/', 'b=2; HttpOnly']);
  assert.deepEqual(headerLines(reply, 'x-h'), ['v']);

  const plain = await mirror({ statusCode: 200, body: 'body123' });
  assert.equal(plain.text, 'body123');
  assert.equal(plain.headers['content-type'], 'application/json');

  const decoded = await mirror({ statusCode: 200, body: 'AAEC/w==', isBase64Encoded: true });
  assert.deepEqual([...decoded.body], [0, 1, 2, 255]);
});

test('PayloadFormatVersion 1.0 on an explicit HttpApi: the event is format 1.0 with version "1.0"', async () => {
  const { reply, event } = await echo('/legacy/old?x=1&x=2');
  assert.equal(event.version, '1.0');
  assert.equal(event.resource, '/old');
  assert.equal(event.httpMethod, 'GET');
  assert.deepEqual(event.queryStringParameters, { x: '2' });
  assert.deepEqual(event.multiValueQueryStringParameters, { x: ['1', '2'] });
  assert.equal(event.pathParameters, null);
  assert.equal(event.body, null);
  assert.equal(event.isBase64Encoded, false);
  assert.equal('routeKey' in event, false);
  assert.equal('rawPath' in event, false);
  const ctx = event.requestContext as Json;
  assert.equal(ctx.stage, 'legacy');
  assert.equal(ctx.apiId, legacyId);
  assert.equal((ctx.identity as Json).sourceIp, '127.0.0.1');
  assert.equal(ctx.requestId, reply.headers['apigw-requestid']);
});

test('a named stage (beta): rawPath and http.path include the stage, the route matches below it', async () => {
  const { event } = await echo('/beta/hello/ada');
  assert.equal(event.version, '2.0');
  assert.equal(event.routeKey, 'GET /hello/{name}');
  assert.equal(event.rawPath, '/beta/hello/ada');
  assert.deepEqual(event.pathParameters, { name: 'ada' });
  const ctx = event.requestContext as Json;
  assert.equal(ctx.stage, 'beta');
  assert.equal((ctx.http as Json).path, '/beta/hello/ada');
  assert.equal(ctx.apiId, betaId);
});

test('an invalid structured result (statusCode "test", headers a list, body an object) → 500 Internal Server Error', async () => {
  for (const result of [{ statusCode: 'test' }, { statusCode: 200, headers: ['a'] }, { statusCode: 200, body: { nested: true } }]) {
    const reply = await mirror(result);
    assert.equal(reply.status, 500, JSON.stringify(result));
    assert.equal(reply.text, '{"message":"Internal Server Error"}', JSON.stringify(result));
    assert.match(String(reply.headers['apigw-requestid']), SHORT_ID);
  }
});

test(
  'a function header Node cannot send (a character above U+00FF) → the HTTP API 500, with a matching status line',
  async () => {
    const body = JSON.stringify({ statusCode: 200, headers: { 'x-bad': 'tick ✓' }, body: 'hello' });
    const raw = await sendRaw(
      gw,
      `POST /mirror HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    assert.match(raw, /^HTTP\/1\.1 500 Internal Server Error\r\n/);
    assert.equal(raw.slice(raw.indexOf('\r\n\r\n') + 4), '{"message":"Internal Server Error"}');
    assert.doesNotMatch(raw, /x-amzn-ErrorType/i);
  },
);
