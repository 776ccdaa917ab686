/**
 * The token bucket (rate and burst arithmetic on an injected clock), the in-memory store, which stage setting applies
 * to a route (REST MethodSettings, HTTP API RouteSettings), and the throttle hook in a RoutePlan: stage, then account.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiSpec, RouteSpec, ThrottlingSpec } from '../../../src/app/model.js';
import type { PolicyContext } from '../../../src/gateway/phases.js';
import { buildPlan, gatewayPolicies, runRequestHooks } from '../../../src/gateway/plan.js';
import { ACCOUNT_LIMITS, stageLimits, throttlePolicy } from '../../../src/gateway/policies/throttle.js';
import { InMemoryTokenBucketStore, LocalTokenBucket, type TokenBucket, type TokenBucketStore } from '../../../src/gateway/policies/token-bucket-store.js';

/** A clock the test moves by hand (milliseconds). */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

const takeN = (bucket: TokenBucket, n: number): number => {
  let passed = 0;
  for (let i = 0; i < n; i++) if (bucket.take() === true) passed++;
  return passed;
};

test('a bucket starts full: burst 5 lets 5 requests through at once, then none', () => {
  const clock = manualClock();
  const bucket = new LocalTokenBucket({ rateLimit: 1, burstLimit: 5 }, clock.now);
  assert.equal(takeN(bucket, 8), 5);
  assert.equal(bucket.take(), false);
});

test('tokens come back at the rate, fractions included, and never beyond the burst', () => {
  const clock = manualClock();
  const bucket = new LocalTokenBucket({ rateLimit: 2, burstLimit: 3 }, clock.now);
  assert.equal(takeN(bucket, 3), 3);
  clock.advance(250); // 0.5 token
  assert.equal(bucket.take(), false);
  clock.advance(250); // 0.5 + 0.5 = 1 token (the failed take kept the half)
  assert.equal(bucket.take(), true);
  assert.equal(bucket.take(), false);
  clock.advance(60_000); // 120 tokens' worth, capped at 3
  assert.equal(bucket.available(), 3);
  assert.equal(takeN(bucket, 10), 3);
});

test('a steady rate below the limit always passes; above it, the bucket drains to the rate', () => {
  const clock = manualClock();
  const bucket = new LocalTokenBucket({ rateLimit: 10, burstLimit: 2 }, clock.now);
  let passed = 0;
  for (let i = 0; i < 100; i++) {
    clock.advance(100); // exactly 10 requests per second
    if (bucket.take()) passed++;
  }
  assert.equal(passed, 100);
  let fast = 0;
  for (let i = 0; i < 100; i++) {
    clock.advance(50); // 20 requests per second for 5 s: 2 (burst) + 10/s × 5 s
    if (bucket.take()) fast++;
  }
  assert.ok(fast >= 50 && fast <= 52, `passed ${fast}`);
});

test('burst 0 or rate 0 with an empty bucket throttles everything', () => {
  const clock = manualClock();
  const zero = new LocalTokenBucket({ rateLimit: 0, burstLimit: 0 }, clock.now);
  clock.advance(10_000);
  assert.equal(takeN(zero, 3), 0);
  const noBurst = new LocalTokenBucket({ rateLimit: 100, burstLimit: 0 }, clock.now);
  clock.advance(10_000);
  assert.equal(noBurst.take(), false, 'a bucket that holds no token never passes');
});

test('the store returns the same bucket for a key (state kept across redeploys) and applies changed limits', () => {
  const clock = manualClock();
  const store = new InMemoryTokenBucketStore(clock.now);
  const a = store.bucket('k', { rateLimit: 1, burstLimit: 4 });
  assert.equal(takeN(a, 2), 2);
  const again = store.bucket('k', { rateLimit: 1, burstLimit: 4 });
  assert.equal(again, a);
  assert.equal(again.available(), 2, 'tokens taken before the redeploy stay taken');
  store.bucket('k', { rateLimit: 1, burstLimit: 1 });
  assert.equal(a.available(), 1, 'a smaller burst caps the tokens held');
  assert.notEqual(store.bucket('other', { rateLimit: 1, burstLimit: 1 }), a);
  assert.equal(store.size, 2);
});

const route = (method: string, path: string): RouteSpec => ({
  method, path, functionLogicalId: 'Fn', payloadFormatVersion: '1.0', timeoutInMillis: 29000, eventId: 'E',
});

function api(kind: 'REST' | 'HTTP', routes: RouteSpec[], throttling?: ThrottlingSpec, apiId = 'abcdefghij'): ApiSpec {
  return { logicalId: 'Api', kind, apiId, stageName: 'Prod', stageVariables: {}, binaryMediaTypes: [], routes, ...(throttling ? { throttling } : {}) };
}

const limits = (rateLimit: number | undefined, burstLimit: number | undefined) => ({ rateLimit, burstLimit });

test('REST MethodSettings: path+method beats path+*, which beats /*+method, which beats */*', () => {
  const all = { resourcePath: '*', httpMethod: '*', ...limits(1, 1) };
  const anyPathGet = { resourcePath: '*', httpMethod: 'GET', ...limits(2, 2) };
  const itemsAny = { resourcePath: '/items', httpMethod: '*', ...limits(3, 3) };
  const itemsGet = { resourcePath: '/items', httpMethod: 'GET', ...limits(4, 4) };
  const spec = (methods: typeof all[]) => api('REST', [], { kind: 'REST', methods });
  const get = route('GET', '/items');
  assert.deepEqual(stageLimits(spec([all, anyPathGet, itemsAny, itemsGet]), get), { rateLimit: 4, burstLimit: 4 });
  assert.deepEqual(stageLimits(spec([all, anyPathGet, itemsAny]), get), { rateLimit: 3, burstLimit: 3 });
  assert.deepEqual(stageLimits(spec([all, anyPathGet]), get), { rateLimit: 2, burstLimit: 2 });
  assert.deepEqual(stageLimits(spec([all]), get), { rateLimit: 1, burstLimit: 1 });
  assert.deepEqual(stageLimits(spec([all, itemsGet]), route('POST', '/items')), { rateLimit: 1, burstLimit: 1 });
  assert.equal(stageLimits(spec([itemsGet]), route('POST', '/items')), undefined, 'no setting: only the account applies');
  assert.equal(stageLimits(api('REST', []), get), undefined);
});

test('a field a setting leaves out comes from the less specific setting, then from the method-setting defaults', () => {
  const spec = api('REST', [], {
    kind: 'REST',
    methods: [
      { resourcePath: '/items', httpMethod: 'GET', ...limits(undefined, 7) },
      { resourcePath: '*', httpMethod: '*', ...limits(50, 100) },
    ],
  });
  assert.deepEqual(stageLimits(spec, route('GET', '/items')), { rateLimit: 50, burstLimit: 7 });
  const alone = api('REST', [], { kind: 'REST', methods: [{ resourcePath: '/items', httpMethod: 'GET', ...limits(3, undefined) }] });
  assert.deepEqual(stageLimits(alone, route('GET', '/items')), { rateLimit: 3, burstLimit: 5000 });
});

test('HTTP API: RouteSettings for the route key beat DefaultRouteSettings; $default by its own key', () => {
  const throttling: ThrottlingSpec = {
    kind: 'HTTP',
    defaultRoute: limits(10, 20),
    routes: { 'GET /items': limits(1, undefined), $default: limits(5, 5) },
  };
  const spec = api('HTTP', [], throttling);
  assert.deepEqual(stageLimits(spec, route('GET', '/items')), { rateLimit: 1, burstLimit: 20 });
  assert.deepEqual(stageLimits(spec, route('POST', '/items')), { rateLimit: 10, burstLimit: 20 });
  assert.deepEqual(stageLimits(spec, route('ANY', '$default')), { rateLimit: 5, burstLimit: 5 });
  assert.equal(stageLimits(api('HTTP', [], { kind: 'HTTP', defaultRoute: undefined, routes: { 'GET /a': limits(1, 1) } }), route('GET', '/b')), undefined);
});

const ctx: PolicyContext = { method: 'GET', path: '/items', rawHeaders: [] };

test('the plan: stage bucket first, then the account; a throttled request answers THROTTLED', () => {
  const clock = manualClock();
  const store = new InMemoryTokenBucketStore(clock.now);
  const spec = api('REST', [route('GET', '/items'), route('GET', '/free')], {
    kind: 'REST', methods: [{ resourcePath: '/items', httpMethod: 'GET', ...limits(0, 2) }],
  });
  const policies = gatewayPolicies({ store, account: { rateLimit: 0, burstLimit: 3 } });
  const items = buildPlan({ api: spec, route: spec.routes[0] }, policies);
  const free = buildPlan({ api: spec, route: spec.routes[1] }, policies);
  assert.deepEqual(items.onRequest.map((h) => [h.policy, h.phase]), [['throttle', 'throttle']]);
  assert.equal(runRequestHooks(items, ctx), undefined, 'synchronous pass: no promise');
  assert.equal(runRequestHooks(items, ctx), undefined);
  assert.deepEqual(runRequestHooks(items, ctx), { error: 'THROTTLED' }, 'the stage bucket of 2 is empty');
  assert.equal(runRequestHooks(free, ctx), undefined, 'the account still had a token (3 − 2)');
  assert.deepEqual(runRequestHooks(free, ctx), { error: 'THROTTLED' }, 'now the account bucket is empty');
  assert.equal(buildPlan({ api: spec, route: undefined }, policies).onRequest.length, 0, 'unrouted requests are not throttled');
});

test('one account bucket across APIs and deployments; stage buckets per API, stage and route', () => {
  const store = new InMemoryTokenBucketStore(manualClock().now);
  const policy = throttlePolicy({ store, account: ACCOUNT_LIMITS });
  const methods = [{ resourcePath: '*', httpMethod: '*', ...limits(1, 1) }];
  const a = api('REST', [route('GET', '/x'), route('POST', '/x')], { kind: 'REST', methods }, 'aaaaaaaaaa');
  const b = api('REST', [route('GET', '/x')], { kind: 'REST', methods }, 'bbbbbbbbbb');
  const ga = policy.compile({ api: a, route: a.routes[0] })!;
  const pa = policy.compile({ api: a, route: a.routes[1] })!;
  const gb = policy.compile({ api: b, route: b.routes[0] })!;
  assert.equal(ga.account, gb.account);
  assert.notEqual(ga.stage, pa.stage, '*/* limits apply to each method on its own');
  assert.notEqual(ga.stage, gb.stage);
  assert.equal(policy.compile({ api: a, route: a.routes[0] })!.stage, ga.stage, 'a redeploy finds the same bucket');
  assert.equal(store.size, 4);
});

test('an asynchronous store (Redis later) works through the same hook', async () => {
  const answers = [true, false];
  const remote: TokenBucketStore = {
    bucket: () => ({ take: () => Promise.resolve(answers.shift() ?? false) }),
  };
  const spec = api('HTTP', [route('GET', '/items')], { kind: 'HTTP', defaultRoute: limits(1, 1), routes: {} });
  const plan = buildPlan({ api: spec, route: spec.routes[0] }, gatewayPolicies({ store: remote, account: ACCOUNT_LIMITS }));
  const first = runRequestHooks(plan, ctx);
  assert.ok(first instanceof Promise);
  assert.deepEqual(await first, { error: 'THROTTLED' }, 'stage passed (true), account refused (false)');
  assert.deepEqual(await runRequestHooks(plan, ctx), { error: 'THROTTLED' });
});
