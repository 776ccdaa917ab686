/**
 * API keys and usage plans of a template: `AWS::ApiGateway::ApiKey`, `UsagePlan` and `UsagePlanKey` resources as
 * declared, plus the ones SAM generates from an `AWS::Serverless::Api`'s `Auth.UsagePlan`
 * (sam-property-api-apiusageplan.md): `CreateUsagePlan: PER_API` makes `<api>UsagePlan`, `<api>ApiKey` and
 * `<api>UsagePlanKey` for that API; `SHARED` makes one `ServerlessUsagePlan`, `ServerlessApiKey` and
 * `ServerlessUsagePlanKey` covering every API that says `SHARED` (its settings from the first such API); `NONE` makes
 * nothing. SAM's generated key is enabled, has no `Value` (API Gateway generates one) and lists the API's stage in
 * `StageKeys`; its plan lists the stage in `ApiStages`.
 */

import type { ApiKeySpec, AppModel, QuotaSpec, ThrottleSetting, UsagePlanSpec, UsagePlanStageSpec } from '../model.js';
import { TemplateError } from '../model.js';
import type { ApiSource } from './apis.js';
import { booleanOf } from './api-keys.js';
import { apiIdFor, lowerId, physicalName } from './naming.js';
import type { ResourceEntry } from './resources.js';
import type { Scope } from './scope.js';
import { child, describe, isRecord, optionalList, optionalRecord, optionalText, scalarText, type JsonRecord } from './values.js';

export const SHARED_USAGE_PLAN = 'ServerlessUsagePlan';
export const SHARED_API_KEY = 'ServerlessApiKey';
export const SHARED_USAGE_PLAN_KEY = 'ServerlessUsagePlanKey';

/** The generated logical ids for an API's `Auth.UsagePlan`, or undefined when it creates none. */
export function samUsagePlanIds(apiLogicalId: string, auth: unknown): { plan: string; key: string; planKey: string } | undefined {
  const mode = isRecord(auth) && isRecord(auth.UsagePlan) ? auth.UsagePlan.CreateUsagePlan : undefined;
  if (mode === 'PER_API') return { plan: `${apiLogicalId}UsagePlan`, key: `${apiLogicalId}ApiKey`, planKey: `${apiLogicalId}UsagePlanKey` };
  if (mode === 'SHARED') return { plan: SHARED_USAGE_PLAN, key: SHARED_API_KEY, planKey: SHARED_USAGE_PLAN_KEY };
  return undefined;
}

/** The id `!Ref` gives for an API key (10 characters) or a usage plan (6), the same as the resource table's. */
export const apiKeyIdFor = (stackName: string, logicalId: string): string => lowerId(`${stackName}:${logicalId}:APIKeyId`, 10);
export const usagePlanIdFor = (stackName: string, logicalId: string): string => lowerId(`${stackName}:${logicalId}:Id`, 6);

/** A plan being collected: SHARED plans gain API stages, `UsagePlanKey` resources add keys. */
interface PlanDraft {
  spec: Omit<UsagePlanSpec, 'keyIds'>;
  readonly keyIds: Set<string>;
}

interface Collected {
  readonly keys: Map<string, ApiKeySpec>;
  readonly plans: Map<string, PlanDraft>;
}

/** Every API key and usage plan of the template; undefined when there is none. */
export function buildUsagePlans(scope: Scope, active: readonly ResourceEntry[], restApis: readonly ApiSource[], stackName: string): AppModel['usagePlans'] {
  const collected: Collected = { keys: new Map(), plans: new Map() };
  for (const source of restApis) addSamUsagePlan(collected, source, stackName);
  const planKeys: [JsonRecord, string][] = [];
  for (const entry of active) {
    const at = `Resources.${entry.logicalId}.Properties`;
    if (entry.type === 'AWS::ApiGateway::ApiKey') collected.keys.set(entry.logicalId, declaredKey(scope, entry.logicalId, stackName, at));
    else if (entry.type === 'AWS::ApiGateway::UsagePlan') collected.plans.set(entry.logicalId, declaredPlan(scope, entry.logicalId, stackName, at));
    else if (entry.type === 'AWS::ApiGateway::UsagePlanKey') planKeys.push([scope.table.resolvedProperties(entry.logicalId), at]);
  }
  for (const [props, at] of planKeys) attachKey(collected, props, at);
  if (collected.keys.size === 0 && collected.plans.size === 0) return undefined;
  return {
    apiKeys: [...collected.keys.values()],
    plans: [...collected.plans.values()].map(({ spec, keyIds }) => ({ ...spec, keyIds: [...keyIds] })),
  };
}

function addSamUsagePlan(collected: Collected, source: ApiSource, stackName: string): void {
  const at = child(child(source.path, 'Auth'), 'UsagePlan');
  const auth = source.props.Auth;
  const mode = isRecord(auth) && isRecord(auth.UsagePlan) ? auth.UsagePlan.CreateUsagePlan : undefined;
  if (isRecord(auth) && auth.UsagePlan !== undefined && mode !== 'PER_API' && mode !== 'SHARED' && mode !== 'NONE') {
    throw new TemplateError(`must be PER_API, SHARED or NONE, got ${describe(mode)}`, child(at, 'CreateUsagePlan'));
  }
  const ids = samUsagePlanIds(source.logicalId, auth);
  if (ids === undefined) return;
  const config = optionalRecord((source.props.Auth as JsonRecord).UsagePlan, at);
  const apiId = apiIdFor(stackName, source.logicalId);
  const stage = scalarText(source.props.StageName, child(source.path, 'StageName'));
  const keyId = apiKeyIdFor(stackName, ids.key);
  const existing = collected.plans.get(ids.plan);
  const apiStage: UsagePlanStageSpec = { apiId, stage, throttle: {} };
  if (existing) {
    existing.spec = { ...existing.spec, apiStages: [...existing.spec.apiStages, apiStage] };
    const key = collected.keys.get(ids.key)!;
    collected.keys.set(ids.key, { ...key, stageKeys: [...key.stageKeys, { restApiId: apiId, stageName: stage }] });
    return;
  }
  collected.plans.set(ids.plan, {
    spec: {
      logicalId: ids.plan,
      id: usagePlanIdFor(stackName, ids.plan),
      name: optionalText(config.UsagePlanName, child(at, 'UsagePlanName')) ?? physicalName(stackName, ids.plan, 255),
      description: optionalText(config.Description, child(at, 'Description')) ?? '',
      apiStages: [apiStage],
      throttle: throttleOf(config.Throttle, child(at, 'Throttle')),
      quota: quotaOf(config.Quota, child(at, 'Quota')),
    },
    keyIds: new Set([keyId]),
  });
  collected.keys.set(ids.key, {
    logicalId: ids.key,
    id: keyId,
    name: physicalName(stackName, ids.key, 1024),
    description: '',
    enabled: true,
    value: undefined,
    stageKeys: [{ restApiId: apiId, stageName: stage }],
  });
}

function declaredKey(scope: Scope, logicalId: string, stackName: string, at: string): ApiKeySpec {
  const props = scope.table.resolvedProperties(logicalId);
  const value = optionalText(props.Value, child(at, 'Value'));
  if (value !== undefined && (value.length < 20 || value.length > 128)) {
    throw new TemplateError(`an API key value must be 20 to 128 characters, got ${value.length}`, child(at, 'Value'));
  }
  return {
    logicalId,
    id: apiKeyIdFor(stackName, logicalId),
    name: optionalText(props.Name, child(at, 'Name')) ?? physicalName(stackName, logicalId, 1024),
    description: optionalText(props.Description, child(at, 'Description')) ?? '',
    // CloudFormation creates a key disabled unless `Enabled: true` (AWS::ApiGateway::ApiKey).
    enabled: props.Enabled === undefined ? false : booleanOf(props.Enabled, child(at, 'Enabled')),
    value,
    stageKeys: optionalList(props.StageKeys, child(at, 'StageKeys')).map((item, i) => {
      const here = child(child(at, 'StageKeys'), i);
      const stageKey = optionalRecord(item, here);
      return { restApiId: scalarText(stageKey.RestApiId, child(here, 'RestApiId')), stageName: scalarText(stageKey.StageName, child(here, 'StageName')) };
    }),
  };
}

function declaredPlan(scope: Scope, logicalId: string, stackName: string, at: string): PlanDraft {
  const props = scope.table.resolvedProperties(logicalId);
  return {
    spec: {
      logicalId,
      id: usagePlanIdFor(stackName, logicalId),
      name: optionalText(props.UsagePlanName, child(at, 'UsagePlanName')) ?? physicalName(stackName, logicalId, 255),
      description: optionalText(props.Description, child(at, 'Description')) ?? '',
      apiStages: optionalList(props.ApiStages, child(at, 'ApiStages')).map((item, i) => apiStageOf(item, child(child(at, 'ApiStages'), i))),
      throttle: throttleOf(props.Throttle, child(at, 'Throttle')),
      quota: quotaOf(props.Quota, child(at, 'Quota')),
    },
    keyIds: new Set(),
  };
}

function apiStageOf(value: unknown, at: string): UsagePlanStageSpec {
  const props = optionalRecord(value, at);
  const throttle: Record<string, ThrottleSetting> = {};
  for (const [key, setting] of Object.entries(optionalRecord(props.Throttle, child(at, 'Throttle')))) {
    const here = child(child(at, 'Throttle'), key);
    const method = methodKey(key);
    if (method === undefined) throw new TemplateError(`must be "/resource/METHOD" (such as "/pets/GET"), got ${describe(key)}`, here);
    throttle[method] = throttleOf(setting, here) ?? { rateLimit: undefined, burstLimit: undefined };
  }
  return { apiId: scalarText(props.ApiId, child(at, 'ApiId')), stage: scalarText(props.Stage, child(at, 'Stage')), throttle };
}

/**
 * A plan's per-method throttle key, `/{resource path}/{HTTP method}` (`/pets/GET`; `//GET` for the root resource),
 * in the form the gateway looks up (`/pets/GET`, `//GET`); undefined when it is not one.
 */
export function methodKey(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  if (!key.startsWith('/') || slash <= 0 || slash === key.length - 1) return undefined;
  return `${key.slice(0, slash)}/${key.slice(slash + 1).toUpperCase()}`;
}

function attachKey(collected: Collected, props: JsonRecord, at: string): void {
  const keyId = scalarText(props.KeyId, child(at, 'KeyId'));
  const planId = scalarText(props.UsagePlanId, child(at, 'UsagePlanId'));
  const plan = [...collected.plans.values()].find((p) => p.spec.id === planId);
  if (!plan) throw new TemplateError(`must refer to an AWS::ApiGateway::UsagePlan of this template (use !Ref), got ${describe(planId)}`, child(at, 'UsagePlanId'));
  if (![...collected.keys.values()].some((k) => k.id === keyId)) {
    throw new TemplateError(`must refer to an AWS::ApiGateway::ApiKey of this template (use !Ref), got ${describe(keyId)}`, child(at, 'KeyId'));
  }
  plan.keyIds.add(keyId);
}

function throttleOf(value: unknown, at: string): ThrottleSetting | undefined {
  if (value === undefined || value === null) return undefined;
  const props = optionalRecord(value, at);
  const rateLimit = numberOf(props.RateLimit, child(at, 'RateLimit'), false);
  const burstLimit = numberOf(props.BurstLimit, child(at, 'BurstLimit'), true);
  return rateLimit === undefined && burstLimit === undefined ? undefined : { rateLimit, burstLimit };
}

function quotaOf(value: unknown, at: string): QuotaSpec | undefined {
  if (value === undefined || value === null) return undefined;
  const props = optionalRecord(value, at);
  const limit = numberOf(props.Limit, child(at, 'Limit'), true);
  if (limit === undefined) return undefined;
  const period = String(props.Period ?? '').toUpperCase();
  if (period !== 'DAY' && period !== 'WEEK' && period !== 'MONTH') throw new TemplateError(`must be DAY, WEEK or MONTH, got ${describe(props.Period)}`, child(at, 'Period'));
  const offset = numberOf(props.Offset, child(at, 'Offset'), true) ?? 0;
  const maxOffset = period === 'DAY' ? 0 : period === 'WEEK' ? 6 : 27;
  if (offset > maxOffset) throw new TemplateError(`must be 0 to ${maxOffset} for a ${period} quota, got ${offset}`, child(at, 'Offset'));
  return { limit, offset, period };
}

function numberOf(value: unknown, at: string, integer: boolean): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < 0) {
    throw new TemplateError(`must be ${integer ? 'a whole number' : 'a number'} of 0 or more, got ${describe(value)}`, at);
  }
  return n;
}
