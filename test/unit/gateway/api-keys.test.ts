/**
 * The pieces behind API keys and usage plans: quota periods in UTC, key hashing and sealing, the usage counters and
 * their persistence, template deploys, and the api-key policy on its own (`ApiKeySourceType: AUTHORIZER` reads the authorizer's
 * `usageIdentifierKey`).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ApiSpec, RouteSpec } from '../../../src/app/model.js';
import type { PolicyContext } from '../../../src/gateway/phases.js';
import { apiKeyPolicy, type ApiKeyConfig } from '../../../src/gateway/policies/api-key.js';
import { InMemoryTokenBucketStore } from '../../../src/gateway/policies/token-bucket-store.js';
import { KeyCrypto } from '../../../src/gateway/usage-plans/key-crypto.js';
import { quotaPeriod } from '../../../src/gateway/usage-plans/quota-period.js';
import { UsagePlanRegistry } from '../../../src/gateway/usage-plans/registry.js';
import { SqliteUsagePlanStore } from '../../../src/gateway/usage-plans/sqlite-store.js';
import { applyTemplate } from '../../../src/gateway/usage-plans/template-sync.js';
import { LocalUsageCounters } from '../../../src/gateway/usage-plans/usage-counters.js';

const iso = (t: number): string => new Date(t).toISOString();

test('quota periods: DAY from UTC midnight, WEEK from the offset weekday (0 Sunday), MONTH from day offset + 1', () => {
  const wednesday = Date.parse('2026-11-25T10:00:00Z');
  const day = quotaPeriod({ limit: 1, offset: 0, period: 'DAY' }, wednesday);
  assert.deepEqual([iso(day.start), iso(day.end)], ['2026-11-25T00:00:00.000Z', '2026-11-26T00:00:00.000Z']);
  const sunday = quotaPeriod({ limit: 1, offset: 0, period: 'WEEK' }, wednesday);
  assert.deepEqual([iso(sunday.start), iso(sunday.end)], ['2026-11-22T00:00:00.000Z', '2026-11-29T00:00:00.000Z']);
  const thursday = quotaPeriod({ limit: 1, offset: 4, period: 'WEEK' }, wednesday);
  assert.equal(iso(thursday.start), '2026-11-19T00:00:00.000Z');
  const month = quotaPeriod({ limit: 1, offset: 0, period: 'MONTH' }, wednesday);
  assert.deepEqual([iso(month.start), iso(month.end)], ['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z']);
  const fromThe27th = quotaPeriod({ limit: 1, offset: 26, period: 'MONTH' }, Date.parse('2026-01-05T00:00:00Z'));
  assert.deepEqual([iso(fromThe27th.start), iso(fromThe27th.end)], ['2025-12-27T00:00:00.000Z', '2026-01-27T00:00:00.000Z']);
});

test('key crypto: the hash is keyed (another secret gives another hash), sealed values open only with the secret', () => {
  const one = new KeyCrypto(randomBytes(32));
  const other = new KeyCrypto(randomBytes(32));
  const value = one.generateValue();
  assert.match(value, /^[A-Za-z0-9]{40}$/);
  assert.ok(one.sameHash(one.hash(value), one.hash(value)));
  assert.ok(!one.sameHash(one.hash(value), other.hash(value)));
  const sealed = one.seal(value);
  assert.ok(!sealed.includes(value));
  assert.equal(one.open(sealed), value);
  assert.throws(() => other.open(sealed));
});

test('usage counters: a quota stops at its limit, UpdateUsage sets what remains, counts survive a reopen', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-usage-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'usage.sqlite');
  const quota = { limit: 3, offset: 0, period: 'DAY' as const };
  const now = Date.parse('2026-11-25T10:00:00Z');
  let store = new SqliteUsagePlanStore(path);
  let counters = new LocalUsageCounters(store, [], []);
  assert.deepEqual([1, 2, 3, 4].map(() => counters.consume('p', 'k', quota, now)), [true, true, true, false]);
  counters.setRemaining('p', 'k', quota, 2, now);
  assert.equal(counters.usedInPeriod('p', 'k', quota, now), 1);
  assert.equal(counters.consume('p', 'k', quota, now), true);
  counters.close();
  store.close();

  store = new SqliteUsagePlanStore(path);
  const snapshot = store.load();
  counters = new LocalUsageCounters(store, snapshot.usage, snapshot.adjustments);
  assert.equal(counters.daily('p', 'k', '2026-11-25'), 4);
  assert.equal(counters.consume('p', 'k', quota, now), true, 'one left after the grant');
  assert.equal(counters.consume('p', 'k', quota, now), false);
  assert.equal(counters.consume('p', 'k', quota, now + 86_400_000), true, 'a new day, a new quota');
  counters.close();
  store.close();
});

function registry(): UsagePlanRegistry {
  const store = new SqliteUsagePlanStore(':memory:');
  const snapshot = store.load();
  return new UsagePlanRegistry(store, snapshot, new KeyCrypto(randomBytes(32)), new LocalUsageCounters(store, [], []), new InMemoryTokenBucketStore());
}

const api = (apiKeySource?: 'HEADER' | 'AUTHORIZER'): ApiSpec => ({
  logicalId: 'A', kind: 'REST', apiId: 'api0000001', stageName: 'Prod', stageVariables: {}, binaryMediaTypes: [], routes: [],
  ...(apiKeySource ? { apiKeySource } : {}),
});
const route: RouteSpec = { method: 'GET', path: '/items', functionLogicalId: 'Fn', payloadFormatVersion: '1.0', timeoutInMillis: 29000, eventId: 'E', apiKeyRequired: true };
const ctx = (headers: string[], authorizer?: PolicyContext['authorizer']): PolicyContext => ({ method: 'GET', path: '/items', rawHeaders: headers, ...(authorizer ? { authorizer } : {}) });

test('api-key policy: only methods with apiKeyRequired; HEADER reads x-api-key, AUTHORIZER the usageIdentifierKey', () => {
  const plans = registry();
  const { key, value } = plans.createKey({ name: 'k', description: undefined, enabled: true, value: undefined, customerId: undefined, stageKeys: [] });
  const plan = plans.createPlan({ name: 'p', description: '', apiStages: [{ apiId: 'api0000001', stage: 'Prod', throttle: {} }], throttle: undefined, quota: undefined });
  const policy = apiKeyPolicy(plans);
  assert.equal(policy.compile({ api: api(), route: { ...route, apiKeyRequired: undefined } }), undefined);
  const header = policy.compile({ api: api(), route }) as ApiKeyConfig;
  assert.deepEqual(header, { id: 'api0000001/Prod//items/GET', stageId: 'api0000001/Prod', apiId: 'api0000001', stage: 'Prod', method: '/items/GET', source: 'HEADER' });

  assert.deepEqual(policy.onRequest!(ctx(['X-Api-Key', value]), header), { error: 'INVALID_API_KEY' }, 'a key in no plan');
  plans.addPlanKey(plan.id, key.id);
  const admitted = ctx(['X-Api-Key', value]);
  assert.equal(policy.onRequest!(admitted, header), undefined);
  assert.deepEqual(admitted.apiKey, { id: key.id, value });

  const fromAuthorizer = policy.compile({ api: api('AUTHORIZER'), route }) as ApiKeyConfig;
  assert.deepEqual(policy.onRequest!(ctx(['x-api-key', value]), fromAuthorizer), { error: 'INVALID_API_KEY' }, 'the header is not read');
  const authorized = ctx([], { kind: 'lambda', principalId: 'user', context: {}, usageIdentifierKey: value, integrationLatency: 0 });
  assert.equal(policy.onRequest!(authorized, fromAuthorizer), undefined);
  assert.equal(authorized.apiKey?.id, key.id);

  plans.updateKey(key.id, { enabled: false });
  assert.deepEqual(policy.onRequest!(ctx(['x-api-key', value]), header), { error: 'INVALID_API_KEY' }, 'disabled');
});

test('template sync: keys keep id and generated value across deploys, follow the template, and go with it', () => {
  const plans = registry();
  const key = { logicalId: 'K', id: 'key0000001', name: 'k', description: '', enabled: true, value: undefined, stageKeys: [] };
  const given = { ...key, logicalId: 'G', id: 'key0000002', value: 'given-value-0123456789abcdef' };
  const plan = { logicalId: 'P', id: 'pln001', name: 'p', description: '', apiStages: [{ apiId: 'api0000001', stage: 'Prod', throttle: {} }], throttle: undefined, quota: undefined, keyIds: [key.id] };
  const first = applyTemplate(plans, { apiKeys: [key, given], plans: [plan] });
  const generated = first[0]!.value;
  assert.match(generated, /^[A-Za-z0-9]{40}$/);
  const target = { id: 'api0000001/Prod//items/GET', stageId: 'api0000001/Prod', apiId: 'api0000001', stage: 'Prod', method: '/items/GET' };
  assert.equal(plans.authenticate(generated, target)?.plan.id, 'pln001');

  const outsider = plans.createKey({ name: 'api', description: undefined, enabled: true, value: undefined, customerId: undefined, stageKeys: [] });
  plans.addPlanKey('pln001', outsider.key.id);

  const second = applyTemplate(plans, { apiKeys: [{ ...key, enabled: false }, { ...given, value: 'changed-value-0123456789abcdef' }], plans: [plan] });
  assert.equal(second[0]!.value, generated, 'the generated value is kept');
  assert.equal(plans.findKey(key.id)!.enabled, false);
  assert.equal(plans.authenticate(generated, target), undefined, 'disabled by the template');
  assert.equal(plans.authenticate('given-value-0123456789abcdef', target), undefined, 'the old value no longer works');
  assert.deepEqual(plans.planKeyIds('pln001').sort(), [key.id, outsider.key.id].sort(), "the management API's key stays attached");

  applyTemplate(plans, undefined);
  assert.equal(plans.findKey(key.id), undefined);
  assert.deepEqual(plans.listPlans(), []);
  assert.ok(plans.findKey(outsider.key.id), "the management API's key stays");
});
