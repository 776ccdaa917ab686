/**
 * Response caching for REST stages (api-gateway-caching.md): a stage with `CacheClusterEnabled` caches the
 * integration's responses of the methods its `MethodSettings` enable (`CachingEnabled`), for `CacheTtlInSeconds`
 * (default 300, 0 disables), and answers later requests with the same cache key from the cache instead of the
 * integration.
 * - Only GET is cached by default: a `*` method setting enables GET; another method needs a setting of its own.
 * - The key is the method, the resource path and the values of the method's `cacheKeyParameters`
 *   (`method.request.querystring|header|path.<name>`); parameters not listed are not part of the key, so requests
 *   differing only in them share an entry, as on AWS.
 * - Responses over 1,048,576 bytes are not cached. Any status the integration answers is cached [3P: reports of
 *   cached 4xx/5xx proxy responses]; errors the gateway raises itself (a failed function) are not responses.
 * - `Cache-Control: max-age=0` asks to skip the cache and replace the entry. With
 *   `requireAuthorizationForCacheControl` (default true) the caller needs `execute-api:InvalidateCache`, which no
 *   caller holds until IAM authorization exists, so the `unauthorizedCacheControlHeaderStrategy` applies:
 *   `FAIL_WITH_403`, or the header is ignored, `SUCCEED_WITH_RESPONSE_HEADER` (the default [S §8]) adding a warning.
 */
import type { CacheControlStrategy, MethodCacheSetting, RouteSpec } from '../../app/model.js';
import type { GatewayResponse } from '../events/request.js';
import type { Policy, PolicyContext, RequestOutcome } from '../phases.js';
import { matchingSettings } from './method-settings.js';
import type { ResponseCache, ResponseCacheStore } from './response-cache.js';

/** The largest response API Gateway caches. */
export const MAX_CACHED_BYTES = 1_048_576;
export const DEFAULT_TTL_SECONDS = 300;
const GB = 1024 ** 3;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
/** [?] AWS documents "a warning header" without its text; RFC 7234's Warning with the miscellaneous code 199. */
const WARNING = ['Warning', '199 - "Cache-Control header ignored: not authorized to invalidate the cache"'];
const DENIED: RequestOutcome = Object.freeze({ error: 'ACCESS_DENIED' });

interface MethodCache {
  readonly ttlMs: number;
  readonly requireAuthorization: boolean;
  readonly strategy: CacheControlStrategy;
}

export interface CacheConfig {
  readonly cache: ResponseCache;
  readonly resourcePath: string;
  readonly keyParameters: readonly string[];
  /** By request method: only the methods whose responses are cached. */
  readonly methods: ReadonlyMap<string, MethodCache>;
}

export function cachePolicy(store: ResponseCacheStore): Policy<CacheConfig> {
  return {
    name: 'cache',
    phase: 'cache',
    compile({ api, route }) {
      if (api.kind !== 'REST' || api.cache === undefined || route === undefined) return undefined;
      const methods = cachedMethods(api.cache.methods, route);
      if (methods.size === 0) return undefined;
      const cache = store.stage(api.apiId, api.stageName, api.cache.clusterSizeGb * GB);
      return { cache, resourcePath: route.path, keyParameters: route.cacheKeyParameters ?? [], methods };
    },
    onRequest(ctx, config) {
      const method = config.methods.get(ctx.method);
      if (method === undefined) return undefined;
      const invalidate = asksToInvalidate(ctx.rawHeaders);
      if (invalidate && !method.requireAuthorization) {
        config.cache.bypass();
        return undefined;
      }
      if (invalidate && method.strategy === 'FAIL_WITH_403') return DENIED;
      const warn = invalidate && method.strategy === 'SUCCEED_WITH_RESPONSE_HEADER';
      const hit = config.cache.get(cacheKey(ctx, config));
      return hit instanceof Promise ? hit.then((found) => answer(found, warn)) : answer(hit, warn);
    },
    onResponse(ctx, response, config) {
      const method = config.methods.get(ctx.method);
      if (method === undefined) return response;
      if (response.body.length <= MAX_CACHED_BYTES) {
        const stored = config.cache.set(cacheKey(ctx, config), response, method.ttlMs);
        if (stored instanceof Promise) stored.catch((error: unknown) => process.emitWarning(`response cache: ${String(error)}`));
      }
      const warn = method.requireAuthorization && method.strategy === 'SUCCEED_WITH_RESPONSE_HEADER' && asksToInvalidate(ctx.rawHeaders);
      return warn ? withWarning(response) : response;
    },
  };
}

function answer(found: GatewayResponse | undefined, warn: boolean): RequestOutcome {
  if (found === undefined) return undefined;
  return warn ? withWarning(found) : found;
}

function withWarning(response: GatewayResponse): GatewayResponse {
  return { ...response, headers: [...response.headers, ...WARNING] };
}

/** The methods of a route whose responses are cached, with their settings; an ANY route is resolved per method. */
function cachedMethods(settings: readonly MethodCacheSetting[], route: RouteSpec): Map<string, MethodCache> {
  const methods = new Map<string, MethodCache>();
  for (const method of route.method === 'ANY' ? METHODS : [route.method]) {
    const setting = methodSetting(settings, route.path, method);
    if (setting) methods.set(method, setting);
  }
  return methods;
}

function methodSetting(settings: readonly MethodCacheSetting[], resourcePath: string, method: string): MethodCache | undefined {
  const matching = matchingSettings(settings, resourcePath, method);
  // `*` entries turn caching on for GET only; other methods need an entry naming them.
  const enabled = matching.find((s) => s.cachingEnabled !== undefined && (s.httpMethod !== '*' || method === 'GET'))?.cachingEnabled;
  const ttl = matching.find((s) => s.ttlInSeconds !== undefined)?.ttlInSeconds ?? DEFAULT_TTL_SECONDS;
  if (enabled !== true || ttl === 0) return undefined;
  return {
    ttlMs: ttl * 1000,
    requireAuthorization: matching.find((s) => s.requireAuthorizationForCacheControl !== undefined)?.requireAuthorizationForCacheControl ?? true,
    strategy: matching.find((s) => s.unauthorizedCacheControlHeaderStrategy !== undefined)?.unauthorizedCacheControlHeaderStrategy ?? 'SUCCEED_WITH_RESPONSE_HEADER',
  };
}

/** `Cache-Control` with a `max-age=0` directive. */
function asksToInvalidate(rawHeaders: readonly string[]): boolean {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() !== 'cache-control') continue;
    if (rawHeaders[i + 1]!.split(',').some((d) => d.trim().toLowerCase() === 'max-age=0')) return true;
  }
  return false;
}

/** Method, resource path and each cache key parameter's values, one per line. */
export function cacheKey(ctx: PolicyContext, config: Pick<CacheConfig, 'resourcePath' | 'keyParameters'>): string {
  let key = `${ctx.method} ${config.resourcePath}`;
  for (const parameter of config.keyParameters) key += `\n${parameter}=${JSON.stringify(parameterValues(ctx, parameter))}`;
  return key;
}

/** `method.request.querystring.type` → every value of `type` in the query string, in order. */
function parameterValues(ctx: PolicyContext, parameter: string): string[] {
  const [, , where = '', ...rest] = parameter.split('.');
  const name = rest.join('.');
  if (where === 'path') return ctx.pathParameters?.[name] === undefined ? [] : [ctx.pathParameters[name]];
  if (where === 'header' || where === 'multivalueheader') {
    const lower = name.toLowerCase();
    const values: string[] = [];
    for (let i = 0; i < ctx.rawHeaders.length; i += 2) if (ctx.rawHeaders[i]!.toLowerCase() === lower) values.push(ctx.rawHeaders[i + 1]!);
    return values;
  }
  return new URLSearchParams(ctx.rawQueryString ?? '').getAll(name);
}

