/** CreateUsagePlan, GetUsagePlans, GetUsagePlan, DeleteUsagePlan, and the plan's keys. */
import type { AwsRequestContext } from '../../aws/context.js';
import type { UsagePlanRegistry } from '../usage-plans/registry.js';
import { badRequest, notFound } from './errors.js';
import { apiStagesInput, jsonBody, optionalString, quotaInput, throttleInput } from './input.js';
import { usagePlanShape } from './shapes.js';
import { pageOf } from './pagination.js';

/** What the management API needs to know of the deployed APIs: whether a REST API and stage exist (for `apiStages`). */
export interface DeployedStages {
  readonly accountId: string;
  hasApi(apiId: string): boolean;
  hasStage(apiId: string, stage: string): boolean;
}

/**
 * The API stages must exist. The unknown-API message is API Gateway's (`Invalid API identifier specified
 * <account>:<apiId>`); the unknown-stage one follows the wording of its update error (aws-behaviour.md §8).
 */
export function createUsagePlan(ctx: AwsRequestContext, registry: UsagePlanRegistry, deployed: DeployedStages): void {
  const body = jsonBody(ctx);
  const name = optionalString(body, 'name');
  if (name === undefined || name === '') throw badRequest('Invalid usage plan name specified');
  const apiStages = apiStagesInput(body.apiStages);
  for (const { apiId, stage } of apiStages) {
    if (!deployed.hasApi(apiId)) throw notFound(`Invalid API identifier specified ${deployed.accountId}:${apiId}`);
    if (!deployed.hasStage(apiId, stage)) throw notFound(`Invalid API Stage {api: ${apiId}, stage: ${stage}} specified`);
  }
  const plan = registry.createPlan({
    name,
    description: optionalString(body, 'description') ?? '',
    apiStages,
    throttle: throttleInput(body.throttle),
    quota: quotaInput(body.quota),
  });
  ctx.sendJson(201, usagePlanShape(plan));
}

export function getUsagePlans(ctx: AwsRequestContext, registry: UsagePlanRegistry): void {
  const page = pageOf(ctx, registry.listPlans(ctx.query.get('keyId') ?? undefined));
  ctx.sendJson(200, { ...page, item: page.item.map(usagePlanShape) });
}

export function getUsagePlan(ctx: AwsRequestContext, registry: UsagePlanRegistry, id: string): void {
  ctx.sendJson(200, usagePlanShape(registry.getPlan(id)));
}

export function deleteUsagePlan(ctx: AwsRequestContext, registry: UsagePlanRegistry, id: string): void {
  registry.deletePlan(id);
  ctx.sendRaw(202, {}, '');
}

/** `UsagePlanKey`: the key's id, type, value and name, as API Gateway lists a plan's keys. */
function planKeyShape(registry: UsagePlanRegistry, keyId: string): Record<string, unknown> {
  const key = registry.getKey(keyId);
  return { id: key.id, type: 'API_KEY', value: registry.valueOf(key), name: key.name };
}

export function createUsagePlanKey(ctx: AwsRequestContext, registry: UsagePlanRegistry, planId: string): void {
  const body = jsonBody(ctx);
  const keyId = optionalString(body, 'keyId');
  if (keyId === undefined) throw badRequest('Invalid API Key identifier specified');
  if (optionalString(body, 'keyType') !== 'API_KEY') throw badRequest('Invalid key type specified');
  registry.addPlanKey(planId, keyId);
  ctx.sendJson(201, planKeyShape(registry, keyId));
}

export function getUsagePlanKeys(ctx: AwsRequestContext, registry: UsagePlanRegistry, planId: string): void {
  const name = ctx.query.get('name');
  const keys = registry.planKeyIds(planId).map((id) => planKeyShape(registry, id));
  ctx.sendJson(200, pageOf(ctx, name === null ? keys : keys.filter((k) => String(k.name).startsWith(name))));
}

export function deleteUsagePlanKey(ctx: AwsRequestContext, registry: UsagePlanRegistry, planId: string, keyId: string): void {
  registry.removePlanKey(planId, keyId);
  ctx.sendRaw(202, {}, '');
}
