/**
 * The API Gateway management API for keys and usage plans on the AWS endpoint, driven by boto3
 * (test/fixtures/clients/apigateway_keys.py) and the AWS CLI v1 against the real `portico up` (fixture gw-keys):
 * what they create is enforced by the gateway at once, GetUsage counts it, UpdateUsage changes what remains.
 * (`@aws-sdk/client-api-gateway` is not among Portico's dependencies; botocore is a second, independent client.)
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { awsEnv, REPO_ROOT, startPortico, type RunningPortico } from '../helpers/portico.js';
import { apiId, fixture, send } from './gateway-helpers.js';

const run = promisify(execFile);
const hasBoto3 = spawnSync('python3', ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0;
const hasAwsCli = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
const SCRIPT = resolve(REPO_ROOT, 'test/fixtures/clients/apigateway_keys.py');

let portico: RunningPortico;

before(async () => {
  portico = await startPortico(fixture('gw-keys'));
});

after(async () => {
  await portico?.stop();
});

function clientEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
  return { ...env, ...awsEnv(portico.awsEndpoint), AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_MAX_ATTEMPTS: '1', AWS_PAGER: '' };
}

interface ApiKey {
  readonly id: string;
  readonly value?: string;
  readonly name: string;
  readonly enabled: boolean;
}
interface Plan {
  readonly id: string;
  readonly apiStages: unknown;
  readonly quota: unknown;
  readonly throttle: unknown;
}
interface Items<T> {
  readonly items: T[];
}
interface ApiError {
  readonly error: string;
  readonly status: number;
}
interface Setup {
  readonly given: ApiKey & { value: string };
  readonly generated: ApiKey & { value: string };
  readonly listed: Items<ApiKey>;
  readonly plain: Items<ApiKey>;
  readonly one: ApiKey;
  readonly plan: Plan;
  readonly gotPlan: Plan;
  readonly planKey: unknown;
  readonly planKeys: Items<unknown>;
  readonly plans: Items<Plan>;
  readonly duplicate: ApiError;
  readonly missingKey: ApiError;
  readonly missingPlan: ApiError;
  readonly shortValue: ApiError;
  readonly unknownApi: ApiError & { message: string };
  readonly unknownStage: ApiError & { message: string };
  readonly updated: Plan & { description: string };
  readonly updateErrors: Record<'removeMissing' | 'badStage' | 'missingPlan', ApiError & { message: string }>;
  readonly deleted: ApiError;
}
interface UsageSteps {
  readonly before: unknown;
  readonly updated: { readonly items: unknown };
  readonly after: { readonly items: unknown };
}

async function boto3<T>(...args: string[]): Promise<T> {
  const { stdout } = await run('python3', [SCRIPT, ...args], { env: clientEnv() });
  return JSON.parse(stdout) as T;
}

async function cli<T>(...args: string[]): Promise<T> {
  const { stdout } = await run('aws', ['apigateway', ...args, '--output', 'json'], { env: clientEnv() });
  return (stdout.trim() === '' ? undefined : JSON.parse(stdout)) as T;
}

const keyed = (key: string): { headers: [string, string][] } => ({ headers: [['x-api-key', key]] });

test('boto3: keys, includeValues, usage plans (create, update, delete) and their keys, GetUsage and UpdateUsage, AWS errors', { skip: !hasBoto3 && 'boto3 not installed' }, async () => {
  const restApiId = apiId(portico.output(), 'KeysApi');
  const setup = await boto3<Setup>('setup', restApiId, 'Prod');
  const { given, generated, listed, plain, one, plan, planKey } = setup;

  assert.match(given.id, /^[a-z0-9]{10}$/);
  assert.equal(given.value, 'management-key-value-0123456789');
  assert.equal(given.enabled, true);
  assert.match(generated.value, /^[A-Za-z0-9]{40}$/, 'a generated value, as API Gateway makes them');
  const listedGiven = listed.items.find((k) => k.id === given.id)!;
  assert.equal(listedGiven.value, given.value, 'includeValues shows the value');
  assert.equal(plain.items.find((k) => k.id === given.id)!.value, undefined, 'without includeValues, no value');
  assert.equal(one.value, undefined);
  assert.ok(listed.items.some((k) => k.name === 'fixed'), 'the template keys are listed too');

  assert.deepEqual(plan.apiStages, [{ apiId: restApiId, stage: 'Prod' }]);
  assert.deepEqual(plan.quota, { limit: 5, offset: 0, period: 'DAY' });
  assert.deepEqual(plan.throttle, { burstLimit: 100, rateLimit: 50.5 });
  assert.deepEqual(setup.gotPlan, plan);
  assert.deepEqual(planKey, { id: given.id, type: 'API_KEY', value: given.value, name: 'given' });
  assert.deepEqual(setup.planKeys.items, [planKey]);
  assert.deepEqual(setup.plans.items.map((p) => p.id), [plan.id]);
  assert.equal(setup.duplicate.error, 'ConflictException');
  assert.equal(setup.duplicate.status, 409);
  assert.deepEqual(setup.missingKey, { error: 'NotFoundException', message: 'Invalid API Key identifier specified', status: 404 });
  assert.deepEqual(setup.missingPlan, { error: 'NotFoundException', message: 'Invalid Usage Plan ID specified', status: 404 });
  assert.equal(setup.unknownApi.error, 'NotFoundException');
  assert.match(setup.unknownApi.message, /^Invalid API identifier specified \d{12}:nosuchapi0$/);
  assert.deepEqual(setup.unknownStage, { error: 'NotFoundException', message: `Invalid API Stage {api: ${restApiId}, stage: Nope} specified`, status: 404 });
  assert.deepEqual(setup.updated.apiStages, [{ apiId: restApiId, stage: 'Prod' }], 'UpdateUsagePlan');
  assert.deepEqual(setup.updated.quota, { limit: 7, offset: 0, period: 'WEEK' });
  assert.deepEqual(setup.updated.throttle, { burstLimit: 3 });
  assert.equal(setup.updated.description, 'patched');
  assert.deepEqual(setup.updateErrors.removeMissing, {
    error: 'NotFoundException', message: `Invalid API Stage {api: nosuchapi0, stage: Prod} specified for usageplan ${setup.updated.id}`, status: 404,
  });
  assert.deepEqual(setup.updateErrors.badStage, { error: 'BadRequestException', message: 'Invalid API Stage specified', status: 400 });
  assert.deepEqual(setup.updateErrors.missingPlan, { error: 'NotFoundException', message: 'Invalid Usage Plan ID specified', status: 404 });
  assert.equal(setup.deleted.error, 'NotFoundException', 'DeleteUsagePlan');
  assert.deepEqual(setup.shortValue, { error: 'BadRequestException', message: 'API Key value should be at least 20 characters', status: 400 });

  // The gateway enforces the new plan at once: the key passes, the generated key (in no plan) does not.
  assert.equal((await send(portico.gateway, '/Prod/echo', keyed(given.value))).status, 200);
  assert.equal((await send(portico.gateway, '/Prod/echo', keyed(given.value))).status, 200);
  assert.equal((await send(portico.gateway, '/Prod/echo', keyed(generated.value))).status, 403);

  const today = new Date().toISOString().slice(0, 10);
  const usage = await boto3<UsageSteps>('usage', plan.id, given.id, today);
  assert.deepEqual(usage.before, { usagePlanId: plan.id, startDate: today, endDate: today, items: { [given.id]: [[2, 3]] } });
  assert.deepEqual(usage.updated.items, { [given.id]: [[2, 1]] });
  assert.deepEqual(usage.after.items, { [given.id]: [[2, 1]] });

  assert.equal((await send(portico.gateway, '/Prod/echo', keyed(given.value))).status, 200, 'the one request UpdateUsage left');
  const over = await send(portico.gateway, '/Prod/echo', keyed(given.value));
  assert.equal(over.status, 429);
  assert.equal(over.text, '{"message":"Limit Exceeded"}');
});

test('AWS CLI v1: get-api-keys --include-values, update-api-key disables a key, delete-api-key removes it', { skip: !hasAwsCli && 'aws CLI not installed' }, async () => {
  const created = await cli<ApiKey>('create-api-key', '--name', 'cli', '--enabled', '--value', 'cli-key-value-0123456789abcdef');
  const listed = await cli<Items<ApiKey>>('get-api-keys', '--include-values');
  assert.equal(listed.items.find((k) => k.id === created.id)!.value, 'cli-key-value-0123456789abcdef');

  const fixed = listed.items.find((k) => k.name === 'fixed')!;
  assert.equal((await send(portico.gateway, '/Prod/echo', keyed(fixed.value!))).status, 200);
  const disabled = await cli<ApiKey>('update-api-key', '--api-key', fixed.id, '--patch-operations', 'op=replace,path=/enabled,value=false');
  assert.equal(disabled.enabled, false);
  assert.equal((await send(portico.gateway, '/Prod/echo', keyed(fixed.value!))).status, 403, 'a disabled key is refused at once');

  await cli('delete-api-key', '--api-key', created.id);
  const after = await cli<Items<ApiKey>>('get-api-keys');
  assert.equal(after.items.some((k) => k.id === created.id), false);
  await assert.rejects(cli('get-api-key', '--api-key', created.id), /NotFoundException/);
});
