/**
 * UpdateUsagePlan: `patchOperations` on `/name`, `/description`, `/apiStages` (add or remove `apiId:stage`),
 * `/throttle/rateLimit|burstLimit` and `/quota/limit|offset|period` (replace; remove `/throttle` or `/quota`), with
 * API Gateway's errors for stages (aws-behaviour.md §8: 400 "Invalid API Stage specified", 404 "Invalid API Stage
 * {api: X, stage: Y} specified for usageplan Z").
 */
import type { QuotaSpec } from '../../app/model.js';
import type { AwsRequestContext } from '../../aws/context.js';
import type { UsagePlanRecord } from '../usage-plans/records.js';
import type { UsagePlanRegistry } from '../usage-plans/registry.js';
import { badRequest, notFound } from './errors.js';
import { jsonBody, patchOperations, quotaInput } from './input.js';
import { usagePlanShape } from './shapes.js';
import type { DeployedStages } from './usage-plans.js';

type Op = ReturnType<typeof patchOperations>[number];

/** A plan being patched: the quota is checked once every operation has applied (`limit` and `period` may come apart). */
type Draft = Omit<UsagePlanRecord, 'quota'> & { readonly quota: Partial<QuotaSpec> | undefined };

export function updateUsagePlan(ctx: AwsRequestContext, registry: UsagePlanRegistry, deployed: DeployedStages, id: string): void {
  let draft: Draft = registry.getPlan(id);
  for (const op of patchOperations(jsonBody(ctx))) draft = applyOp(draft, op, deployed);
  ctx.sendJson(200, usagePlanShape(registry.updatePlan({ ...draft, quota: quotaInput(draft.quota) })));
}

function applyOp(plan: Draft, { op, path, value }: Op, deployed: DeployedStages): Draft {
  if (path === '/apiStages' && (op === 'add' || op === 'remove')) return apiStageOp(plan, op, value, deployed);
  if (op === 'remove' && path === '/throttle') return { ...plan, throttle: undefined };
  if (op === 'remove' && path === '/quota') return { ...plan, quota: undefined };
  if (op !== 'replace') throw badRequest(`Invalid patch operation specified. Must be one of: [replace, add, remove] for path ${path}`);
  if (path === '/name' || path === '/description') return { ...plan, [path.slice(1)]: value ?? '' };
  if (path === '/throttle/rateLimit' || path === '/throttle/burstLimit') {
    const n = Number(value);
    const integer = path.endsWith('burstLimit');
    if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) throw badRequest(`Invalid ${path.slice(10)} specified`);
    const throttle = plan.throttle ?? { rateLimit: undefined, burstLimit: undefined };
    return { ...plan, throttle: { ...throttle, [path.slice(10)]: n } };
  }
  if (path === '/quota/limit' || path === '/quota/offset' || path === '/quota/period') {
    const field = path.slice(7) as keyof QuotaSpec;
    return { ...plan, quota: { ...plan.quota, [field]: field === 'period' ? value : Number(value) } };
  }
  throw badRequest(`Invalid patch path '${path}' specified for op '${op}'`);
}

function apiStageOp(plan: Draft, op: 'add' | 'remove', value: string | undefined, deployed: DeployedStages): Draft {
  const [apiId, stage, extra] = (value ?? '').split(':');
  if (!apiId || !stage || extra !== undefined) throw badRequest('Invalid API Stage specified');
  const present = plan.apiStages.some((s) => s.apiId === apiId && s.stage === stage);
  if (op === 'remove') {
    if (!present) throw notFound(`Invalid API Stage {api: ${apiId}, stage: ${stage}} specified for usageplan ${plan.id}`);
    return { ...plan, apiStages: plan.apiStages.filter((s) => !(s.apiId === apiId && s.stage === stage)) };
  }
  if (!deployed.hasStage(apiId, stage)) throw notFound(`Invalid API Stage {api: ${apiId}, stage: ${stage}} specified for usageplan ${plan.id}`);
  if (present) return plan;
  return { ...plan, apiStages: [...plan.apiStages, { apiId, stage, throttle: {} }] };
}
