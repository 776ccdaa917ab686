/**
 * Routes from an API's OpenAPI document (`DefinitionBody`, or a local `DefinitionUri` file), best effort: only
 * Lambda proxy integrations whose `uri` names a function of this template become routes, guarded by the authorizer
 * their `security` names (openapi-auth.ts). CORS, validators and non-Lambda integrations are left to later work.
 */

import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import type { ApiKind, AuthorizerSpec, RouteSpec } from '../model.js';
import { TemplateError } from '../model.js';
import { operationRequiresApiKey } from './api-keys.js';
import { normaliseMethod, payloadVersion } from './events.js';
import { definitionAuthorizers, operationAuth } from './openapi-auth.js';
import { parseTemplateText } from './yaml.js';
import { describe, isRecord, type JsonRecord } from './values.js';

/** Finds the function logical id for a function name or logical id mentioned in an integration uri. */
export type FunctionLookup = (nameOrLogicalId: string) => string | undefined;

const OPERATION_KEYS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'x-amazon-apigateway-any-method']);

/** Reads a local `DefinitionUri`; an S3 location cannot be read and yields undefined (the caller warns). */
export async function loadDefinitionUri(value: unknown, templateDir: string, path: string): Promise<unknown> {
  if (typeof value !== 'string' || /^s3:\/\//i.test(value)) return undefined;
  const file = isAbsolute(value) ? value : resolvePath(templateDir, value);
  const text = await readFile(file, 'utf8').catch(() => {
    throw new TemplateError(`OpenAPI file ${describe(value)} cannot be read (looked in ${file})`, path);
  });
  return parseTemplateText(text, value);
}

/**
 * The uri as text. In a `DefinitionUri` file intrinsics are not resolved (CloudFormation does not resolve them
 * either), so `{ 'Fn::Sub': 'arn:…${HelloFunction.Arn}/invocations' }` is read as its template string.
 */
function uriText(uri: unknown): string | undefined {
  if (typeof uri === 'string') return uri;
  if (!isRecord(uri)) return undefined;
  const sub = uri['Fn::Sub'];
  if (typeof sub === 'string') return sub;
  if (Array.isArray(sub) && typeof sub[0] === 'string') return sub[0];
  const getAtt = uri['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? `\${${getAtt[0]}.Arn}` : undefined;
}

/** `…:function:NAME[:alias]/invocations` (resolved) or `${Name.Arn}` / `${Name}` (unresolved Sub). */
export function targetFunction(uri: unknown, lookup: FunctionLookup): string | undefined {
  const text = uriText(uri);
  if (text === undefined) return undefined;
  const resolved = /:function:([^/:]+)/.exec(text)?.[1];
  if (resolved) return lookup(resolved);
  const placeholder = /\$\{([A-Za-z0-9]+)(?:\.Arn)?\}/g;
  for (const match of text.matchAll(placeholder)) {
    const id = lookup(match[1]!);
    if (id) return id;
  }
  return undefined;
}

/** `…:function:${stageVariables.fn}/invocations` (or `…:function:${stageVariables.fn}:live/…`) → `fn`. */
function stageVariableFunction(uri: unknown): string | undefined {
  const text = uriText(uri);
  return text === undefined ? undefined : /:function:\$\{!?stageVariables\.([A-Za-z0-9_]+)\}/.exec(text)?.[1];
}

interface Operation {
  readonly body: JsonRecord;
  readonly kind: ApiKind;
  readonly path: string;
  readonly method: string;
  readonly operation: JsonRecord;
  /** Property path of the operation, for error messages. */
  readonly at: string;
}

function operationRoute({ body, kind, path, method, operation, at }: Operation, lookup: FunctionLookup, auth: DocumentAuth): RouteSpec | undefined {
  const integration = operation['x-amazon-apigateway-integration'];
  if (!isRecord(integration) || String(integration.type).toLowerCase() !== 'aws_proxy') return undefined;
  const fn = targetFunction(integration.uri, lookup);
  const stageVariable = fn === undefined ? stageVariableFunction(integration.uri) : undefined;
  if (!fn && !stageVariable) return undefined;
  const isDefault = path === '$default';
  const timeout = Number(integration.timeoutInMillis);
  const max = kind === 'REST' ? 29000 : 30000;
  return {
    method: isDefault ? 'ANY' : normaliseMethod(method, at),
    path,
    functionLogicalId: fn ?? '',
    ...(stageVariable ? { functionStageVariable: stageVariable } : {}),
    // API Gateway's own default for an HTTP API integration is 1.0 (SAM writes 2.0 explicitly for its events).
    payloadFormatVersion: kind === 'REST' ? '1.0' : payloadVersion(integration.payloadFormatVersion ?? '1.0', `${at}.payloadFormatVersion`),
    timeoutInMillis: Number.isInteger(timeout) && timeout >= 50 && timeout <= max ? timeout : max,
    eventId: 'DefinitionBody',
    ...cacheKeys(integration.cacheKeyParameters),
    ...(kind === 'REST' && operationRequiresApiKey(body, operation) ? { apiKeyRequired: true } : {}),
    ...withAuth(operation, auth),
  };
}

/** The document and its authorizers, for the operations' `security`. */
interface DocumentAuth {
  readonly body: JsonRecord;
  readonly authorizers: Readonly<Record<string, AuthorizerSpec>>;
}

function withAuth(operation: JsonRecord, { body, authorizers }: DocumentAuth): Pick<RouteSpec, 'auth'> {
  const auth = operationAuth(operation, body, authorizers);
  return auth ? { auth } : {};
}

/** The authorizers an OpenAPI document declares (`x-amazon-apigateway-authorizer`), by scheme name. */
export function documentAuthorizers(body: unknown, kind: ApiKind, lookup: FunctionLookup): Record<string, AuthorizerSpec> {
  return definitionAuthorizers(body, kind, (uri) => targetFunction(uri, lookup));
}

/** The integration's `cacheKeyParameters` (`method.request.querystring.type` …), when it lists any. */
function cacheKeys(value: unknown): Pick<RouteSpec, 'cacheKeyParameters'> {
  const keys = Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : [];
  return keys.length > 0 ? { cacheKeyParameters: keys } : {};
}

/** Lambda proxy routes of an OpenAPI document; anything unrecognised is skipped, never an error. */
export function definitionRoutes(body: unknown, kind: ApiKind, lookup: FunctionLookup, at: string): RouteSpec[] {
  if (!isRecord(body) || !isRecord(body.paths)) return [];
  const auth: DocumentAuth = { body, authorizers: documentAuthorizers(body, kind, lookup) };
  const routes: RouteSpec[] = [];
  for (const [path, item] of Object.entries(body.paths)) {
    if (!isRecord(item)) continue;
    for (const [method, operation] of Object.entries(item)) {
      if (!OPERATION_KEYS.has(method.toLowerCase()) || !isRecord(operation)) continue;
      const route = operationRoute({ body, kind, path, method, operation, at: `${at}.paths.${path}.${method}` }, lookup, auth);
      if (route) routes.push(route);
    }
  }
  return routes;
}
