import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapHttpApiV1Response, mapV2Response } from '../../../src/gateway/events/response-v2.js';
import type { GatewayResponse } from '../../../src/gateway/events/request.js';
import { pairs } from './fixtures.js';

function ok(payload: string): GatewayResponse {
  const r = mapV2Response(payload);
  assert.ok(r, 'expected a response, got malformed');
  return r;
}

const JSON_CT: [string, string][] = [['Content-Type', 'application/json']];

// ---- inference (§3.2): valid JSON without statusCode

test('§3.2 a returned string becomes the body unquoted, 200, application/json', () => {
  const r = ok('"Hello from Lambda!"');
  assert.equal(r.statusCode, 200);
  assert.equal(r.body.toString('utf8'), 'Hello from Lambda!');
  assert.deepEqual(pairs(r.headers), JSON_CT);
});

test('§3.2 a returned object without statusCode is the whole body', () => {
  const r = ok('{ "message": "Hello from Lambda!" }');
  assert.equal(r.statusCode, 200);
  assert.equal(r.body.toString('utf8'), '{ "message": "Hello from Lambda!" }');
  assert.deepEqual(pairs(r.headers), JSON_CT);
  // an object that looks like the structured form but has no statusCode is still just a body
  assert.equal(ok('{"body":"x","headers":{"a":"b"}}').body.toString(), '{"body":"x","headers":{"a":"b"}}');
});

test('§3.2 function-URL recordings: dict, list, integer, float, boolean', () => {
  for (const [payload, body] of [
    ['{"hello":"world"}', '{"hello":"world"}'],
    ['["hello",3,true]', '["hello",3,true]'],
    ['3', '3'],
    ['3.1', '3.1'],
    ['true', 'true'],
    ['"hello"', 'hello'],
  ]) {
    const r = ok(payload!);
    assert.equal(r.statusCode, 200, payload);
    assert.equal(r.body.toString('utf8'), body, payload);
    assert.deepEqual(pairs(r.headers), JSON_CT, payload);
  }
});

test('§3.2 an empty string result → empty body; null → "null"; invalid JSON → malformed', () => {
  assert.equal(ok('""').body.length, 0);
  assert.equal(ok('null').body.toString(), 'null');
  assert.equal(mapV2Response('{oops'), null);
});

// ---- structured form

test('§3.2 structured: statusCode, headers, body; default content-type application/json', () => {
  const r = ok(JSON.stringify({ statusCode: 201, headers: { 'x-a': 'b', 'x-n': 1, 'x-t': true }, body: 'body123' }));
  assert.equal(r.statusCode, 201);
  assert.equal(r.body.toString(), 'body123');
  assert.deepEqual(pairs(r.headers), [
    ['Content-Type', 'application/json'],
    ['x-a', 'b'],
    ['x-n', '1'],
    ['x-t', 'true'],
  ]);
  assert.deepEqual(pairs(ok('{"statusCode":200,"body":"body123"}').headers), JSON_CT);
  assert.deepEqual(pairs(ok('{"statusCode":200,"headers":{"content-type":"text/html"}}').headers), [['content-type', 'text/html']]);
});

test('§3.2 cookies: each becomes its own set-cookie header line', () => {
  const r = ok(JSON.stringify({ statusCode: 200, cookies: ['a=1; Path=/', 'b=2; HttpOnly'], body: '' }));
  assert.deepEqual(pairs(r.headers), [
    ['Content-Type', 'application/json'],
    ['set-cookie', 'a=1; Path=/'],
    ['set-cookie', 'b=2; HttpOnly'],
  ]);
});

test('§3.2 isBase64Encoded: the body is decoded (no binaryMediaTypes on HTTP APIs)', () => {
  const bytes = Buffer.from([0, 1, 2, 3, 254, 255]);
  const r = ok(JSON.stringify({ statusCode: 200, isBase64Encoded: true, body: bytes.toString('base64'), headers: { 'content-type': 'image/png' } }));
  assert.deepEqual(r.body, bytes);
  const text = ok(JSON.stringify({ statusCode: 200, isBase64Encoded: false, body: 'AAEC' }));
  assert.equal(text.body.toString(), 'AAEC');
});

test('structured form: numeric-string statusCode accepted; invalid statusCode/headers/cookies/body → malformed', () => {
  assert.equal(ok('{"statusCode":"404"}').statusCode, 404);
  assert.equal(ok('{"statusCode":"404"}').body.length, 0);
  assert.equal(mapV2Response('{"statusCode":"abc"}'), null);
  assert.equal(mapV2Response('{"statusCode":200,"headers":[1]}'), null);
  assert.equal(mapV2Response('{"statusCode":200,"headers":{"a":{"b":1}}}'), null);
  assert.equal(mapV2Response('{"statusCode":200,"cookies":"a=1"}'), null);
  assert.equal(mapV2Response('{"statusCode":200,"body":{"a":1}}'), null);
});

test('structured form: unknown keys ignored; content-length/transfer-encoding/connection from the function dropped', () => {
  const r = ok('{"statusCode":200,"extra":1,"headers":{"Content-Length":"99","Transfer-Encoding":"chunked","connection":"close","x":"y"},"body":"ab"}');
  assert.deepEqual(pairs(r.headers), [
    ['Content-Type', 'application/json'],
    ['x', 'y'],
  ]);
  assert.equal(r.body.toString(), 'ab');
});

// ---- HTTP API with payload format 1.0

test('HTTP API payload 1.0: the 1.0 response format, base64 decoded whenever flagged, malformed → null', () => {
  const r = mapHttpApiV1Response(JSON.stringify({ statusCode: 202, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, body: 'aGk=', isBase64Encoded: true }));
  assert.ok(r);
  assert.equal(r.statusCode, 202);
  assert.equal(r.body.toString(), 'hi');
  assert.deepEqual(pairs(r.headers), [
    ['Content-Type', 'application/json'],
    ['Set-Cookie', 'a=1'],
    ['Set-Cookie', 'b=2'],
  ]);
  assert.equal(mapHttpApiV1Response('"just a string"'), null);
  assert.equal(mapHttpApiV1Response('{"statusCode":200,"cookies":[]}'), null);
  const noStatus = mapHttpApiV1Response('{"body":"x"}');
  assert.ok(noStatus);
  assert.equal(noStatus.statusCode, 200);
});
