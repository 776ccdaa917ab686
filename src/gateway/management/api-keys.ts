/** CreateApiKey, GetApiKeys, GetApiKey, UpdateApiKey, DeleteApiKey. */
import type { AwsRequestContext } from '../../aws/context.js';
import type { UsagePlanRegistry } from '../usage-plans/registry.js';
import { badRequest } from './errors.js';
import { jsonBody, optionalBoolean, optionalString, patchOperations } from './input.js';
import { apiKeyShape } from './shapes.js';
import { pageOf } from './pagination.js';

export function createApiKey(ctx: AwsRequestContext, registry: UsagePlanRegistry): void {
  const body = jsonBody(ctx);
  const name = optionalString(body, 'name');
  if (name !== undefined && name.length > 1024) throw badRequest('Invalid API Key name, can be at most 1024 characters.');
  const stageKeys = Array.isArray(body.stageKeys)
    ? body.stageKeys.map((s: unknown) => {
        const stageKey = (typeof s === 'object' && s !== null ? s : {}) as Record<string, unknown>;
        return `${String(stageKey.restApiId)}/${String(stageKey.stageName)}`;
      })
    : [];
  const { key, value } = registry.createKey({
    name,
    description: optionalString(body, 'description'),
    enabled: optionalBoolean(body, 'enabled') ?? false,
    value: optionalString(body, 'value'),
    customerId: optionalString(body, 'customerId'),
    stageKeys,
  });
  ctx.sendJson(201, apiKeyShape(key, value));
}

export function getApiKeys(ctx: AwsRequestContext, registry: UsagePlanRegistry): void {
  const includeValues = ctx.query.get('includeValues') === 'true';
  const name = ctx.query.get('name');
  const customerId = ctx.query.get('customerId');
  const keys = registry.listKeys().filter((k) => (name === null || k.name.startsWith(name)) && (customerId === null || k.customerId === customerId));
  const page = pageOf(ctx, keys);
  ctx.sendJson(200, { ...page, item: page.item.map((k) => apiKeyShape(k, includeValues ? registry.valueOf(k) : undefined)) });
}

export function getApiKey(ctx: AwsRequestContext, registry: UsagePlanRegistry, id: string): void {
  const key = registry.getKey(id);
  ctx.sendJson(200, apiKeyShape(key, ctx.query.get('includeValue') === 'true' ? registry.valueOf(key) : undefined));
}

/** Patch paths API Gateway accepts for a key: `/enabled`, `/name`, `/description`, `/customerId`. */
export function updateApiKey(ctx: AwsRequestContext, registry: UsagePlanRegistry, id: string): void {
  const key = registry.getKey(id);
  let changes = {};
  for (const { op, path, value } of patchOperations(jsonBody(ctx))) {
    if (op !== 'replace') throw badRequest(`Invalid patch operation specified. Must be 'replace' for path ${path}`);
    if (path === '/enabled') changes = { ...changes, enabled: value === 'true' };
    else if (path === '/name' || path === '/description' || path === '/customerId') changes = { ...changes, [path.slice(1)]: value ?? '' };
    else throw badRequest(`Invalid patch path '${path}' specified for op 'replace'. Must be one of: [/description, /enabled, /name, /customerId]`);
  }
  ctx.sendJson(200, apiKeyShape(registry.updateKey(key.id, changes)));
}

export function deleteApiKey(ctx: AwsRequestContext, registry: UsagePlanRegistry, id: string): void {
  registry.deleteKey(id);
  ctx.sendRaw(202, {}, '');
}
