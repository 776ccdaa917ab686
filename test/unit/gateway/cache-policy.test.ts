/**
 * The cache policy's compiled config: which methods of a route are cached (`*` entries enable GET only; a method
 * named explicitly is cached; a TTL of 0 disables), the settings' fallbacks, and the cache key from the route's
 * cache key parameters.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiSpec, MethodCacheSetting, RouteSpec } from '../../../src/app/model.js';
import type { PolicyContext } from '../../../src/gateway/phases.js';
import { cacheKey, cachePolicy } from '../../../src/gateway/policies/cache.js';
import { InMemoryResponseCacheStore } from '../../../src/gateway/policies/response-cache.js';

const setting = (resourcePath: string, httpMethod: string, fields: Partial<MethodCacheSetting>): MethodCacheSetting => ({
  resourcePath,
  httpMethod,
  cachingEnabled: undefined,
  ttlInSeconds: undefined,
  requireAuthorizationForCacheControl: undefined,
  unauthorizedCacheControlHeaderStrategy: undefined,
  ...fields,
});

const route = (method: string, path: string, cacheKeyParameters?: string[]): RouteSpec => ({
  method,
  path,
  functionLogicalId: 'Fn',
  payloadFormatVersion: '1.0',
  timeoutInMillis: 29000,
  eventId: 'E',
  ...(cacheKeyParameters ? { cacheKeyParameters } : {}),
});

function api(methods: MethodCacheSetting[], routes: RouteSpec[]): ApiSpec {
  return {
    logicalId: 'Api', kind: 'REST', apiId: 'abcdefghij', stageName: 'Prod', stageVariables: {}, binaryMediaTypes: [], routes,
    cache: { clusterSizeGb: 0.5, methods },
  };
}

function cachedMethods(spec: ApiSpec, r: RouteSpec): Record<string, { ttlMs: number; requireAuthorization: boolean; strategy: string }> {
  const config = cachePolicy(new InMemoryResponseCacheStore()).compile({ api: spec, route: r });
  return Object.fromEntries(config?.methods ?? []);
}

test('a "*" entry caches GET only (of an ANY route too); a POST entry caches POST; defaults: 300 s, authorization, warning header', () => {
  const any = route('ANY', '/{proxy+}');
  const spec = api([setting('*', '*', { cachingEnabled: true }), setting('*', 'POST', { cachingEnabled: true, ttlInSeconds: 5 })], [any]);
  assert.deepEqual(cachedMethods(spec, any), {
    GET: { ttlMs: 300_000, requireAuthorization: true, strategy: 'SUCCEED_WITH_RESPONSE_HEADER' },
    POST: { ttlMs: 5_000, requireAuthorization: true, strategy: 'SUCCEED_WITH_RESPONSE_HEADER' },
  });
});

test('the most specific entry wins field by field; TTL 0 or CachingEnabled false turns a method off', () => {
  const items = route('GET', '/items');
  const spec = api([
    setting('/items', 'GET', { ttlInSeconds: 10, unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403' }),
    setting('*', '*', { cachingEnabled: true, ttlInSeconds: 60, requireAuthorizationForCacheControl: false }),
  ], [items]);
  assert.deepEqual(cachedMethods(spec, items), { GET: { ttlMs: 10_000, requireAuthorization: false, strategy: 'FAIL_WITH_403' } });
  assert.deepEqual(cachedMethods(api([setting('*', '*', { cachingEnabled: true, ttlInSeconds: 0 })], [items]), items), {});
  assert.deepEqual(cachedMethods(api([setting('*', '*', { cachingEnabled: true }), setting('/items', 'GET', { cachingEnabled: false })], [items]), items), {});
});

test('no config without a cache cluster, for unrouted requests, or for HTTP APIs', () => {
  const items = route('GET', '/items');
  const policy = cachePolicy(new InMemoryResponseCacheStore());
  const spec = api([setting('*', '*', { cachingEnabled: true })], [items]);
  const { cache: _cache, ...noCluster } = spec;
  assert.equal(policy.compile({ api: noCluster, route: items }), undefined);
  assert.equal(policy.compile({ api: spec, route: undefined }), undefined);
  assert.equal(policy.compile({ api: { ...spec, kind: 'HTTP' }, route: items }), undefined);
});

test('the cache key: method, resource path and each key parameter\'s values (query, header case-insensitively, path)', () => {
  const ctx: PolicyContext = {
    method: 'GET',
    path: '/items/7',
    rawHeaders: ['accept', 'text/html', 'X-Other', 'o'],
    rawQueryString: 'type=a&page=2&type=b',
    pathParameters: { id: '7' },
  };
  const key = cacheKey(ctx, {
    resourcePath: '/items/{id}',
    keyParameters: ['method.request.querystring.type', 'method.request.header.Accept', 'method.request.path.id'],
  });
  assert.equal(key, 'GET /items/{id}\nmethod.request.querystring.type=["a","b"]\nmethod.request.header.Accept=["text/html"]\nmethod.request.path.id=["7"]');
  assert.equal(cacheKey({ ...ctx, rawQueryString: 'type=a&type=b&page=3' }, { resourcePath: '/items/{id}', keyParameters: ['method.request.querystring.type'] }),
    cacheKey(ctx, { resourcePath: '/items/{id}', keyParameters: ['method.request.querystring.type'] }), 'page is not a key');
});
