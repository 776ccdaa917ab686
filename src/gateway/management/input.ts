/** Reading management API request bodies: JSON objects whose members are checked as the model types them. */
import type { QuotaSpec, ThrottleSetting, UsagePlanStageSpec } from '../../app/model.js';
import { methodKey } from '../../app/sam/usage-plans.js';
import type { AwsRequestContext } from '../../aws/context.js';
import { badRequest } from './errors.js';

export type Body = Record<string, unknown>;

export function jsonBody(ctx: AwsRequestContext): Body {
  if (ctx.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(ctx.body.toString('utf8'));
  } catch {
    throw badRequest('Invalid JSON in request body');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('Invalid JSON in request body');
  return parsed as Body;
}

export function optionalString(body: Body, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(`Invalid ${name} specified`);
  return value;
}

export function optionalBoolean(body: Body, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badRequest(`Invalid ${name} specified`);
  return value;
}

function record(value: unknown, what: string): Body {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest(`Invalid ${what} specified`);
  return value as Body;
}

function count(value: unknown, what: string, integer: boolean): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) throw badRequest(`Invalid ${what} specified`);
  return value;
}

export function throttleInput(value: unknown): ThrottleSetting | undefined {
  if (value === undefined || value === null) return undefined;
  const t = record(value, 'throttle');
  return { burstLimit: count(t.burstLimit, 'burstLimit', true), rateLimit: count(t.rateLimit, 'rateLimit', false) };
}

export function quotaInput(value: unknown): QuotaSpec | undefined {
  if (value === undefined || value === null) return undefined;
  const q = record(value, 'quota');
  const limit = count(q.limit, 'quota limit', true);
  const offset = count(q.offset, 'quota offset', true) ?? 0;
  const period = q.period;
  if (limit === undefined) throw badRequest('Invalid quota limit specified');
  if (period !== 'DAY' && period !== 'WEEK' && period !== 'MONTH') throw badRequest('Invalid quota period specified');
  if (offset > (period === 'DAY' ? 0 : period === 'WEEK' ? 6 : 27)) throw badRequest('Invalid quota offset specified');
  return { limit, offset, period };
}

export function apiStagesInput(value: unknown): UsagePlanStageSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest('Invalid API Stage specified');
  return value.map((item) => {
    const stage = record(item, 'API Stage');
    if (typeof stage.apiId !== 'string' || typeof stage.stage !== 'string') throw badRequest('Invalid API Stage specified');
    const throttle: Record<string, ThrottleSetting> = {};
    for (const [key, setting] of Object.entries(stage.throttle === undefined || stage.throttle === null ? {} : record(stage.throttle, 'throttle'))) {
      const method = methodKey(key);
      if (method === undefined) throw badRequest(`Invalid method ${key} specified`);
      throttle[method] = throttleInput(setting) ?? { burstLimit: undefined, rateLimit: undefined };
    }
    return { apiId: stage.apiId, stage: stage.stage, throttle };
  });
}

/** `patchOperations` as `[op, path, value]` triples. */
export function patchOperations(body: Body): { op: string; path: string; value: string | undefined }[] {
  const ops = body.patchOperations;
  if (ops === undefined || ops === null) return [];
  if (!Array.isArray(ops)) throw badRequest('Invalid patch operations specified');
  return ops.map((item) => {
    const op = record(item, 'patch operation');
    if (typeof op.op !== 'string' || typeof op.path !== 'string') throw badRequest('Invalid patch operation specified');
    return { op: op.op, path: op.path, value: typeof op.value === 'string' ? op.value : undefined };
  });
}
