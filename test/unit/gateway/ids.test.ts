import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  newRequestId,
  newRequestIds,
  newShortId,
  newTraceParent,
  newTraceRoot,
  responseTraceId,
  traceIdFor,
} from '../../../src/gateway/events/ids.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SHORT = /^[A-Za-z0-9_-]{15}=$/;

test('REST requestId is a UUID v4', () => {
  assert.match(newRequestId(), UUID_V4);
});

test('short ids: 16 chars of URL-safe base64 ending in "=", unique', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 20000; i++) {
    const id = newShortId();
    assert.match(id, SHORT);
    seen.add(id);
  }
  assert.equal(seen.size, 20000);
  // decodes to 11 bytes whose first four are the epoch second
  const at = Date.UTC(2024, 4, 1);
  const bytes = Buffer.from(newShortId(at).slice(0, 15), 'base64url');
  assert.equal(bytes.length, 11);
  assert.equal(bytes.readUInt32BE(0), at / 1000);
});

test('trace roots: Root=1-<8 hex epoch seconds>-<24 hex>, unique; parents 16 hex', () => {
  const root = newTraceRoot(1583349317135);
  assert.match(root, /^Root=1-5e5ffe45-[0-9a-f]{24}$/);
  const seen = new Set<string>();
  for (let i = 0; i < 20000; i++) seen.add(newTraceRoot());
  assert.equal(seen.size, 20000);
  assert.match(newTraceParent(), /^[0-9a-f]{16}$/);
  assert.notEqual(newTraceParent(), newTraceParent());
});

test('traceIdFor: the client header (any casing) as sent, else a new root', () => {
  assert.equal(traceIdFor(['Host', 'h', 'x-AMZN-trace-id', 'Root=1-a-b;Sampled=1']), 'Root=1-a-b;Sampled=1');
  assert.match(traceIdFor(['Host', 'h']), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
});

test('responseTraceId: a full client trace is echoed; a Root-only trace gets a generated Parent', () => {
  const full = 'Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1';
  assert.equal(responseTraceId(full), full);
  const small = responseTraceId('Root=1-3152b799-8954dae64eda91bc9a23a7e8');
  const parts = small.split(';');
  assert.equal(parts[0], 'Root=1-3152b799-8954dae64eda91bc9a23a7e8');
  assert.match(parts[1]!, /^Parent=[0-9a-f]{16}$/);
  assert.notEqual(parts[1], 'Parent=7fa8c0f79203be72');
  assert.equal(parts[2], 'Sampled=0');
  assert.match(responseTraceId(undefined), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
});

test('newRequestIds: REST uuid + short extended id; HTTP API short id for both; domainPrefix', () => {
  const rest = newRequestIds('123456789012', 'dep1', 'abc123.execute-api.localhost', 'abc123');
  assert.match(rest.requestId, UUID_V4);
  assert.match(rest.extendedRequestId, SHORT);
  assert.equal(rest.domainPrefix, 'abc123');
  assert.equal(rest.accountId, '123456789012');
  assert.equal(rest.deploymentId, 'dep1');
  assert.equal(rest.traceId, undefined);
  const http = newRequestIds('1', 'd', 'localhost:3000', 'api1', 'HTTP', 'Root=1-x');
  assert.match(http.requestId, SHORT);
  assert.equal(http.requestId, http.extendedRequestId);
  assert.equal(http.domainPrefix, 'localhost');
  assert.equal(http.traceId, 'Root=1-x');
  assert.equal(newRequestIds('1', 'd', '', 'api1').domainPrefix, 'api1');
});
