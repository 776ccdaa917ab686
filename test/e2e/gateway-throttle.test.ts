/**
 * Throttling through the real `portico up` (fixture gw-throttle). The limits are chosen so that no token comes back
 * while a test runs (0.01 request/s), so the counts cannot depend on timing: a burst of 5 against a bucket of 2
 * passes exactly 2. The function records every request it receives, so "never reaches the function" is counted.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startPortico, type RunningPortico } from '../helpers/portico.js';
import { fixture, send, type Reply } from './gateway-helpers.js';

const countFile = join(mkdtempSync(join(tmpdir(), 'portico-throttle-')), 'requests.log');
let portico: RunningPortico;
let gw: string;

before(async () => {
  writeFileSync(countFile, '');
  portico = await startPortico(fixture('gw-throttle'), ['--parameter-overrides', `CountFile=${countFile}`]);
  gw = portico.gateway;
});

after(async () => {
  await portico?.stop();
});

/** Lines the function wrote for one route (`rest GET /limited`, `http GET /limited`). */
function reached(line: string): number {
  return readFileSync(countFile, 'utf8').split('\n').filter((l) => l === line).length;
}

const burst = (path: string, n: number): Promise<Reply[]> => Promise.all(Array.from({ length: n }, () => send(gw, path)));
const statuses = (replies: readonly Reply[]): number[] => replies.map((r) => r.status).sort();

test('REST MethodSettings (burst 2): a burst of 5 gets exactly 2 through; the other 3 are 429 and never reach the function', async () => {
  const replies = await burst('/Prod/limited', 5);
  assert.deepEqual(statuses(replies), [200, 200, 429, 429, 429]);
  assert.equal(reached('rest GET /limited'), 2);
  const throttled = replies.find((r) => r.status === 429)!;
  assert.equal(throttled.text, '{"message":"Too Many Requests"}');
  assert.equal(throttled.headers['x-amzn-errortype'], 'TooManyRequestsException');
  assert.equal(throttled.headers['content-type'], 'application/json');
  assert.ok(throttled.headers['x-amzn-requestid']);
  // The bucket stays empty: the next request is throttled too.
  assert.equal((await send(gw, '/Prod/limited')).status, 429);
  assert.equal(reached('rest GET /limited'), 2);
});

test('REST MethodSettings with limits of 0 block the method entirely', async () => {
  const replies = await burst('/Prod/blocked', 3);
  assert.deepEqual(statuses(replies), [429, 429, 429]);
  assert.equal(reached('rest GET /blocked'), 0);
});

test('REST: a route under the generous */* default is unaffected by the other routes being throttled', async () => {
  const replies = await burst('/Prod/free', 10);
  assert.deepEqual(statuses(replies), Array(10).fill(200));
  assert.equal(reached('rest GET /free'), 10);
});

test('REST: tokens come back at the rate (1 request/s)', async () => {
  assert.deepEqual(statuses(await burst('/Prod/refill', 2)), [200, 429], 'a bucket of 1');
  await new Promise((done) => setTimeout(done, 1200));
  assert.equal((await send(gw, '/Prod/refill')).status, 200, 'a token came back after a second');
});

test('HTTP API RouteSettings (burst 2): a burst of 5 gets exactly 2 through; 429 {"message":"Too Many Requests"}', async () => {
  const replies = await burst('/limited', 5);
  assert.deepEqual(statuses(replies), [200, 200, 429, 429, 429]);
  assert.equal(reached('http GET /limited'), 2);
  const throttled = replies.find((r) => r.status === 429)!;
  assert.equal(throttled.text, '{"message":"Too Many Requests"}');
  assert.equal(throttled.headers['x-amzn-errortype'], undefined);
  assert.ok(throttled.headers['apigw-requestid']);
});

test('HTTP API: a route without RouteSettings gets only the account limit', async () => {
  const replies = await burst('/free', 10);
  assert.deepEqual(statuses(replies), Array(10).fill(200));
  assert.equal(reached('http GET /free'), 10);
});

test('portico up --account-rate/--account-burst: the account bucket is shared by every API', async () => {
  const own = await startPortico(fixture('gw-throttle'), ['--account-rate', '0.01', '--account-burst', '3']);
  try {
    const first = await Promise.all([send(own.gateway, '/Prod/free'), send(own.gateway, '/free')]);
    assert.deepEqual(statuses(first), [200, 200]);
    const rest = await Promise.all([send(own.gateway, '/Prod/free'), send(own.gateway, '/free'), send(own.gateway, '/free')]);
    assert.deepEqual(statuses(rest), [200, 429, 429], 'one token left for three requests across both APIs');
  } finally {
    await own.stop();
  }
});
