/**
 * Request throttling, as API Gateway applies it (api-gateway-request-throttling.md, http-api-throttling.md): token
 * buckets, where the rate is the tokens added per second and the burst the bucket's capacity, checked in order
 * 1. usage plan per-client (and per-method) limits — come with API keys: the `api-key` phase will hand the key's
 *    bucket to this policy (see `ThrottleConfig.usagePlan`), checked first;
 * 2. the stage's per-method limits: REST `MethodSettings` (the most specific entry for the route's resource and
 *    method, then `/*` + method, then `*` / `*`), HTTP API `RouteSettings` for the route key, then
 *    `DefaultRouteSettings`; each route (method) has a bucket of its own — the limits "are applied at the API method
 *    level for a stage" even when written once for every method;
 * 3. the account: every API of the account shares one bucket (10,000 requests per second, burst 5,000 by default;
 *    quotas page; configurable with `portico up --account-rate/--account-burst`);
 * 4. AWS's regional limits: nothing to model on one machine.
 * An excess request is answered 429 THROTTLED (REST `{"message":"Too Many Requests"}` with `x-amzn-ErrorType:
 * TooManyRequestsException`; HTTP API the same body) and never reaches the integration.
 *
 * A field a setting leaves out falls back to the less specific setting, then to the values API Gateway writes into a
 * new method setting (rate 10,000, burst 5,000: aws-behaviour.md §8) [?: field-level fallback not verified].
 *
 * Buckets come from a `TokenBucketStore` at deploy time, keyed by API, stage, method and route; the request path
 * calls `take()` on at most two buckets and allocates nothing when the store answers synchronously.
 */
import type { ApiSpec, RouteSpec, ThrottleSetting } from '../../app/model.js';
import type { Policy, RequestOutcome } from '../phases.js';
import { matchingSettings } from './method-settings.js';
import { InMemoryTokenBucketStore, type ThrottleLimits, type TokenBucket, type TokenBucketStore } from './token-bucket-store.js';

/** API Gateway's default account-level limits per Region (10,000 rps, bucket of 5,000). */
export const ACCOUNT_LIMITS: ThrottleLimits = Object.freeze({ rateLimit: 10_000, burstLimit: 5_000 });
/** What API Gateway fills into a stage method setting that does not set a limit (aws-behaviour.md §8). */
export const METHOD_SETTING_DEFAULTS: ThrottleLimits = Object.freeze({ rateLimit: 10_000, burstLimit: 5_000 });

export interface ThrottleOptions {
  readonly store: TokenBucketStore;
  /** The account-level limits (default ACCOUNT_LIMITS). */
  readonly account: ThrottleLimits;
}

export interface ThrottleConfig {
  /** Hook point: the usage plan's per-key bucket, supplied by the api-key phase once API keys exist. */
  readonly usagePlan?: undefined;
  /** The route's stage bucket, when the stage sets limits for it. */
  readonly stage: TokenBucket | undefined;
  readonly account: TokenBucket;
}

const THROTTLED: RequestOutcome = Object.freeze({ error: 'THROTTLED' });
const ACCOUNT_KEY = 'account';

export function defaultThrottleOptions(): ThrottleOptions {
  return { store: new InMemoryTokenBucketStore(), account: ACCOUNT_LIMITS };
}

/** The throttling policy over one store; the account bucket is the store's, shared by every API and redeploy. */
export function throttlePolicy(options: ThrottleOptions): Policy<ThrottleConfig> {
  return {
    name: 'throttle',
    phase: 'throttle',
    compile({ api, route }) {
      // Unrouted requests (403/404 answers, CORS preflights) are answered before any backend: not throttled here.
      if (route === undefined) return undefined;
      const account = options.store.bucket(ACCOUNT_KEY, options.account);
      const limits = stageLimits(api, route);
      const stage = limits === undefined ? undefined : options.store.bucket(bucketKey(api, route), limits);
      return { stage, account };
    },
    onRequest(_ctx, config) {
      if (config.stage === undefined) return verdict(config.account.take());
      const stage = config.stage.take();
      if (stage === true) return verdict(config.account.take());
      if (stage === false) return THROTTLED;
      return stage.then((ok) => (ok ? verdict(config.account.take()) : THROTTLED));
    },
  };
}

function verdict(ok: boolean | Promise<boolean>): RequestOutcome | Promise<RequestOutcome> {
  if (ok === true) return undefined;
  if (ok === false) return THROTTLED;
  return ok.then((passed) => (passed ? undefined : THROTTLED));
}

/** One bucket per API, stage and route (REST: resource and method; HTTP API: route key). */
export function bucketKey(api: ApiSpec, route: RouteSpec): string {
  return `${api.apiId}/${api.stageName}/${route.method} ${route.path}`;
}

/** The stage limits that apply to a route, or undefined when the stage sets none for it. */
export function stageLimits(api: ApiSpec, route: RouteSpec): ThrottleLimits | undefined {
  const throttling = api.throttling;
  if (throttling === undefined) return undefined;
  if (throttling.kind === 'HTTP') {
    const key = route.path === '$default' ? '$default' : `${route.method.toUpperCase()} ${route.path}`;
    return merge([throttling.routes[key], throttling.defaultRoute]);
  }
  return merge(matchingSettings(throttling.methods, route.path, route.method.toUpperCase()));
}

/** The first setting that gives each field, most specific first; undefined when none applies. */
function merge(settings: readonly (ThrottleSetting | undefined)[]): ThrottleLimits | undefined {
  let rateLimit: number | undefined;
  let burstLimit: number | undefined;
  let any = false;
  for (const s of settings) {
    if (s === undefined) continue;
    any = true;
    rateLimit ??= s.rateLimit;
    burstLimit ??= s.burstLimit;
  }
  if (!any) return undefined;
  return { rateLimit: rateLimit ?? METHOD_SETTING_DEFAULTS.rateLimit, burstLimit: burstLimit ?? METHOD_SETTING_DEFAULTS.burstLimit };
}
