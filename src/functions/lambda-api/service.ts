import type { AwsRequestContext } from '../../aws/context.js';
import type { AwsService } from '../../aws/endpoint.js';
import { byPathPrefix } from '../../aws/routing.js';
import type { EventQueue } from '../event-queue.js';
import type { FunctionService } from '../function-service.js';
import { functionConfiguration } from './configuration.js';
import { accessDenied, functionNotFound, invalidParameter, unknownOperation } from './errors.js';
import { invoke, invokeBodyLimit } from './invoke.js';

/** Who is calling: a function's own session key, or anyone else (a user, a test, the CLI). */
export type Principals = ReadonlyMap<string, string>;

/**
 * The Lambda API (REST-JSON, `/2015-03-31/functions…`) on Portico's AWS endpoint: Invoke, ListFunctions,
 * GetFunction, GetFunctionConfiguration.
 */
export function lambdaService(functions: FunctionService, events: EventQueue, principals: Principals): AwsService {
  return {
    name: 'lambda',
    protocol: 'rest-json',
    matches: byPathPrefix('/2015-03-31/functions', '/2014-11-13/functions'),
    maxBodyBytes: (probe) => invokeBodyLimit(probe.headers),
    errorOptions: { jsonContentType: 'application/json' },
    handle: (ctx) => route(ctx, functions, events, principals),
  };
}

async function route(ctx: AwsRequestContext, functions: FunctionService, events: EventQueue, principals: Principals): Promise<void> {
  const [, , name, action] = ctx.segments;
  if (ctx.method === 'GET' && name === undefined) return listFunctions(ctx, functions, principals);
  if (name === undefined) return ctx.sendError(unknownOperation());
  if (ctx.method === 'POST' && (action === 'invocations' || action === 'invoke-async')) {
    return invoke(ctx, functions, events, name, action === 'invoke-async');
  }
  if (ctx.method === 'GET' && (action === undefined || action === 'configuration')) {
    return getFunction(ctx, functions, principals, name, action === 'configuration');
  }
  ctx.sendError(unknownOperation());
}

function listFunctions(ctx: AwsRequestContext, functions: FunctionService, principals: Principals): void {
  const caller = principals.get(ctx.accessKeyId);
  const all = functions.list().sort((a, b) => a.name.localeCompare(b.name));
  const maxItems = Number(ctx.query.get('MaxItems') ?? 50);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10000) {
    return ctx.sendError(invalidParameter('1 validation error detected: Value at \'maxItems\' failed to satisfy constraint: Member must have value between 1 and 10000'));
  }
  const marker = ctx.query.get('Marker');
  const start = marker ? Math.max(0, all.findIndex((fn) => fn.name === marker)) : 0;
  const page = all.slice(start, start + maxItems);
  const next = all[start + maxItems];
  ctx.sendJson(200, {
    Functions: page.map((fn) => functionConfiguration(fn, { includeEnvironment: caller === undefined || caller === fn.name })),
    ...(next ? { NextMarker: next.name } : {}),
  });
}

function getFunction(ctx: AwsRequestContext, functions: FunctionService, principals: Principals, name: string, configurationOnly: boolean): void {
  const fn = functions.find(name);
  if (!fn) return ctx.sendError(functionNotFound(unqualifiedArn(ctx, name)));
  const caller = principals.get(ctx.accessKeyId);
  if (caller !== undefined && caller !== fn.name) {
    const action = configurationOnly ? 'GetFunctionConfiguration' : 'GetFunction';
    return ctx.sendError(accessDenied(caller, action, fn.arn, fn.arn.split(':')[4] ?? ''));
  }
  const configuration = functionConfiguration(fn, { includeEnvironment: true });
  if (configurationOnly) return ctx.sendJson(200, configuration);
  ctx.sendJson(200, {
    Configuration: configuration,
    Code: { RepositoryType: 'S3', Location: `file://${fn.codeDir}` },
    ...(fn.reservedConcurrency !== undefined ? { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } } : {}),
  });
}

/** The ARN Lambda names in "Function not found" for a name that does not exist. */
export function unqualifiedArn(ctx: AwsRequestContext, nameOrArn: string): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  return `arn:aws:lambda:${ctx.region}:123456789012:function:${nameOrArn}`;
}
