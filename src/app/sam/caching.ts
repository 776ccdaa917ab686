/**
 * A REST stage's response cache (api-gateway-caching.md): `CacheClusterEnabled` provisions the stage's cache,
 * `CacheClusterSize` its capacity (one of API Gateway's sizes, in GB, default 0.5), and `MethodSettings` entries turn
 * caching on per method with `CachingEnabled` and `CacheTtlInSeconds` (0–3600). `CacheDataEncrypted` is accepted and
 * has nothing to change here. The same `MethodSettings` list carries the throttling fields (throttling.ts).
 */

import type { CacheControlStrategy, CacheSpec, MethodCacheSetting } from '../model.js';
import { TemplateError } from '../model.js';
import { methodSettings, numberOf } from './throttling.js';
import { child, describe, scalarText, type JsonRecord } from './values.js';

/** `CacheClusterSize` values API Gateway accepts (the CacheClusterSize enum). */
const CLUSTER_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];
const STRATEGIES: readonly CacheControlStrategy[] = ['FAIL_WITH_403', 'SUCCEED_WITH_RESPONSE_HEADER', 'SUCCEED_WITHOUT_RESPONSE_HEADER'];

/** The stage's cache, or undefined when `CacheClusterEnabled` is not true (method settings then cache nothing). */
export function cacheOf(props: JsonRecord, path: string): CacheSpec | undefined {
  if (!booleanOf(props.CacheClusterEnabled, child(path, 'CacheClusterEnabled'))) return undefined;
  const methods: MethodCacheSetting[] = [];
  for (const { props: entry, here, resourcePath, httpMethod } of methodSettings(props.MethodSettings, child(path, 'MethodSettings'))) {
    const setting = cacheSettingOf(entry, here);
    if (setting) methods.push({ resourcePath, httpMethod, ...setting });
  }
  return { clusterSizeGb: clusterSize(props.CacheClusterSize, child(path, 'CacheClusterSize')), methods };
}

function clusterSize(value: unknown, at: string): number {
  if (value === undefined || value === null) return 0.5;
  const text = scalarText(value, at);
  if (!CLUSTER_SIZES.includes(text)) throw new TemplateError(`must be one of ${CLUSTER_SIZES.join(', ')} (GB), got ${describe(value)}`, at);
  return Number(text);
}

type CacheFields = Omit<MethodCacheSetting, 'resourcePath' | 'httpMethod'>;

function cacheSettingOf(props: JsonRecord, at: string): CacheFields | undefined {
  const ttl = numberOf(props.CacheTtlInSeconds, child(at, 'CacheTtlInSeconds'), true);
  if (ttl !== undefined && ttl > 3600) throw new TemplateError(`must be between 0 and 3600 seconds, got ${ttl}`, child(at, 'CacheTtlInSeconds'));
  const fields: CacheFields = {
    cachingEnabled: optionalBoolean(props.CachingEnabled, child(at, 'CachingEnabled')),
    ttlInSeconds: ttl,
    requireAuthorizationForCacheControl: optionalBoolean(props.RequireAuthorizationForCacheControl, child(at, 'RequireAuthorizationForCacheControl')),
    unauthorizedCacheControlHeaderStrategy: strategyOf(props.UnauthorizedCacheControlHeaderStrategy, child(at, 'UnauthorizedCacheControlHeaderStrategy')),
  };
  return Object.values(fields).every((v) => v === undefined) ? undefined : fields;
}

function strategyOf(value: unknown, at: string): CacheControlStrategy | undefined {
  if (value === undefined || value === null) return undefined;
  const text = scalarText(value, at);
  if (!(STRATEGIES as readonly string[]).includes(text)) throw new TemplateError(`must be one of ${STRATEGIES.join(', ')}, got ${describe(value)}`, at);
  return text as CacheControlStrategy;
}

/** YAML gives `true`; a parameter or JSON string gives `"true"`. */
export function optionalBoolean(value: unknown, at: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true' || value === 'True') return true;
  if (value === false || value === 'false' || value === 'False') return false;
  throw new TemplateError(`must be true or false, got ${describe(value)}`, at);
}

function booleanOf(value: unknown, at: string): boolean {
  return optionalBoolean(value, at) ?? false;
}
