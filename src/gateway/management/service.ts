/**
 * The API Gateway management API (REST-JSON, signing name `apigateway`) on Portico's AWS endpoint, for API keys and
 * usage plans: the operations and paths of the `apigateway` service model, driven unchanged by the AWS CLI, boto3
 * and the SDKs. Its errors are the model's: NotFoundException, BadRequestException, ConflictException.
 */
import type { AwsRequestContext } from '../../aws/context.js';
import type { AwsService } from '../../aws/endpoint.js';
import { byPathPrefix } from '../../aws/routing.js';
import type { UsagePlanRegistry } from '../usage-plans/registry.js';
import { createApiKey, deleteApiKey, getApiKey, getApiKeys, updateApiKey } from './api-keys.js';
import { unknownOperation } from './errors.js';
import { updateUsagePlan } from './update-usage-plan.js';
import { getUsage, updateUsage } from './usage.js';
import {
  createUsagePlan,
  createUsagePlanKey,
  deleteUsagePlan,
  deleteUsagePlanKey,
  getUsagePlan,
  getUsagePlanKeys,
  getUsagePlans,
  type DeployedStages,
} from './usage-plans.js';

export type { DeployedStages };

/** Management requests are small JSON documents. */
const MAX_BODY_BYTES = 1024 * 1024;

export function apiGatewayService(registry: UsagePlanRegistry, deployed: DeployedStages): AwsService {
  return {
    name: 'apigateway',
    protocol: 'rest-json',
    matches: byPathPrefix('/apikeys', '/usageplans'),
    maxBodyBytes: MAX_BODY_BYTES,
    errorOptions: { jsonContentType: 'application/json' },
    handle: async (ctx) => route(ctx, registry, deployed),
  };
}

function route(ctx: AwsRequestContext, registry: UsagePlanRegistry, deployed: DeployedStages): void {
  const [collection, id, sub, keyId, usage] = ctx.segments;
  const m = ctx.method;
  if (collection === 'apikeys' && sub === undefined) {
    if (id === undefined) return m === 'POST' ? createApiKey(ctx, registry) : m === 'GET' ? getApiKeys(ctx, registry) : ctx.sendError(unknownOperation());
    if (m === 'GET') return getApiKey(ctx, registry, id);
    if (m === 'PATCH') return updateApiKey(ctx, registry, id);
    if (m === 'DELETE') return deleteApiKey(ctx, registry, id);
  }
  if (collection === 'usageplans') {
    if (id === undefined) return m === 'POST' ? createUsagePlan(ctx, registry, deployed) : m === 'GET' ? getUsagePlans(ctx, registry) : ctx.sendError(unknownOperation());
    if (sub === undefined && m === 'PATCH') return updateUsagePlan(ctx, registry, deployed, id);
    if (sub === undefined) return m === 'GET' ? getUsagePlan(ctx, registry, id) : m === 'DELETE' ? deleteUsagePlan(ctx, registry, id) : ctx.sendError(unknownOperation());
    if (sub === 'usage' && keyId === undefined && m === 'GET') return getUsage(ctx, registry, id);
    if (sub === 'keys' && keyId === undefined) return m === 'POST' ? createUsagePlanKey(ctx, registry, id) : m === 'GET' ? getUsagePlanKeys(ctx, registry, id) : ctx.sendError(unknownOperation());
    if (sub === 'keys' && keyId !== undefined && usage === 'usage' && m === 'PATCH') return updateUsage(ctx, registry, id, keyId);
    if (sub === 'keys' && keyId !== undefined && usage === undefined && m === 'DELETE') return deleteUsagePlanKey(ctx, registry, id, keyId);
  }
  ctx.sendError(unknownOperation());
}
