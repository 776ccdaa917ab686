/**
 * From the active resources of a resolved template to the model's functions and APIs, plus the notices about
 * what is accepted but not run (other event types, plain API Gateway resources, layers, nested stacks).
 */

import type { ApiKind, ApiSpec, FunctionSpec, TableSpec } from '../model.js';
import { buildApis, type ApiSource } from './apis.js';
import { functionEvents, type RouteDecl } from './events.js';
import { lambdaFunction, serverlessFunction, type FunctionContext } from './functions.js';
import type { GlobalsSection } from './globals.js';
import { loadDefinitionUri, type FunctionLookup } from './openapi.js';
import type { ResourceEntry } from './resources.js';
import { runtimeNotices } from './runtime.js';
import type { Scope } from './scope.js';
import { buildTables } from './tables.js';
import type { JsonRecord } from './values.js';

export interface AssembleContext extends FunctionContext {
  readonly globals: GlobalsSection;
}

const FUNCTION_TYPES = new Set(['AWS::Serverless::Function', 'AWS::Lambda::Function']);
const UNSERVED_API_TYPES = new Set(['AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api']);
const NESTED_STACK_TYPES = new Set(['AWS::CloudFormation::Stack', 'AWS::Serverless::Application']);
const API_KINDS: Readonly<Record<string, ApiKind>> = { 'AWS::Serverless::Api': 'REST', 'AWS::Serverless::HttpApi': 'HTTP' };

interface FunctionsResult {
  readonly functions: FunctionSpec[];
  readonly routes: RouteDecl[];
  readonly ignoredEvents: string[];
}

async function buildFunctions(scope: Scope, active: readonly ResourceEntry[], ctx: AssembleContext): Promise<FunctionsResult> {
  const result: FunctionsResult = { functions: [], routes: [], ignoredEvents: [] };
  const layered: string[] = [];
  for (const entry of active) {
    const isSam = entry.type === 'AWS::Serverless::Function';
    if (!FUNCTION_TYPES.has(entry.type)) continue;
    const props = scope.table.resolvedProperties(entry.logicalId);
    const spec = isSam
      ? await serverlessFunction(entry.logicalId, props, entry.metadata, ctx)
      : await lambdaFunction(entry.logicalId, props, ctx);
    if (!spec) continue;
    result.functions.push(spec);
    if (Array.isArray(props.Layers) && props.Layers.length > 0) layered.push(entry.logicalId);
    if (!isSam) continue;
    const events = functionEvents(entry.logicalId, props);
    result.routes.push(...events.routes);
    result.ignoredEvents.push(...events.ignored);
  }
  if (layered.length > 0) ctx.warnings.push(`Lambda layers are not added to functions yet (${layered.join(', ')}); bundle what they provide`);
  return result;
}

/** Matches function names (from resolved ARNs) and logical ids (from unresolved `${Fn.Arn}`) to logical ids. */
function functionLookup(functions: readonly FunctionSpec[]): FunctionLookup {
  const ids = new Map<string, string>();
  for (const fn of functions) {
    ids.set(fn.logicalId, fn.logicalId);
    ids.set(fn.name, fn.logicalId);
  }
  return (key) => ids.get(key);
}

async function apiSource(scope: Scope, entry: ResourceEntry, kind: ApiKind, ctx: AssembleContext): Promise<ApiSource> {
  const path = `Resources.${entry.logicalId}.Properties`;
  const props = scope.table.resolvedProperties(entry.logicalId);
  let definition = props.DefinitionBody;
  if (definition === undefined && props.DefinitionUri !== undefined) {
    definition = await loadDefinitionUri(props.DefinitionUri, ctx.templateDir, `${path}.DefinitionUri`);
    if (definition === undefined) {
      ctx.warnings.push(`${entry.logicalId}: DefinitionUri in S3 cannot be read; only routes from function events are served`);
    }
  }
  return { logicalId: entry.logicalId, kind, props, definition, path };
}

/** Globals for an implicit API, resolved only when an event actually creates that API. */
function implicitProps(scope: Scope, routes: readonly RouteDecl[], ctx: AssembleContext): Record<ApiKind, JsonRecord> {
  const props = (kind: ApiKind, section: string): JsonRecord => {
    const needed = routes.some((r) => r.kind === kind && r.apiRef === undefined);
    const globals = ctx.globals.sections[section];
    return needed && globals ? (scope.resolver.resolve(globals, `Globals.${section}`) as JsonRecord) : {};
  };
  return { REST: props('REST', 'Api'), HTTP: props('HTTP', 'HttpApi') };
}

function summaryWarnings(active: readonly ResourceEntry[], ignoredEvents: readonly string[]): string[] {
  const warnings: string[] = [];
  if (ignoredEvents.length > 0) {
    const counts = new Map<string, number>();
    for (const type of ignoredEvents) counts.set(type, (counts.get(type) ?? 0) + 1);
    const list = [...counts].map(([type, n]) => `${type} (${n})`).join(', ');
    warnings.push(`Function events not triggered by Portico yet: ${list}; invoke those functions directly`);
  }
  const unserved = active.filter((e) => UNSERVED_API_TYPES.has(e.type)).map((e) => `${e.logicalId} (${e.type})`);
  if (unserved.length > 0) warnings.push(`Plain API Gateway resources are not served, use AWS::Serverless::Api/HttpApi: ${unserved.join(', ')}`);
  const nested = active.filter((e) => NESTED_STACK_TYPES.has(e.type)).map((e) => e.logicalId);
  if (nested.length > 0) warnings.push(`Nested stacks and applications are not deployed: ${nested.join(', ')}`);
  return warnings;
}

export interface Assembled {
  readonly functions: FunctionSpec[];
  readonly apis: ApiSpec[];
  readonly tables: TableSpec[];
}

export async function assemble(scope: Scope, ctx: AssembleContext): Promise<Assembled> {
  const active = scope.table.active();
  const { functions, routes, ignoredEvents } = await buildFunctions(scope, active, ctx);
  const explicit: ApiSource[] = [];
  for (const entry of active) {
    const kind = API_KINDS[entry.type];
    if (kind) explicit.push(await apiSource(scope, entry, kind, ctx));
    // Everything else is resolved too, so a broken reference anywhere fails as it would in CloudFormation.
    else if (!FUNCTION_TYPES.has(entry.type)) scope.table.resolvedProperties(entry.logicalId);
  }
  const apis = buildApis({
    stackName: ctx.env.stackName,
    explicit,
    implicitProps: implicitProps(scope, routes, ctx),
    unservedApis: new Set(active.filter((e) => UNSERVED_API_TYPES.has(e.type)).map((e) => e.logicalId)),
    routes,
    lookupFunction: functionLookup(functions),
    warnings: ctx.warnings,
  });
  ctx.warnings.push(...runtimeNotices(functions), ...summaryWarnings(active, ignoredEvents));
  return { functions, apis, tables: buildTables(scope, active, ctx.warnings) };
}
