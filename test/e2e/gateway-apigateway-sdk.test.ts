/**
 * The API Gateway management API on Portico's AWS endpoint driven by the AWS SDK v3's own client,
 * `@aws-sdk/client-api-gateway` (APIGatewayClient), against the real `portico up`: keys and usage plans on the
 * gw-keys fixture (CreateApiKey, GetApiKeys with includeValues, CreateUsagePlan, CreateUsagePlanKey, GetUsage,
 * UpdateUsage — what they create is enforced by the gateway at once) and FlushStageCache on the gw-cache fixture,
 * with API Gateway's errors as the SDK's modelled exceptions. (gateway-api-keys-management.test.ts and
 * gateway-cache.test.ts drive the same API with boto3 and the AWS CLI.)
 */
import {
  APIGatewayClient,
  BadRequestException,
  ConflictException,
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  FlushStageCacheCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetUsageCommand,
  GetUsagePlanKeysCommand,
  NotFoundException,
  UpdateUsageCommand,
  paginateGetApiKeys,
} from '@aws-sdk/client-api-gateway';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startPortico, type RunningPortico } from '../helpers/portico.js';
import { apiId, fixture, json, send } from './gateway-helpers.js';

const countDir = mkdtempSync(join(tmpdir(), 'portico-apigw-sdk-'));
const countFile = join(countDir, 'requests.log');
let keys: RunningPortico;
let cache: RunningPortico;

before(async () => {
  writeFileSync(countFile, '');
  [keys, cache] = await Promise.all([startPortico(fixture('gw-keys')), startPortico(fixture('gw-cache'), ['--parameter-overrides', `CountFile=${countFile}`])]);
});

after(async () => {
  await Promise.all([keys?.stop(), cache?.stop()]);
  rmSync(countDir, { recursive: true, force: true });
});

function client(portico: RunningPortico): APIGatewayClient {
  return new APIGatewayClient({ endpoint: portico.awsEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

const keyed = (key: string): { headers: [string, string][] } => ({ headers: [['x-api-key', key]] });

test('APIGatewayClient: CreateApiKey, GetApiKeys includeValues, CreateUsagePlan and its key, enforced at once; AWS errors', async () => {
  const apigw = client(keys);
  try {
    const restApiId = apiId(keys.output(), 'KeysApi');
    const given = await apigw.send(new CreateApiKeyCommand({ name: 'sdk-given', enabled: true, value: 'sdk-key-value-0123456789abcdef' }));
    assert.match(given.id!, /^[a-z0-9]{10}$/);
    assert.equal(given.value, 'sdk-key-value-0123456789abcdef');
    assert.equal(given.enabled, true);
    assert.ok(given.createdDate instanceof Date, 'the SDK parsed createdDate into a Date');
    const generated = await apigw.send(new CreateApiKeyCommand({ name: 'sdk-generated', enabled: true }));
    assert.match(generated.value!, /^[A-Za-z0-9]{40}$/);

    const withValues = await apigw.send(new GetApiKeysCommand({ includeValues: true }));
    assert.equal(withValues.items!.find((k) => k.id === given.id)!.value, given.value);
    assert.ok(withValues.items!.some((k) => k.name === 'fixed' && k.value === 'fixed-key-value-0123456789abcdef'), 'the template keys are listed with their values');
    const without = await apigw.send(new GetApiKeysCommand({}));
    assert.equal(without.items!.find((k) => k.id === given.id)!.value, undefined, 'no values without includeValues');
    const byName = await apigw.send(new GetApiKeysCommand({ nameQuery: 'sdk-given' }));
    assert.deepEqual(byName.items!.map((k) => k.id), [given.id]);
    assert.equal((await apigw.send(new GetApiKeyCommand({ apiKey: given.id! }))).name, 'sdk-given');

    // A key in no plan is refused until CreateUsagePlanKey puts it in one.
    assert.equal((await send(keys.gateway, '/Prod/echo', keyed(given.value!))).status, 403);
    const plan = await apigw.send(
      new CreateUsagePlanCommand({
        name: 'sdk-plan',
        apiStages: [{ apiId: restApiId, stage: 'Prod' }],
        quota: { limit: 4, period: 'DAY' },
        throttle: { burstLimit: 100, rateLimit: 50 },
      }),
    );
    assert.deepEqual(plan.apiStages, [{ apiId: restApiId, stage: 'Prod' }]);
    assert.deepEqual(plan.quota, { limit: 4, offset: 0, period: 'DAY' });
    assert.deepEqual(plan.throttle, { burstLimit: 100, rateLimit: 50 });
    const planKey = await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: given.id!, keyType: 'API_KEY' }));
    assert.deepEqual({ id: planKey.id, type: planKey.type, name: planKey.name, value: planKey.value }, { id: given.id, type: 'API_KEY', name: 'sdk-given', value: given.value });
    assert.deepEqual((await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id! }))).items!.map((k) => k.id), [given.id]);

    const echoed = await send(keys.gateway, '/Prod/echo', keyed(given.value!));
    assert.equal(echoed.status, 200);
    assert.equal((json(echoed).identity as { apiKeyId: string }).apiKeyId, given.id);
    assert.equal((await send(keys.gateway, '/Prod/echo', keyed(given.value!))).status, 200);

    // GetUsage: [used, remaining] per day; UpdateUsage sets what remains.
    const today = new Date().toISOString().slice(0, 10);
    const usage = await apigw.send(new GetUsageCommand({ usagePlanId: plan.id!, startDate: today, endDate: today }));
    assert.equal(usage.usagePlanId, plan.id);
    assert.equal(usage.startDate, today);
    assert.equal(usage.endDate, today);
    assert.deepEqual(usage.items, { [given.id!]: [[2, 2]] });
    const updated = await apigw.send(new UpdateUsageCommand({ usagePlanId: plan.id!, keyId: given.id!, patchOperations: [{ op: 'replace', path: '/remaining', value: '1' }] }));
    assert.deepEqual(updated.items, { [given.id!]: [[2, 1]] });
    const byKey = await apigw.send(new GetUsageCommand({ usagePlanId: plan.id!, keyId: given.id!, startDate: today, endDate: today }));
    assert.deepEqual(byKey.items, { [given.id!]: [[2, 1]] });
    assert.equal((await send(keys.gateway, '/Prod/echo', keyed(given.value!))).status, 200, 'the one request UpdateUsage left');
    const over = await send(keys.gateway, '/Prod/echo', keyed(given.value!));
    assert.equal(over.status, 429);
    assert.equal(over.text, '{"message":"Limit Exceeded"}');

    // API Gateway's errors, as the SDK's exception classes with their HTTP status.
    const status = (code: number) => (err: Error & { $metadata?: { httpStatusCode?: number } }) => err.$metadata?.httpStatusCode === code;
    await assert.rejects(apigw.send(new GetApiKeyCommand({ apiKey: 'nosuchkey0' })), (err: Error) => {
      assert.ok(err instanceof NotFoundException, `${err.name}: ${err.message}`);
      assert.equal(err.message, 'Invalid API Key identifier specified');
      return status(404)(err);
    });
    await assert.rejects(apigw.send(new CreateApiKeyCommand({ name: 'short', value: 'too-short' })), (err: Error) => {
      assert.ok(err instanceof BadRequestException, `${err.name}: ${err.message}`);
      assert.equal(err.message, 'API Key value should be at least 20 characters');
      return status(400)(err);
    });
    await assert.rejects(apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: given.id!, keyType: 'API_KEY' })), (err: Error) => {
      assert.ok(err instanceof ConflictException, `${err.name}: ${err.message}`);
      return status(409)(err);
    });
    await assert.rejects(apigw.send(new CreateUsagePlanCommand({ name: 'x', apiStages: [{ apiId: restApiId, stage: 'Nope' }] })), (err: Error) => {
      assert.ok(err instanceof NotFoundException, `${err.name}: ${err.message}`);
      assert.equal(err.message, `Invalid API Stage {api: ${restApiId}, stage: Nope} specified`);
      return true;
    });
    await assert.rejects(apigw.send(new GetUsageCommand({ usagePlanId: 'nope00', startDate: today, endDate: today })), NotFoundException);
  } finally {
    apigw.destroy();
  }
});

test('APIGatewayClient: FlushStageCache empties the stage cache; an unknown stage or API is NotFoundException', async () => {
  const apigw = client(cache);
  const reached = (): number => readFileSync(countFile, 'utf8').split('\n').filter((l) => l === 'GET /items').length;
  try {
    const restApiId = apiId(cache.output(), 'CachedApi');
    const first = await send(cache.gateway, '/Prod/items?type=sdk-flush');
    assert.equal(first.status, 200);
    assert.equal((await send(cache.gateway, '/Prod/items?type=sdk-flush')).text, first.text, 'a cache hit');
    assert.equal(reached(), 1);

    const flushed = await apigw.send(new FlushStageCacheCommand({ restApiId, stageName: 'Prod' }));
    assert.equal(flushed.$metadata.httpStatusCode, 202);
    const after = await send(cache.gateway, '/Prod/items?type=sdk-flush');
    assert.notEqual(after.text, first.text, 'fetched anew after the flush');
    assert.equal(reached(), 2);
    assert.equal((await send(cache.gateway, '/Prod/items?type=sdk-flush')).text, after.text, 'and cached again');

    await assert.rejects(apigw.send(new FlushStageCacheCommand({ restApiId, stageName: 'Nope' })), NotFoundException);
    await assert.rejects(apigw.send(new FlushStageCacheCommand({ restApiId: 'nosuchapi0', stageName: 'Prod' })), NotFoundException);
  } finally {
    apigw.destroy();
  }
});

test('GetApiKeys pages as API Gateway does: 25 by default, `limit` up to 500, `position` to go on; the SDK paginator reads them all', async () => {
  const apigw = client(keys);
  try {
    const names = Array.from({ length: 30 }, (_, i) => `paged-${String(i).padStart(2, '0')}`);
    for (const name of names) await apigw.send(new CreateApiKeyCommand({ name, enabled: true }));
    const first = await apigw.send(new GetApiKeysCommand({ nameQuery: 'paged-' }));
    assert.equal(first.items?.length, 25);
    assert.ok(first.position, 'a position while more keys follow');
    const rest = await apigw.send(new GetApiKeysCommand({ nameQuery: 'paged-', position: first.position }));
    assert.equal(rest.items?.length, 5);
    assert.equal(rest.position, undefined, 'no position on the last page');
    const seen: string[] = [];
    for await (const page of paginateGetApiKeys({ client: apigw, pageSize: 7 }, { nameQuery: 'paged-' })) {
      assert.ok((page.items?.length ?? 0) <= 7);
      seen.push(...(page.items ?? []).map((k) => k.name!));
    }
    assert.deepEqual(seen.sort(), names);
    await assert.rejects(apigw.send(new GetApiKeysCommand({ limit: 501 })), (error: unknown) => error instanceof BadRequestException);
    await assert.rejects(apigw.send(new GetApiKeysCommand({ position: 'not-a-position' })), (error: unknown) => error instanceof BadRequestException);
  } finally {
    apigw.destroy();
  }
});
