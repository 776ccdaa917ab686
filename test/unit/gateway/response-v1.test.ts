import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapV1Response } from '../../../src/gateway/events/response-v1.js';
import type { GatewayResponse } from '../../../src/gateway/events/request.js';
import { pairs, request, route } from './fixtures.js';

function map(result: unknown, accept?: string, binaryMediaTypes: string[] = []): GatewayResponse | null {
  const rawHeaders = accept === undefined ? ['Host', 'h'] : ['Host', 'h', 'Accept', accept];
  return mapV1Response(JSON.stringify(result), request({ rawHeaders }), route({ binaryMediaTypes }));
}

function ok(result: unknown, accept?: string, binaryMediaTypes?: string[]): GatewayResponse {
  const r = map(result, accept, binaryMediaTypes);
  assert.ok(r, 'expected a response, got malformed');
  return r;
}

// ---- the §2 table, row by row

test('§2 {"statusCode":200} → 200, empty body, Content-Type application/json', () => {
  const r = ok({ statusCode: 200 });
  assert.equal(r.statusCode, 200);
  assert.equal(r.body.length, 0);
  assert.deepEqual(pairs(r.headers), [['Content-Type', 'application/json']]);
});

test('§2 headers with a boolean → stringified', () => {
  const r = ok({ statusCode: 200, headers: { 'test-header': 'value', 'header-bool': true } });
  assert.deepEqual(pairs(r.headers), [
    ['Content-Type', 'application/json'],
    ['test-header', 'value'],
    ['header-bool', 'true'],
  ]);
  assert.deepEqual(pairs(ok({ headers: { f: false, n: 42, x: 1.5 } }).headers).slice(1), [
    ['f', 'false'],
    ['n', '42'],
    ['x', '1.5'],
  ]);
});

test('§2 {"statusCode":200,"headers":null} → 200', () => {
  const r = ok({ statusCode: 200, headers: null });
  assert.equal(r.statusCode, 200);
  assert.deepEqual(pairs(r.headers), [['Content-Type', 'application/json']]);
});

test('§2 unknown key → malformed', () => {
  assert.equal(map({ statusCode: 200, wrongValue: 'value' }), null);
  // a Lambda error document is not a proxy result either
  assert.equal(map({ errorType: 'Error', errorMessage: 'boom', trace: [] }), null);
});

test('§2 isBase64Encoded true without a matching binaryMediaTypes → the literal base64 text', () => {
  const r = ok({ statusCode: 200, body: 'dGVzdC1kYXRh', isBase64Encoded: true });
  assert.equal(r.body.toString('utf8'), 'dGVzdC1kYXRh');
  const r2 = ok({ statusCode: 200, body: 'dGVzdC1kYXRh', isBase64Encoded: true }, 'application/json', ['image/png']);
  assert.equal(r2.body.toString('utf8'), 'dGVzdC1kYXRh');
});

test('§2 same without isBase64Encoded → literal string', () => {
  assert.equal(ok({ statusCode: 200, body: 'dGVzdC1kYXRh' }).body.toString('utf8'), 'dGVzdC1kYXRh');
  // even when Accept matches: only isBase64Encoded triggers decoding
  assert.equal(ok({ statusCode: 200, body: 'dGVzdC1kYXRh' }, 'image/png', ['image/png']).body.toString('utf8'), 'dGVzdC1kYXRh');
});

test('§2 multiValueHeaders test-multi [value1, value2] → two separate header lines', () => {
  const r = ok({ statusCode: 200, multiValueHeaders: { 'test-multi': ['value1', 'value2'] } });
  assert.deepEqual(pairs(r.headers), [
    ['Content-Type', 'application/json'],
    ['test-multi', 'value1'],
    ['test-multi', 'value2'],
  ]);
});

test('§2 multiValueHeaders + headers, same name → multi values first, then the single value', () => {
  const r = ok({ statusCode: 200, multiValueHeaders: { 'test-multi': ['value-multi'] }, headers: { 'test-multi': 'value-solo' } });
  assert.deepEqual(pairs(r.headers).slice(1), [
    ['test-multi', 'value-multi'],
    ['test-multi', 'value-solo'],
  ]);
});

test('§2 case-insensitive merge; the multiValueHeaders casing wins', () => {
  const r = ok({ statusCode: 200, multiValueHeaders: { 'tesT-Multi': ['value-multi'] }, headers: { 'test-multi': 'value-solo' } });
  assert.deepEqual(pairs(r.headers).slice(1), [
    ['tesT-Multi', 'value-multi'],
    ['tesT-Multi', 'value-solo'],
  ]);
});

test('§2 [D] the same key-value pair in both → only the multiValueHeaders value', () => {
  const r = ok({ multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, headers: { 'set-cookie': 'b=2' } });
  assert.deepEqual(pairs(r.headers).slice(1), [
    ['Set-Cookie', 'a=1'],
    ['Set-Cookie', 'b=2'],
  ]);
});

test('§2 multiValueHeaders value not a list → malformed', () => {
  assert.equal(map({ statusCode: 200, multiValueHeaders: { 'test-multi-invalid': 'value1' } }), null);
  assert.equal(map({ statusCode: 200, multiValueHeaders: ['x'] }), null);
  assert.equal(map({ statusCode: 200, multiValueHeaders: { x: [{ a: 1 }] } }), null);
});

test('§2 {"statusCode":"test"} → malformed', () => {
  assert.equal(map({ statusCode: 'test' }), null);
  assert.equal(map({ statusCode: true }), null);
  assert.equal(map({ statusCode: '201.5' }), null);
});

test('§2 {"statusCode":"201"} → 201', () => {
  const r = ok({ statusCode: '201' });
  assert.equal(r.statusCode, 201);
  assert.equal(r.body.length, 0);
});

test('§2 "justAString" → malformed (also null, arrays, numbers, invalid JSON)', () => {
  assert.equal(map('justAString'), null);
  assert.equal(map(null), null);
  assert.equal(map([{ statusCode: 200 }]), null);
  assert.equal(map(200), null);
  assert.equal(mapV1Response('{"statusCode":', request(), route()), null);
  assert.equal(mapV1Response('', request(), route()), null);
});

test('§2 {"headers":{"test-header":"value"}} (no statusCode) → 200', () => {
  const r = ok({ headers: { 'test-header': 'value' } });
  assert.equal(r.statusCode, 200);
  assert.deepEqual(pairs(r.headers), [
    ['Content-Type', 'application/json'],
    ['test-header', 'value'],
  ]);
  assert.equal(ok({}).statusCode, 200);
  assert.equal(ok({ statusCode: null }).statusCode, 200);
});

// ---- additional rules

test('body must be a string: an object or array body → malformed; numbers and booleans are stringified', () => {
  assert.equal(map({ statusCode: 200, body: { hey: 'dude' } }), null);
  assert.equal(map({ statusCode: 200, body: ['a'] }), null);
  assert.equal(ok({ statusCode: 200, body: 42 }).body.toString(), '42');
  assert.equal(ok({ statusCode: 200, body: true }).body.toString(), 'true');
  assert.equal(ok({ statusCode: 200, body: null }).body.length, 0);
  assert.equal(ok({ statusCode: 404, body: 'not here' }).body.toString(), 'not here');
  assert.equal(ok({ statusCode: 404, body: 'not here' }).statusCode, 404);
});

test('header values that are objects → malformed; null values are skipped', () => {
  assert.equal(map({ headers: { a: { b: 1 } } }), null);
  assert.equal(map({ headers: { a: ['x'] } }), null);
  assert.equal(map({ headers: 'x' }), null);
  assert.deepEqual(pairs(ok({ headers: { a: null, b: 'x' } }).headers).slice(1), [['b', 'x']]);
});

test('a Content-Type from the function replaces the default (any casing)', () => {
  assert.deepEqual(pairs(ok({ headers: { 'content-type': 'text/html' } }).headers), [['content-type', 'text/html']]);
  assert.deepEqual(pairs(ok({ multiValueHeaders: { 'Content-Type': ['image/png'] } }).headers), [['Content-Type', 'image/png']]);
});

test('statusCode: integral numbers, numeric strings with spaces; out of 100–599 → malformed', () => {
  assert.equal(ok({ statusCode: 302 }).statusCode, 302);
  assert.equal(ok({ statusCode: ' 204 ' }).statusCode, 204);
  assert.equal(ok({ statusCode: 201.0 }).statusCode, 201);
  assert.equal(map({ statusCode: 42 }), null);
  assert.equal(map({ statusCode: 600 }), null);
});

test('isBase64Encoded + Accept (first media type) matching binaryMediaTypes → decoded', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]);
  const result = { statusCode: 200, headers: { 'Content-Type': 'image/png' }, body: png.toString('base64'), isBase64Encoded: true };
  assert.deepEqual(ok(result, 'image/png', ['image/png']).body, png);
  assert.deepEqual(ok(result, 'image/webp,image/*,*/*;q=0.8', ['image/webp']).body, png);
  assert.deepEqual(ok(result, 'image/png', ['image/*']).body, png);
  assert.deepEqual(ok(result, 'text/html', ['*/*']).body, png);
  assert.deepEqual(ok(result, undefined, ['*/*']).body, png);
  // only the first Accept media type counts
  assert.equal(ok(result, 'text/html,image/png', ['image/png']).body.toString(), png.toString('base64'));
  assert.equal(ok(result, undefined, ['image/png']).body.toString(), png.toString('base64'));
});

test('REST renames Connection/Content-Length/Date/Server to x-amzn-Remapped-*, drops Transfer-Encoding', () => {
  const r = ok({
    headers: { Date: 'x', 'content-length': '3', Server: 'me', Connection: 'close', 'Transfer-Encoding': 'chunked', Via: 'v' },
  });
  assert.deepEqual(pairs(r.headers), [
    ['Content-Type', 'application/json'],
    ['x-amzn-Remapped-Date', 'x'],
    ['x-amzn-Remapped-Content-Length', '3'],
    ['x-amzn-Remapped-Server', 'me'],
    ['x-amzn-Remapped-Connection', 'close'],
    ['Via', 'v'],
  ]);
});

test('isBase64Encoded accepts booleans and "true"/"false"; anything else → malformed', () => {
  assert.equal(ok({ body: 'YQ==', isBase64Encoded: 'true' }, '*/*', ['*/*']).body.toString(), 'a');
  assert.equal(ok({ body: 'YQ==', isBase64Encoded: false }, '*/*', ['*/*']).body.toString(), 'YQ==');
  assert.equal(map({ body: 'YQ==', isBase64Encoded: {} }), null);
  assert.equal(map({ body: 'YQ==', isBase64Encoded: 'yes' }), null);
});
