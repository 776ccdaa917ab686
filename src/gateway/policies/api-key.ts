/**
 * API keys and usage plans on REST methods with `apiKeyRequired` (api-gateway-api-usage-plans.md,
 * api-gateway-api-key-source.md), in the `api-key` phase — after authorizers, which may supply the key, and before
 * the stage and account throttles:
 * 1. the key: the `x-api-key` header (`ApiKeySourceType: HEADER`, the default) or the authorizer's
 *    `usageIdentifierKey` (`AUTHORIZER`); missing, unknown, disabled, or not in a usage plan for this stage →
 *    403 `{"message":"Forbidden"}` (INVALID_API_KEY, `x-amzn-ErrorType: ForbiddenException`), the same answer for
 *    each, so a caller learns nothing about which keys exist;
 * 2. the plan's throttle for this key: the stage's per-method throttle in the plan (`/path/METHOD`), else the
 *    plan's → 429 `{"message":"Too Many Requests"}` (THROTTLED);
 * 3. the plan's quota for this key (`DAY`/`WEEK`/`MONTH`, UTC) → 429 `{"message":"Limit Exceeded"}`
 *    (QUOTA_EXCEEDED). A request the throttle refuses is not counted against the quota.
 * The admitted key is put on the request (`ctx.apiKey`) for the event's `identity.apiKey`/`apiKeyId` and the
 * access log's `$context.identity.apiKeyId`.
 */
import type { ApiSpec } from '../../app/model.js';
import type { Policy, PolicyContext, RequestOutcome } from '../phases.js';
import type { Admission, MethodTarget, UsagePlanRegistry } from '../usage-plans/registry.js';

export interface ApiKeyConfig extends MethodTarget {
  readonly source: 'HEADER' | 'AUTHORIZER';
}

const FORBIDDEN: RequestOutcome = Object.freeze({ error: 'INVALID_API_KEY' });
const THROTTLED: RequestOutcome = Object.freeze({ error: 'THROTTLED' });
const QUOTA_EXCEEDED: RequestOutcome = Object.freeze({ error: 'QUOTA_EXCEEDED' });

export function apiKeyPolicy(registry: UsagePlanRegistry): Policy<ApiKeyConfig> {
  return {
    name: 'api-key',
    phase: 'api-key',
    compile({ api, route }) {
      if (api.kind !== 'REST' || route?.apiKeyRequired !== true) return undefined;
      return apiKeyConfig(api, route.path, route.method);
    },
    onRequest(ctx, config) {
      return admitKey(registry, ctx, config);
    },
  };
}

/** The key check of one REST method (`path`, `method`) of an API stage. */
export function apiKeyConfig(api: ApiSpec, path: string, httpMethod: string): ApiKeyConfig {
  const method = `${path}/${httpMethod.toUpperCase()}`;
  const stageId = `${api.apiId}/${api.stageName}`;
  return { id: `${stageId}/${method}`, stageId, apiId: api.apiId, stage: api.stageName, method, source: api.apiKeySource ?? 'HEADER' };
}

/** Admits the request with its key, or answers 403 / 429; sets `ctx.apiKey` for the event and the access log. */
export function admitKey(registry: UsagePlanRegistry, ctx: PolicyContext, config: ApiKeyConfig): RequestOutcome | Promise<RequestOutcome> {
  const value = config.source === 'HEADER' ? headerValue(ctx.rawHeaders, 'x-api-key') : ctx.authorizer?.usageIdentifierKey;
  if (value === undefined || value === '') return FORBIDDEN;
  const admission = registry.authenticate(value, config);
  if (admission === undefined) return FORBIDDEN;
  ctx.apiKey = { id: admission.key.id, value };
  const bucket = registry.throttleBucket(admission, config);
  const ok = bucket === null ? true : bucket.take();
  if (ok === true) return quota(registry, admission);
  if (ok === false) return THROTTLED;
  return ok.then((passed) => (passed ? quota(registry, admission) : THROTTLED));
}

function quota(registry: UsagePlanRegistry, admission: Admission): RequestOutcome | Promise<RequestOutcome> {
  const counted = registry.counters.consume(admission.plan.id, admission.key.id, admission.plan.quota, Date.now());
  if (counted === true) return undefined;
  if (counted === false) return QUOTA_EXCEEDED;
  return counted.then((ok) => (ok ? undefined : QUOTA_EXCEEDED));
}

/** The first value of a header, by case-insensitive name. */
function headerValue(rawHeaders: PolicyContext['rawHeaders'], lowerName: string): string | undefined {
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === lowerName) return rawHeaders[i + 1];
  return undefined;
}
