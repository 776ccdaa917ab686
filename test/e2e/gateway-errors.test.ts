/**
 * API Gateway's own error answers through the real `portico up` (aws-behaviour.md §2, §3.2, §4.2): unknown routes,
 * failing, slow and malformed functions, and requests over the size limits. The fixture serves a REST API (stage
 * Prod) and an HTTP API ($default) side by side.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPortico, type RunningPortico } from '../helpers/portico.js';
import { fixture, json, rawStatus, send, sendRaw, type Reply } from './gateway-helpers.js';

const SHORT_ID = /^[A-Za-z0-9_-]{15}=$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TEN_MB = 10 * 1024 * 1024;

let portico: RunningPortico;
let gw: string;

before(async () => {
  portico = await startPortico(fixture('gw-mixed'));
  gw = portico.gateway;
});

after(async () => {
  await portico?.stop();
});

function assertMissingToken(reply: Reply, what: string): void {
  assert.equal(reply.status, 403, what);
  assert.equal(reply.text, '{"message":"Missing Authentication Token"}', what);
  assert.equal(reply.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException', what);
  assert.equal(reply.headers['content-type'], 'application/json', what);
  assert.match(String(reply.headers['x-amzn-requestid']), UUID, what);
}

function assertHttpNotFound(reply: Reply, what: string): void {
  assert.equal(reply.status, 404, what);
  assert.equal(reply.text, '{"message":"Not Found"}', what);
  assert.match(String(reply.headers['apigw-requestid']), SHORT_ID, what);
  assert.equal(reply.headers['x-amzn-errortype'], undefined, what);
}

async function assertStillServing(): Promise<void> {
  const rest = await send(gw, '/Prod/ok');
  assert.equal(rest.status, 200, rest.text);
  const http = await send(gw, '/ok');
  assert.equal(http.status, 200, http.text);
}

test('REST: unknown path, and known path with an undefined method → 403 Missing Authentication Token', async () => {
  assertMissingToken(await send(gw, '/Prod/nope'), 'GET /Prod/nope');
  assertMissingToken(await send(gw, '/Prod/ok/deeper'), 'GET /Prod/ok/deeper');
  assertMissingToken(await send(gw, '/Prod/ok', { method: 'POST', body: '{}' }), 'POST /Prod/ok');
  assertMissingToken(await send(gw, '/Prod/ok', { method: 'DELETE' }), 'DELETE /Prod/ok');
  assertMissingToken(await send(gw, '/Prod'), 'GET /Prod (no resource at /)');
});

test('HTTP API: unknown route, and known path with another method → 404 Not Found', async () => {
  assertHttpNotFound(await send(gw, '/nope'), 'GET /nope');
  assertHttpNotFound(await send(gw, '/ok', { method: 'DELETE' }), 'DELETE /ok');
  assertHttpNotFound(await send(gw, '/'), 'GET /');
});

test('a function that throws: REST 502 Internal server error, HTTP API 500 Internal Server Error', async () => {
  const rest = await send(gw, '/Prod/boom');
  assert.equal(rest.status, 502);
  assert.equal(rest.text, '{"message": "Internal server error"}');
  assert.equal(rest.headers['content-type'], 'application/json');
  assert.match(String(rest.headers['x-amzn-requestid']), UUID);

  const http = await send(gw, '/boom');
  assert.equal(http.status, 500);
  assert.equal(http.text, '{"message":"Internal Server Error"}');
  assert.equal(http.headers['content-type'], 'application/json');
  assert.match(String(http.headers['apigw-requestid']), SHORT_ID);
});

test('a function that outlives TimeoutInMillis 1000: REST 504, HTTP API 503, after about a second', async () => {
  const started = Date.now();
  const [rest, http] = await Promise.all([send(gw, '/Prod/slow'), send(gw, '/slow')]);
  const elapsed = Date.now() - started;

  assert.equal(rest.status, 504);
  assert.equal(rest.text, '{"message": "Endpoint request timed out"}');
  assert.equal(http.status, 503);
  assert.equal(http.text, '{"message":"Service Unavailable"}');
  // The function sleeps 3 s and may run 5 s: only the integration timeout explains an answer this early.
  assert.ok(elapsed >= 950, `answered after ${elapsed} ms, before the 1000 ms integration timeout`);
  assert.ok(elapsed < 2500, `answered after ${elapsed} ms, not at the 1000 ms integration timeout`);
});

test('a garbage result ("justAString") on a REST API → 502', async () => {
  const reply = await send(gw, '/Prod/garbage');
  assert.equal(reply.status, 502);
  assert.equal(reply.text, '{"message": "Internal server error"}');
});

test('a body over 10 MB → 413, declared by Content-Length or sent chunked; the server keeps serving', async () => {
  const big = Buffer.alloc(TEN_MB + 1, 0x61);
  const rest = await send(gw, '/Prod/upload', { method: 'POST', headers: [['Content-Type', 'text/plain']], body: big });
  assert.equal(rest.status, 413);
  const http = await send(gw, '/upload', { method: 'POST', headers: [['Content-Type', 'text/plain']], body: big });
  assert.equal(http.status, 413);
  const chunked = await send(gw, '/Prod/upload', {
    method: 'POST',
    headers: [
      ['Content-Type', 'text/plain'],
      ['Transfer-Encoding', 'chunked'],
    ],
    body: big,
  });
  assert.equal(chunked.status, 413);

  // A body well under the limit reaches the function.
  const small = await send(gw, '/Prod/upload', { method: 'POST', headers: [['Content-Type', 'text/plain']], body: 'x'.repeat(1000) });
  assert.equal(small.status, 200);
  assert.equal(json(small).body, 'x'.repeat(1000));
  await assertStillServing();
});

test('request headers over 10,240 bytes → 431; just under the limit still served; the server keeps serving', async () => {
  const under = await send(gw, '/Prod/ok', { headers: [['X-Big', 'a'.repeat(9000)]] });
  assert.equal(under.status, 200, under.text);
  assert.equal((json(under).headers as Record<string, string>)['X-Big'], 'a'.repeat(9000));

  const over = await sendRaw(gw, `GET /Prod/ok HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(11_000)}\r\n\r\n`);
  assert.equal(rawStatus(over), 431, over);
  const split = await sendRaw(gw, `GET /ok HTTP/1.1\r\nHost: localhost\r\n${Array.from({ length: 40 }, (_, i) => `X-H${i}: ${'b'.repeat(300)}\r\n`).join('')}\r\n`);
  assert.equal(rawStatus(split), 431, split);
  await assertStillServing();
});
