/**
 * `FlushStageCache` of the API Gateway management API (REST-JSON, signing name `apigateway`):
 * `DELETE /restapis/{restapi_id}/stages/{stage_name}/cache/data` drops every cached response of the stage and
 * answers 202 with an empty body. Registered as a service of its own, so it sits beside the other API Gateway
 * operations without sharing their code.
 */
import type { AwsRequestContext } from '../../aws/context.js';
import type { AwsService } from '../../aws/endpoint.js';
import { AwsError } from '../../aws/errors.js';
import type { RouteProbe } from '../../aws/routing.js';
import type { ResponseCache } from '../policies/response-cache.js';

/** What the deployment knows about a stage: no such API, no such stage, or the stage and its cache (if any). */
export type StageLookup = { readonly found: 'no-api' } | { readonly found: 'no-stage' } | { readonly found: 'stage'; readonly cache: ResponseCache | undefined };

export type FindStage = (restApiId: string, stageName: string) => StageLookup;

const PATH = /^\/restapis\/([^/]+)\/stages\/([^/]+)\/cache\/data\/?$/;

export function flushStageCacheService(findStage: FindStage, accountId: () => string): AwsService {
  return {
    name: 'apigateway',
    protocol: 'rest-json',
    matches: (probe: RouteProbe) => probe.target === undefined && probe.method === 'DELETE' && PATH.test(probe.rawPath),
    errorOptions: { jsonContentType: 'application/json' },
    handle: (ctx) => flush(ctx, findStage, accountId()),
  };
}

async function flush(ctx: AwsRequestContext, findStage: FindStage, accountId: string): Promise<void> {
  const [, restApiId = '', , stageName = ''] = ctx.segments;
  const stage = findStage(restApiId, stageName);
  // [?] messages as API Gateway words its NotFoundException for other stage operations (GetStage).
  if (stage.found === 'no-api') return ctx.sendError(notFound(`Invalid API identifier specified ${accountId}:${restApiId}`));
  if (stage.found === 'no-stage') return ctx.sendError(notFound('Invalid stage identifier specified'));
  await stage.cache?.flush();
  ctx.sendRaw(202, { 'Content-Type': 'application/json' }, '');
}

function notFound(message: string): AwsError {
  return new AwsError({ code: 'NotFoundException', status: 404, message });
}
