/**
 * API keys and usage plans through the real `portico up` (fixture gw-keys): the 403s, the identity in the event,
 * per-key throttles and quotas (and quotas across a restart), key values never stored in plain text, and guessing.
 * Every key and plan is declared in the template, so the counts do not depend on the order the tests run in: each
 * test uses its own key.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startPortico, type RunningPortico } from '../helpers/portico.js';
import { fixture, send, type Reply } from './gateway-helpers.js';

const FIXED = 'fixed-key-value-0123456789abcdef';
const DISABLED = 'disabled-key-value-0123456789abcd';
const QUOTA = 'quota-key-value-0123456789abcdefgh';
const THROTTLE = 'throttle-key-value-0123456789abcdef';

const countFile = join(mkdtempSync(join(tmpdir(), 'portico-keys-')), 'requests.log');
let portico: RunningPortico;
let gw: string;

before(async () => {
  writeFileSync(countFile, '');
  portico = await startPortico(fixture('gw-keys'), ['--parameter-overrides', `CountFile=${countFile}`]);
  gw = portico.gateway;
});

after(async () => {
  await portico?.stop();
});

const reached = (line: string): number => readFileSync(countFile, 'utf8').split('\n').filter((l) => l === line).length;
const withKey = (key: string): { headers: [string, string][] } => ({ headers: [['x-api-key', key]] });
const statuses = (replies: readonly Reply[]): number[] => replies.map((r) => r.status).sort();

function assertForbidden(reply: Reply): void {
  assert.equal(reply.status, 403);
  assert.equal(reply.text, '{"message":"Forbidden"}');
  assert.equal(reply.headers['x-amzn-errortype'], 'ForbiddenException');
}

test('a method that requires a key: no key, a wrong key and a disabled key are 403 Forbidden and never reach the function', async () => {
  const before = reached('GET /echo');
  assertForbidden(await send(gw, '/Prod/echo'));
  assertForbidden(await send(gw, '/Prod/echo', withKey('not-a-key-of-this-installation-000')));
  assertForbidden(await send(gw, '/Prod/echo', withKey(DISABLED)));
  assertForbidden(await send(gw, '/Prod/echo', withKey('')));
  assert.equal(reached('GET /echo'), before);
});

test('the right key passes; the event carries identity.apiKey and apiKeyId, the access log $context.identity.apiKeyId', async () => {
  const reply = await send(gw, '/Prod/echo', withKey(FIXED));
  assert.equal(reply.status, 200);
  const { identity } = JSON.parse(reply.text) as { identity: Record<string, unknown> };
  assert.equal(identity.apiKey, FIXED);
  const fixedKeyId = /^[a-z0-9]{10}$/.exec(String(identity.apiKeyId))?.[0];
  assert.ok(fixedKeyId, `apiKeyId ${String(identity.apiKeyId)}`);
  const requestId = String(reply.headers['x-amzn-requestid']);
  await waitFor(() => accessRecords().some((r) => r.requestId === requestId));
  assert.equal(accessRecords().find((r) => r.requestId === requestId)!.apiKeyId, fixedKeyId);
  assert.ok(!allFiles(join(portico.dataDir, 'logs')).some((f) => readFileSync(f).includes(FIXED)), 'logs hold the key id, never the value');
});

test('a method with Auth.ApiKeyRequired: false on its event needs no key; its event has no apiKey', async () => {
  const reply = await send(gw, '/Prod/open');
  assert.equal(reply.status, 200);
  const { identity } = JSON.parse(reply.text) as { identity: Record<string, unknown> };
  assert.equal('apiKey' in identity, false);
});

test('SAM Auth.UsagePlan PER_API generates a key whose value portico up prints; it works on the API', async () => {
  const reply = await send(gw, '/Prod/echo', withKey(generatedKey(portico.output())));
  assert.equal(reply.status, 200);
  assert.match((JSON.parse(reply.text) as { identity: { apiKeyId: string } }).identity.apiKeyId, /^[a-z0-9]{10}$/);
  assert.ok(!portico.output().includes(FIXED), 'values the template gives are not printed');
});

test("a usage plan's per-method throttle applies per key: a burst of 5 gets 2 through, then 429 Too Many Requests", async () => {
  const before = reached('GET /limited');
  const replies = await Promise.all(Array.from({ length: 5 }, () => send(gw, '/Prod/limited', withKey(FIXED))));
  assert.deepEqual(statuses(replies), [200, 200, 429, 429, 429]);
  const throttled = replies.find((r) => r.status === 429)!;
  assert.equal(throttled.text, '{"message":"Too Many Requests"}');
  assert.equal(throttled.headers['x-amzn-errortype'], 'TooManyRequestsException');
  assert.equal(reached('GET /limited') - before, 2);
  // Other methods of the same plan are not limited by that method's throttle.
  assert.equal((await send(gw, '/Prod/echo', withKey(FIXED))).status, 200);
});

test("a usage plan's throttle is one bucket per key for every method of the plan", async () => {
  const statusesInOrder = [];
  for (const path of ['/Prod/echo', '/Prod/limited', '/Prod/echo', '/Prod/limited']) statusesInOrder.push((await send(gw, path, withKey(THROTTLE))).status);
  assert.deepEqual(statusesInOrder, [200, 200, 429, 429]);
});

test('guessing keys: 300 random keys are all 403, and Portico keeps serving', async () => {
  const guesses = await Promise.all(Array.from({ length: 300 }, () => send(gw, '/Prod/echo', withKey(randomBytes(20).toString('base64url')))));
  assert.deepEqual([...new Set(guesses.map((r) => r.status))], [403]);
  assert.equal((await send(gw, '/Prod/echo', withKey(FIXED))).status, 200);
});

test('a quota of 3 a month: the 4th request is 429 Limit Exceeded, and still after a restart; generated values are kept', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'portico-keys-data-'));
  let own = await startPortico(fixture('gw-keys'), [], {}, dataDir);
  try {
    const first = [];
    for (let i = 0; i < 3; i++) first.push((await send(own.gateway, '/Prod/echo', withKey(QUOTA))).status);
    assert.deepEqual(first, [200, 200, 200]);
    const over = await send(own.gateway, '/Prod/echo', withKey(QUOTA));
    assert.equal(over.status, 429);
    assert.equal(over.text, '{"message":"Limit Exceeded"}');
    assert.equal(over.headers['x-amzn-errortype'], 'LimitExceededException');
    const generated = generatedKey(own.output());
    await own.stop();
    own = await startPortico(fixture('gw-keys'), [], {}, dataDir);
    assert.equal((await send(own.gateway, '/Prod/echo', withKey(QUOTA))).status, 429, 'the quota is still used up after a restart');
    assert.equal(generatedKey(own.output()), generated, 'the generated key keeps its value');
    assert.equal((await send(own.gateway, '/Prod/echo', withKey(FIXED))).status, 200);
    await own.stop();
    const files = allFiles(dataDir);
    for (const value of [FIXED, DISABLED, QUOTA, THROTTLE]) {
      const holder = files.find((file) => readFileSync(file).includes(value));
      assert.equal(holder, undefined, `${value} is in ${holder ?? ''}`);
    }
  } finally {
    await own.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** The value `portico up` printed for the key SAM's Auth.UsagePlan generates. */
function generatedKey(output: string): string {
  const printed = /API key\s+KeysApiApiKey \(id [a-z0-9]{10}\): (\S+)/.exec(output);
  assert.ok(printed, output);
  return printed[1]!;
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allFiles(path) : [path];
  });
}

/** Every access record so far (`logs/aws/apigateway/<apiId>/<stage>/access.ndjson`, one log event per line). */
function accessRecords(): Record<string, unknown>[] {
  return allFiles(join(portico.dataDir, 'logs'))
    .filter((file) => file.includes('apigateway'))
    .flatMap((file) => readFileSync(file, 'utf8').split('\n').filter((line) => line !== ''))
    .map((line) => JSON.parse((JSON.parse(line) as { message: string }).message) as Record<string, unknown>);
}

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) assert.fail('timed out');
    await new Promise((done) => setTimeout(done, 50));
  }
}
