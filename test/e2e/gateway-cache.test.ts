/**
 * Response caching through the real `portico up` (fixture gw-cache, CachedApi). The function appends every request it
 * receives to a file, so "served from the cache" is counted as "never reached the function"; its body carries a
 * counter kept in module state, so a cached body is recognised by its unchanged counter.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { startPortico, type RunningPortico } from '../helpers/portico.js';
import { apiId, fixture, json, send, type Reply } from './gateway-helpers.js';

const countFile = join(mkdtempSync(join(tmpdir(), 'portico-cache-')), 'requests.log');
let portico: RunningPortico;
let gw: string;

before(async () => {
  writeFileSync(countFile, '');
  portico = await startPortico(fixture('gw-cache'), ['--parameter-overrides', `CountFile=${countFile}`]);
  gw = portico.gateway;
});

after(async () => {
  await portico?.stop();
});

/** Requests the function received for a route (`GET /items`). */
function reached(route: string): number {
  return readFileSync(countFile, 'utf8').split('\n').filter((l) => l === route).length;
}

const invocations = (reply: Reply): unknown => json(reply).invocations;
const invalidating: ReadonlyArray<readonly [string, string]> = [['Cache-Control', 'max-age=0']];

test('a cache hit answers with the cached body without invoking the function, with fresh request ids', async () => {
  const first = await send(gw, '/Prod/items?type=a');
  const second = await send(gw, '/Prod/items?type=a');
  assert.equal(first.status, 200);
  assert.equal(second.status, 200);
  assert.equal(second.text, first.text);
  assert.equal(second.headers['content-type'], 'application/json');
  assert.equal(reached('GET /items'), 1);
  assert.notEqual(second.headers['x-amzn-requestid'], first.headers['x-amzn-requestid']);
});

test('the cache is keyed by the cacheKeyParameters only: another type misses, another unkeyed parameter hits', async () => {
  const a = await send(gw, '/Prod/items?type=keyed-a');
  const b = await send(gw, '/Prod/items?type=keyed-b');
  assert.notEqual(invocations(b), invocations(a));
  const unkeyed = await send(gw, '/Prod/items?type=keyed-a&page=2');
  assert.equal(unkeyed.text, a.text, 'page is not a cache key parameter');
});

test('an entry expires after CacheTtlInSeconds (1 s)', async () => {
  const first = await send(gw, '/Prod/short');
  assert.equal((await send(gw, '/Prod/short')).text, first.text);
  assert.equal(reached('GET /short'), 1);
  await new Promise((done) => setTimeout(done, 1100));
  const later = await send(gw, '/Prod/short');
  assert.notEqual(later.text, first.text);
  assert.equal(reached('GET /short'), 2);
});

test('Cache-Control: max-age=0 without authorization is ignored with a warning header (SUCCEED_WITH_RESPONSE_HEADER, the default)', async () => {
  const first = await send(gw, '/Prod/items?type=warn');
  const before = reached('GET /items');
  const asked = await send(gw, '/Prod/items?type=warn', { headers: invalidating });
  assert.equal(asked.status, 200);
  assert.equal(asked.text, first.text, 'served from the cache');
  assert.equal(reached('GET /items'), before);
  assert.match(String(asked.headers.warning), /^199 /);
  assert.equal((await send(gw, '/Prod/items?type=warn')).headers.warning, undefined);
});

test('Cache-Control: max-age=0 under FAIL_WITH_403 is refused with 403 (and the API\'s DEFAULT_4XX header)', async () => {
  await send(gw, '/Prod/strict');
  const refused = await send(gw, '/Prod/strict', { headers: invalidating });
  assert.equal(refused.status, 403);
  assert.equal(refused.headers['x-amzn-errortype'], 'AccessDeniedException');
  assert.equal(refused.headers['access-control-allow-origin'], 'https://a.example');
  assert.equal(reached('GET /strict'), 1);
});

test('Cache-Control: max-age=0 without RequireAuthorizationForCacheControl fetches anew and replaces the entry', async () => {
  const first = await send(gw, '/Prod/open');
  const fresh = await send(gw, '/Prod/open', { headers: invalidating });
  assert.notEqual(fresh.text, first.text);
  assert.equal(fresh.headers.warning, undefined);
  assert.equal((await send(gw, '/Prod/open')).text, fresh.text, 'the new response replaced the cached one');
  assert.equal(reached('GET /open'), 2);
});

test('only GET is cached by "*": POST is cached by a setting naming it; CachingEnabled false turns a GET off', async () => {
  const post = await send(gw, '/Prod/post', { method: 'POST', body: '{}' });
  assert.equal((await send(gw, '/Prod/post', { method: 'POST', body: '{}' })).text, post.text);
  assert.equal(reached('POST /post'), 1);
  await send(gw, '/Prod/off');
  await send(gw, '/Prod/off');
  assert.equal(reached('GET /off'), 2);
});

test('responses over 1 MB are not cached', async () => {
  const first = await send(gw, '/Prod/big');
  assert.ok(first.body.length > 1_048_576);
  await send(gw, '/Prod/big');
  assert.equal(reached('GET /big'), 2);
});

test('an unknown path of an API with a DEFAULT_4XX gateway response gets its header and the default body', async () => {
  const reply = await send(gw, '/Prod/nowhere');
  assert.equal(reply.status, 403);
  assert.equal(reply.text, '{"message":"Missing Authentication Token"}');
  assert.equal(reply.headers['access-control-allow-origin'], 'https://a.example');
});

test('FlushStageCache (aws apigateway flush-stage-cache) empties the stage cache; unknown stages are NotFoundException', async () => {
  const first = await send(gw, '/Prod/items?type=flush');
  assert.equal((await send(gw, '/Prod/items?type=flush')).text, first.text);
  const restApiId = apiId(portico.output(), 'CachedApi');
  await aws(['apigateway', 'flush-stage-cache', '--rest-api-id', restApiId, '--stage-name', 'Prod']);
  const after = await send(gw, '/Prod/items?type=flush');
  assert.notEqual(after.text, first.text, 'fetched anew after the flush');
  await assert.rejects(aws(['apigateway', 'flush-stage-cache', '--rest-api-id', restApiId, '--stage-name', 'Nope']), /NotFoundException/);
  await assert.rejects(aws(['apigateway', 'flush-stage-cache', '--rest-api-id', 'nosuchapi0', '--stage-name', 'Prod']), /NotFoundException/);
});

/** The machine's AWS CLI against Portico's AWS endpoint, with the development credentials. */
async function aws(args: readonly string[]): Promise<string> {
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1' };
  const { stdout } = await promisify(execFile)('aws', [...args, '--endpoint-url', portico.awsEndpoint], { env });
  return stdout;
}
