/**
 * From the active resources of a resolved template to the model's functions and APIs, plus the notices about
 * what is accepted but not run (other event types, plain API Gateway resources, layers, nested stacks).
 */

import { TemplateError, type ApiKind, type ApiSpec, type AppModel, type EventSourceMappingSpec, type FunctionSpec, type TableSpec } from '../model.js';
import { streamMapping } from './event-source-mappings.js';
import { buildApis, implicitSource, type ApiInputs, type ApiSource } from './apis.js';
import { functionEvents, type RouteDecl } from './events.js';
import { withGatewayResponseResources, type GatewayResponseResource } from './gateway-responses.js';
import { lambdaFunction, serverlessFunction, type FunctionContext } from './functions.js';
import type { GlobalsSection } from './globals.js';
import { loadDefinitionUri, type FunctionLookup } from './openapi.js';
import type { ResourceEntry } from './resources.js';
import { runtimeNotices } from './runtime.js';
import type { Scope } from './scope.js';
import { STAGE_RESOURCE_TYPES, withStageResources, type StageResource } from './stages.js';
import { buildTables } from './tables.js';
import { buildUsagePlans } from './usage-plans.js';
import { child, isRecord, type JsonRecord } from './values.js';

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
  readonly mappings: EventSourceMappingSpec[];
}

/** The event source mappings of a SAM function's `DynamoDB` events. */
function samStreamMappings(fn: FunctionSpec, props: JsonRecord, stackName: string): EventSourceMappingSpec[] {
  const events = isRecord(props.Events) ? props.Events : {};
  const out: EventSourceMappingSpec[] = [];
  for (const [eventId, event] of Object.entries(events)) {
    if (!isRecord(event) || event.Type !== 'DynamoDB') continue;
    const path = `Resources.${fn.logicalId}.Properties.Events.${eventId}.Properties`;
    const eventProps = isRecord(event.Properties) ? event.Properties : {};
    const mapping = streamMapping({ stackName, logicalId: `${fn.logicalId}${eventId}`, functionName: fn.name, props: eventProps, path }, 'Stream');
    if (!mapping) throw new TemplateError('must be the ARN of a DynamoDB stream (!GetAtt Table.StreamArn)', child(path, 'Stream'));
    out.push(mapping);
  }
  return out;
}

/** An `AWS::Lambda::EventSourceMapping`: a mapping when its source is a DynamoDB stream, else an ignored event. */
function resourceMapping(scope: Scope, entry: ResourceEntry, result: FunctionsResult, stackName: string): void {
  const path = `Resources.${entry.logicalId}.Properties`;
  const props = scope.table.resolvedProperties(entry.logicalId);
  if (props.FunctionName === undefined || props.FunctionName === null) throw new TemplateError('FunctionName is required', child(path, 'FunctionName'));
  const functionName = String(props.FunctionName);
  const mapping = streamMapping({ stackName, logicalId: entry.logicalId, functionName, props, path }, 'EventSourceArn');
  if (mapping) result.mappings.push(mapping);
  else result.ignoredEvents.push('EventSourceMapping');
}

async function buildFunctions(scope: Scope, active: readonly ResourceEntry[], ctx: AssembleContext): Promise<FunctionsResult> {
  const result: FunctionsResult = { functions: [], routes: [], ignoredEvents: [], mappings: [] };
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
    result.mappings.push(...samStreamMappings(spec, props, ctx.env.stackName));
  }
  for (const entry of active) if (entry.type === 'AWS::Lambda::EventSourceMapping') resourceMapping(scope, entry, result, ctx.env.stackName);
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
  readonly eventSourceMappings: EventSourceMappingSpec[];
  readonly usagePlans: AppModel['usagePlans'];
}

export async function assemble(scope: Scope, ctx: AssembleContext): Promise<Assembled> {
  const active = scope.table.active();
  const { functions, routes, ignoredEvents, mappings } = await buildFunctions(scope, active, ctx);
  const explicit: ApiSource[] = [];
  const stages: StageResource[] = [];
  const responses: GatewayResponseResource[] = [];
  for (const entry of active) {
    const kind = API_KINDS[entry.type];
    if (kind) explicit.push(await apiSource(scope, entry, kind, ctx));
    // Everything else is resolved too, so a broken reference anywhere fails as it would in CloudFormation.
    else if (!FUNCTION_TYPES.has(entry.type)) {
      const props = scope.table.resolvedProperties(entry.logicalId);
      if (STAGE_RESOURCE_TYPES.has(entry.type)) stages.push({ logicalId: entry.logicalId, type: entry.type, props });
      if (entry.type === 'AWS::ApiGateway::GatewayResponse') responses.push({ logicalId: entry.logicalId, props });
    }
  }
  const inputs: ApiInputs = {
    stackName: ctx.env.stackName,
    explicit,
    implicitProps: implicitProps(scope, routes, ctx),
    unservedApis: new Set(active.filter((e) => UNSERVED_API_TYPES.has(e.type)).map((e) => e.logicalId)),
    routes,
    lookupFunction: functionLookup(functions),
    warnings: ctx.warnings,
  };
  const apis = withGatewayResponseResources(withStageResources(buildApis(inputs), stages, ctx.env.stackName), responses, ctx.env.stackName);
  ctx.warnings.push(...runtimeNotices(functions), ...summaryWarnings(active, ignoredEvents));
  const usagePlans = buildUsagePlans(scope, active, restSources(inputs), ctx.env.stackName);
  return { functions, apis, tables: buildTables(scope, active, ctx.warnings), eventSourceMappings: mappings, usagePlans };
}

/** The REST APIs SAM deploys: the explicit ones, and the implicit one when an event needs it. */
function restSources(inputs: ApiInputs): ApiSource[] {
  const explicit = inputs.explicit.filter((s) => s.kind === 'REST');
  const implicit = inputs.routes.some((r) => r.kind === 'REST' && r.apiRef === undefined);
  return implicit ? [...explicit, implicitSource('REST', inputs)] : explicit;
}
