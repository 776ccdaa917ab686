/**
 * Stage throttling settings of an API resource:
 * - `AWS::Serverless::Api` `MethodSettings` (AWS::ApiGateway::Stage MethodSetting): a list of settings per
 *   `ResourcePath` (`/~1items~1{id}`, `~1` for each `/` after the first; `/*` for every resource) and `HttpMethod`
 *   (`GET` …, `*` for every method), with `ThrottlingRateLimit` (a number) and `ThrottlingBurstLimit` (an integer).
 * - `AWS::Serverless::HttpApi` `DefaultRouteSettings` (every route) and `RouteSettings` (a map by route key,
 *   `GET /items`, `$default`), with the same two throttling fields (AWS::ApiGatewayV2::Stage RouteSettings).
 * Settings without a throttling field (only caching, logging, metrics) are accepted and ignored.
 */

import type { ApiKind, MethodThrottleSetting, ThrottleSetting, ThrottlingSpec } from '../model.js';
import { TemplateError } from '../model.js';
import { child, describe, isRecord, optionalList, optionalRecord, scalarText, type JsonRecord } from './values.js';

/**
 * CloudFormation's MethodSetting fields, plus the two cache-invalidation fields API Gateway's MethodSetting has and
 * CloudFormation does not (`RequireAuthorizationForCacheControl`, `UnauthorizedCacheControlHeaderStrategy`): accepted
 * so that a template can set what `aws apigateway update-stage` would.
 */
export const METHOD_FIELDS = [
  'CacheDataEncrypted', 'CacheTtlInSeconds', 'CachingEnabled', 'DataTraceEnabled', 'HttpMethod', 'LoggingLevel',
  'MetricsEnabled', 'RequireAuthorizationForCacheControl', 'ResourcePath', 'ThrottlingBurstLimit', 'ThrottlingRateLimit',
  'UnauthorizedCacheControlHeaderStrategy',
];
const ROUTE_FIELDS = ['DataTraceEnabled', 'DetailedMetricsEnabled', 'LoggingLevel', 'ThrottlingBurstLimit', 'ThrottlingRateLimit'];

/** The API's stage throttling, or undefined when no setting has a throttling field. */
export function throttlingOf(kind: ApiKind, props: JsonRecord, path: string): ThrottlingSpec | undefined {
  return kind === 'REST' ? restThrottling(props.MethodSettings, child(path, 'MethodSettings')) : httpThrottling(props, path);
}

function restThrottling(value: unknown, at: string): ThrottlingSpec | undefined {
  const methods: MethodThrottleSetting[] = [];
  for (const { props, here, resourcePath, httpMethod } of methodSettings(value, at)) {
    const setting = settingOf(props, here);
    if (setting) methods.push({ resourcePath, httpMethod, ...setting });
  }
  return methods.length > 0 ? { kind: 'REST', methods } : undefined;
}

/** One `MethodSettings` entry, its resource path decoded and its method upper-cased. */
export interface MethodSettingEntry {
  readonly props: JsonRecord;
  readonly here: string;
  readonly resourcePath: string;
  readonly httpMethod: string;
}

/** The entries of a REST `MethodSettings` list, checked; throttling and caching each read their own fields. */
export function methodSettings(value: unknown, at: string): MethodSettingEntry[] {
  return optionalList(value, at).map((item, i) => {
    const here = child(at, i);
    const props = fieldsOf(item, here, METHOD_FIELDS);
    if (props.ResourcePath === undefined) throw new TemplateError('ResourcePath is required (use "/*" for every resource)', child(here, 'ResourcePath'));
    if (props.HttpMethod === undefined) throw new TemplateError('HttpMethod is required (use "*" for every method)', child(here, 'HttpMethod'));
    const resourcePath = resourcePathOf(props.ResourcePath, child(here, 'ResourcePath'));
    const httpMethod = scalarText(props.HttpMethod, child(here, 'HttpMethod')).toUpperCase();
    return { props, here, resourcePath, httpMethod };
  });
}

function httpThrottling(props: JsonRecord, path: string): ThrottlingSpec | undefined {
  const defaultAt = child(path, 'DefaultRouteSettings');
  const defaultRoute = props.DefaultRouteSettings === undefined || props.DefaultRouteSettings === null
    ? undefined
    : settingOf(fieldsOf(props.DefaultRouteSettings, defaultAt, ROUTE_FIELDS), defaultAt);
  const routesAt = child(path, 'RouteSettings');
  const routes: Record<string, ThrottleSetting> = {};
  for (const [key, item] of Object.entries(optionalRecord(props.RouteSettings, routesAt))) {
    const here = child(routesAt, key);
    if (key !== '$default' && !/^[A-Za-z]+ \/\S*$/.test(key)) {
      throw new TemplateError(`must be a route key such as "GET /items" or "$default", got ${describe(key)}`, here);
    }
    const setting = settingOf(fieldsOf(item, here, ROUTE_FIELDS), here);
    if (setting) routes[key === '$default' ? key : `${key.slice(0, key.indexOf(' ')).toUpperCase()}${key.slice(key.indexOf(' '))}`] = setting;
  }
  if (defaultRoute === undefined && Object.keys(routes).length === 0) return undefined;
  return { kind: 'HTTP', defaultRoute, routes };
}

/** `/*` (every resource), `/` (the root), or `/~1a~1{b}` decoded to `/a/{b}`. */
function resourcePathOf(value: unknown, at: string): string {
  const text = scalarText(value, at);
  if (text === '/*') return '*';
  if (!text.startsWith('/')) throw new TemplateError(`must start with "/" ("/~1items" for /items, "/*" for every resource), got ${describe(text)}`, at);
  if (text === '/') return '/';
  return text.slice(1).replace(/~1/g, '/').replace(/~0/g, '~');
}

function settingOf(props: JsonRecord, at: string): ThrottleSetting | undefined {
  const rateLimit = numberOf(props.ThrottlingRateLimit, child(at, 'ThrottlingRateLimit'), false);
  const burstLimit = numberOf(props.ThrottlingBurstLimit, child(at, 'ThrottlingBurstLimit'), true);
  return rateLimit === undefined && burstLimit === undefined ? undefined : { rateLimit, burstLimit };
}

export function numberOf(value: unknown, at: string, integer: boolean): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new TemplateError(`must be ${integer ? 'a whole number' : 'a number'}, got ${describe(value)}`, at);
  }
  if (n < 0) throw new TemplateError(`must be 0 or more, got ${n}`, at);
  return n;
}

export function fieldsOf(value: unknown, at: string, fields: readonly string[]): JsonRecord {
  if (!isRecord(value)) throw new TemplateError(`must be a mapping, got ${describe(value)}`, at);
  const unknown = Object.keys(value).find((key) => !fields.includes(key));
  if (unknown !== undefined) throw new TemplateError(`is not a setting here; use one of ${fields.join(', ')}`, child(at, unknown));
  return value;
}
