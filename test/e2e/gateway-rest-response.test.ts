/**
 * REST API: how a Lambda proxy result becomes the HTTP response (aws-behaviour.md §2). The fixture's mirror function
 * returns `JSON.parse(event.body)`, so each test posts the result it wants the function to return.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPortico, type RunningPortico } from '../helpers/portico.js';
import { fixture, headerLines, send, sendRaw, type Reply } from './gateway-helpers.js';

const INTERNAL = '{"message": "Internal server error"}';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHORT_ID = /^[A-Za-z0-9_-]{15}=$/;

let portico: RunningPortico;
let gw: string;

before(async () => {
  portico = await startPortico(fixture('gw-rest'));
  gw = portico.gateway;
});

after(async () => {
  await portico?.stop();
});

/** Makes the function return `result` (on the implicit API unless `path` says otherwise). */
function mirror(result: unknown, headers: Array<[string, string]> = [], path = '/Prod/mirror'): Promise<Reply> {
  return send(gw, path, { method: 'POST', headers: [['Content-Type', 'application/json'], ...headers], body: JSON.stringify(result) });
}

function assertMalformed(reply: Reply, what: string): void {
  assert.equal(reply.status, 502, what);
  assert.equal(reply.text, INTERNAL, what);
  assert.equal(reply.headers['content-type'], 'application/json', what);
  assert.match(String(reply.headers['x-amzn-requestid']), UUID, what);
}

test('statusCode only: 200, empty body, Content-Type application/json', async () => {
  const reply = await mirror({ statusCode: 200 });
  assert.equal(reply.status, 200);
  assert.equal(reply.text, '');
  assert.equal(reply.headers['content-length'], '0');
  assert.deepEqual(headerLines(reply, 'content-type'), ['application/json']);
});

test('headers: values kept, a boolean stringified, null headers accepted', async () => {
  const reply = await mirror({ statusCode: 200, headers: { 'test-header': 'value', 'header-bool': true }, body: 'ok' });
  assert.equal(reply.status, 200);
  assert.equal(reply.text, 'ok');
  assert.deepEqual(headerLines(reply, 'test-header'), ['value']);
  assert.deepEqual(headerLines(reply, 'header-bool'), ['true']);

  const nullHeaders = await mirror({ statusCode: 200, headers: null });
  assert.equal(nullHeaders.status, 200);
});

test('an unknown key in the result is a malformed response: 502', async () => {
  assertMalformed(await mirror({ statusCode: 200, wrongValue: 'value' }), 'wrongValue');
});

test('statusCode "201" (numeric string) → 201; missing statusCode → 200; "test" → 502', async () => {
  const created = await mirror({ statusCode: '201' });
  assert.equal(created.status, 201);

  const missing = await mirror({ headers: { 'test-header': 'value' } });
  assert.equal(missing.status, 200);
  assert.deepEqual(headerLines(missing, 'test-header'), ['value']);

  assertMalformed(await mirror({ statusCode: 'test' }), 'statusCode "test"');
});

test('a 1xx statusCode cannot end an exchange: a malformed response, 502', async () => {
  assertMalformed(await mirror({ statusCode: 101, body: 'switching' }), 'statusCode 101');
});

test('multiValueHeaders: two Set-Cookie values are two set-cookie header lines', async () => {
  const reply = await mirror({ statusCode: 200, multiValueHeaders: { 'Set-Cookie': ['a=1; Path=/', 'b=2; HttpOnly'] } });
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.headers['set-cookie'], ['a=1; Path=/', 'b=2; HttpOnly']);
  assert.deepEqual(headerLines(reply, 'set-cookie'), ['a=1; Path=/', 'b=2; HttpOnly']);
});

test('multiValueHeaders merged with headers: multi values first, the multiValueHeaders casing wins', async () => {
  const lines = await mirror({ statusCode: 200, multiValueHeaders: { 'test-multi': ['value1', 'value2'] } });
  assert.deepEqual(headerLines(lines, 'test-multi'), ['value1', 'value2']);
  assert.equal(lines.headers['test-multi'], 'value1, value2');

  const merged = await mirror({ statusCode: 200, multiValueHeaders: { 'test-multi': ['value-multi'] }, headers: { 'test-multi': 'value-solo' } });
  assert.equal(merged.headers['test-multi'], 'value-multi, value-solo');

  const cased = await mirror({ statusCode: 200, multiValueHeaders: { 'tesT-Multi': ['value-multi'] }, headers: { 'test-multi': 'value-solo' } });
  const names = cased.rawHeaders.filter((_, i) => i % 2 === 0 && cased.rawHeaders[i]!.toLowerCase() === 'test-multi');
  assert.deepEqual(names, ['tesT-Multi', 'tesT-Multi']);
  assert.deepEqual(headerLines(cased, 'test-multi'), ['value-multi', 'value-solo']);

  assertMalformed(await mirror({ statusCode: 200, multiValueHeaders: { 'test-multi-invalid': 'value1' } }), 'multi value not a list');
});

test('isBase64Encoded without a matching binary media type: the body is sent literally', async () => {
  const flagged = await mirror({ statusCode: 200, body: 'dGVzdC1kYXRh', isBase64Encoded: true });
  assert.equal(flagged.status, 200);
  assert.equal(flagged.text, 'dGVzdC1kYXRh');

  const plain = await mirror({ statusCode: 200, body: 'dGVzdC1kYXRh' });
  assert.equal(plain.text, 'dGVzdC1kYXRh');

  // BinaryApi lists application/octet-stream, but the client did not ask for it in Accept.
  const noAccept = await mirror({ statusCode: 200, body: 'AAEC/w==', isBase64Encoded: true }, [], '/v1/mirror');
  assert.equal(noAccept.text, 'AAEC/w==');
});

test('isBase64Encoded with Accept matching BinaryMediaTypes: the body is decoded', async () => {
  const reply = await mirror({ statusCode: 200, body: 'AAEC/w==', isBase64Encoded: true }, [['Accept', 'application/octet-stream']], '/v1/mirror');
  assert.equal(reply.status, 200);
  assert.deepEqual([...reply.body], [0, 1, 2, 255]);
});

test('results that are not a proxy object: a bare string, a JSON object as body → 502', async () => {
  assertMalformed(await mirror('justAString'), '"justAString"');
  assertMalformed(await mirror({ statusCode: 200, body: { nested: true } }), 'object body');
});

test('API Gateway adds x-amzn-RequestId (UUID) and x-amz-apigw-id to every response', async () => {
  const ok = await mirror({ statusCode: 200 });
  assert.match(String(ok.headers['x-amzn-requestid']), UUID);
  assert.match(String(ok.headers['x-amz-apigw-id']), SHORT_ID);
  const again = await mirror({ statusCode: 200 });
  assert.notEqual(again.headers['x-amzn-requestid'], ok.headers['x-amzn-requestid']);
  assert.notEqual(again.headers['x-amz-apigw-id'], ok.headers['x-amz-apigw-id']);

  const failed = await mirror({ statusCode: 'test' });
  assert.match(String(failed.headers['x-amzn-requestid']), UUID);
  assert.match(String(failed.headers['x-amz-apigw-id']), SHORT_ID);
});

test('X-Amzn-Trace-Id: a full client value is echoed; a bare Root gets a generated Parent', async () => {
  const full = 'Root=1-5e5ff3c5-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1';
  const echoed = await mirror({ statusCode: 200 }, [['X-Amzn-Trace-Id', full]]);
  assert.equal(echoed.headers['x-amzn-trace-id'], full);

  const rootOnly = await mirror({ statusCode: 200 }, [['X-Amzn-Trace-Id', 'Root=1-5e5ff3c5-0123456789abcdef01234567']]);
  assert.match(String(rootOnly.headers['x-amzn-trace-id']), /^Root=1-5e5ff3c5-0123456789abcdef01234567;Parent=[0-9a-f]{16};Sampled=[01]$/);
});

/** The response head (status line and header lines) of the first response in a raw HTTP text. */
function head(raw: string): { statusLine: string; headers: Array<[string, string]> } {
  const [statusLine = '', ...lines] = raw.slice(0, raw.indexOf('\r\n\r\n')).split('\r\n');
  return { statusLine, headers: lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]) };
}

function rawMirror(result: unknown, then = ''): Promise<string> {
  const body = JSON.stringify(result);
  return sendRaw(
    gw,
    `POST /Prod/mirror HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `${then ? '' : 'Connection: close\r\n'}\r\n${body}${then}`,
  );
}

test('a header value with CR/LF from the function never splits the response into extra headers', async () => {
  const raw = await rawMirror({ statusCode: 200, headers: { 'X-Bad': 'a\r\nInjected: yes' }, body: 'hello' });
  assert.doesNotMatch(raw, /\r\nInjected: yes\r\n/);
  const ok = await mirror({ statusCode: 200, body: 'still here' });
  assert.equal(ok.text, 'still here');
});

test(
  'a function header Node cannot send (CR/LF, a character above U+00FF) is a malformed result: 502 with a matching status line',
  async () => {
    for (const value of ['a\r\nInjected: yes', 'tick ✓']) {
      const { statusLine, headers } = head(await rawMirror({ statusCode: 200, headers: { 'X-Bad': value }, body: 'hello' }));
      assert.equal(statusLine, 'HTTP/1.1 502 Bad Gateway', JSON.stringify(value));
      assert.deepEqual(headers.filter(([name]) => name === 'x-amzn-errortype'), [['x-amzn-errortype', 'InternalServerErrorException']]);
    }
  },
);

test(
  '204 from the function: no body and no Content-Length announcing one (RFC 9110 §8.6)',
  async () => {
    const raw = await rawMirror({ statusCode: 204, body: 'gone' }, 'GET /Prod/static HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    const { statusLine, headers } = head(raw);
    assert.equal(statusLine, 'HTTP/1.1 204 No Content');
    const length = headers.filter(([name]) => name === 'content-length').map(([, value]) => value);
    assert.ok(length.length === 0 || (length.length === 1 && length[0] === '0'), `204 with Content-Length ${length.join(', ')}`);
    // The next response on the connection starts right after the 204's head.
    assert.match(raw.slice(raw.indexOf('\r\n\r\n') + 4), /^HTTP\/1\.1 200 OK\r\n/);
  },
);
