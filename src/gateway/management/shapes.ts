/** Records as the API Gateway management API shows them (the `apigateway` service model's shapes). */
import type { ThrottleSetting } from '../../app/model.js';
import type { ApiKeyRecord, UsagePlanRecord } from '../usage-plans/records.js';

/** `ApiKey`; `value` only when asked for (`includeValues`, `includeValue`, `CreateApiKey`). */
export function apiKeyShape(key: ApiKeyRecord, value?: string): Record<string, unknown> {
  return {
    id: key.id,
    ...(value === undefined ? {} : { value }),
    name: key.name,
    ...(key.customerId === undefined ? {} : { customerId: key.customerId }),
    ...(key.description === '' ? {} : { description: key.description }),
    enabled: key.enabled,
    createdDate: key.createdDate,
    lastUpdatedDate: key.lastUpdatedDate,
    stageKeys: key.stageKeys,
  };
}

export function usagePlanShape(plan: UsagePlanRecord): Record<string, unknown> {
  return {
    id: plan.id,
    name: plan.name,
    ...(plan.description === '' ? {} : { description: plan.description }),
    apiStages: plan.apiStages.map((s) => ({
      apiId: s.apiId,
      stage: s.stage,
      ...(Object.keys(s.throttle).length === 0 ? {} : { throttle: Object.fromEntries(Object.entries(s.throttle).map(([k, t]) => [k, throttleShape(t)])) }),
    })),
    ...(plan.throttle === undefined ? {} : { throttle: throttleShape(plan.throttle) }),
    ...(plan.quota === undefined ? {} : { quota: { limit: plan.quota.limit, offset: plan.quota.offset, period: plan.quota.period } }),
  };
}

function throttleShape(t: ThrottleSetting): Record<string, number> {
  return { ...(t.burstLimit === undefined ? {} : { burstLimit: t.burstLimit }), ...(t.rateLimit === undefined ? {} : { rateLimit: t.rateLimit }) };
}
