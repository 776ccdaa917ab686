/**
 * ApiSpecs: explicit `AWS::Serverless::Api`/`HttpApi` resources, plus the implicit `ServerlessRestApi` (stage
 * `Prod`) and `ServerlessHttpApi` (stage `$default`) that SAM creates for function events naming no API. Routes
 * come from the OpenAPI body first; a function event for the same method and path replaces the body's route, as
 * SAM adds its integration to the existing path.
 */

import type { ApiKind, ApiSpec, RouteSpec } from '../model.js';
import { TemplateError } from '../model.js';
import { apiKeyRequiredOf, apiKeySourceOf } from './api-keys.js';
import { apiAuthOf, corsPreflightAuth, listedAuthorizers, routeAuth, type ApiAuth } from './auth.js';
import { corsOf } from './cors.js';
import type { RouteDecl } from './events.js';
import { IMPLICIT_HTTP_API, IMPLICIT_REST_API, IMPLICIT_REST_STAGE } from './implicit.js';
import { apiIdFor } from './naming.js';
import { cacheOf } from './caching.js';
import { definitionGatewayResponses, samGatewayResponses } from './gateway-responses.js';
import { definitionRoutes, documentAuthorizers, type FunctionLookup } from './openapi.js';
import { samExtraStage } from './stages.js';
import { throttlingOf } from './throttling.js';
import { child, describe, optionalList, scalarText, stringMap, type JsonRecord } from './values.js';

/** An API resource with resolved properties; `definition` is the DefinitionBody or loaded DefinitionUri. */
export interface ApiSource {
  readonly logicalId: string;
  readonly kind: ApiKind;
  readonly props: JsonRecord;
  readonly definition: unknown;
  /** Where `props` came from, for error messages (`Resources.MyApi.Properties`, or `Globals.Api` when implicit). */
  readonly path: string;
}

export interface ApiInputs {
  readonly stackName: string;
  readonly explicit: readonly ApiSource[];
  /** Properties for the implicit APIs (their Globals, resolved), used only if an event needs them. */
  readonly implicitProps: Readonly<Record<ApiKind, JsonRecord>>;
  /** Logical ids of plain API Gateway resources (not served); events pointing at them are skipped. */
  readonly unservedApis: ReadonlySet<string>;
  readonly routes: readonly RouteDecl[];
  readonly lookupFunction: FunctionLookup;
  /** Notices for the start-up summary (routes whose authorization Portico does not enforce yet). */
  readonly warnings?: string[];
}

interface Draft extends Omit<ApiSpec, 'routes' | 'authorizers'> {
  readonly routes: Map<string, RouteSpec>;
  readonly auth: ApiAuth;
}

const STAGE = /^[A-Za-z0-9_-]{1,128}$/;

function stageName(source: ApiSource): string {
  const at = child(source.path, 'StageName');
  const value = source.props.StageName;
  if (value === undefined) {
    if (source.kind === 'HTTP') return '$default';
    throw new TemplateError('StageName is required for AWS::Serverless::Api', at);
  }
  const name = scalarText(value, at);
  if (!(STAGE.test(name) || (source.kind === 'HTTP' && name === '$default'))) {
    throw new TemplateError(`stage names may contain only letters, digits, "-" and "_", got ${describe(name)}`, at);
  }
  return name;
}

/** `BinaryMediaTypes` are written with `~1` for `/` (`image~1png`), as in a JSON pointer. */
function binaryMediaTypes(source: ApiSource): string[] {
  if (source.kind !== 'REST') return [];
  const at = child(source.path, 'BinaryMediaTypes');
  return optionalList(source.props.BinaryMediaTypes, at).map((t, i) => scalarText(t, child(at, i)).replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `{ cors }` when the API configures CORS, so that APIs without it carry no `cors` key at all. */
function withCors(source: ApiSource): Pick<ApiSpec, 'cors'> {
  const cors = corsOf(source.kind, source.props, source.path);
  return cors ? { cors } : {};
}

/** `{ throttling }` when the stage sets throttling limits, so that APIs without them carry no `throttling` key. */
function withThrottling(source: ApiSource): Pick<ApiSpec, 'throttling'> {
  const throttling = throttlingOf(source.kind, source.props, source.path);
  return throttling ? { throttling } : {};
}

/**
 * REST only: `{ cache, gatewayResponses, extraStages }` for what the API sets, so that APIs without them carry no
 * such keys at all.
 */
function withRestFeatures(source: ApiSource, stage: string): Pick<ApiSpec, 'cache' | 'gatewayResponses' | 'extraStages'> {
  if (source.kind !== 'REST') return {};
  const cache = cacheOf(source.props, source.path);
  const gatewayResponses = {
    ...definitionGatewayResponses(source.definition),
    ...samGatewayResponses(source.props.GatewayResponses, child(source.path, 'GatewayResponses')),
  };
  const extraStages = samExtraStage(source.props, stage);
  return {
    ...(cache ? { cache } : {}),
    ...(Object.keys(gatewayResponses).length > 0 ? { gatewayResponses } : {}),
    ...(extraStages.length > 0 ? { extraStages } : {}),
  };
}

const routeKey = (r: RouteSpec): string => `${r.method} ${r.path}`;

/** The API's `Auth` over its document's authorizers; a Lambda authorizer Portico cannot run is reported once. */
function checkedAuth(source: ApiSource, inputs: ApiInputs): ApiAuth {
  const auth = apiAuthOf(source.kind, source.props, source.path, inputs.lookupFunction, documentAuthorizers(source.definition, source.kind, inputs.lookupFunction));
  for (const spec of Object.values(auth.authorizers)) {
    if ((spec.kind === 'REST_LAMBDA' || spec.kind === 'HTTP_LAMBDA') && spec.functionLogicalId === undefined) {
      inputs.warnings?.push(`${source.logicalId}: authorizer ${spec.name} names no function of this template; requests it guards answer 500`);
    }
  }
  return auth;
}

function draftOf(source: ApiSource, inputs: ApiInputs): Draft {
  const variablesKey = source.kind === 'REST' ? 'Variables' : 'StageVariables';
  const bodyRoutes = definitionRoutes(source.definition, source.kind, inputs.lookupFunction, child(source.path, 'DefinitionBody'));
  const stage = stageName(source);
  return {
    logicalId: source.logicalId,
    kind: source.kind,
    apiId: apiIdFor(inputs.stackName, source.logicalId),
    stageName: stage,
    stageVariables: stringMap(source.props[variablesKey], child(source.path, variablesKey)),
    binaryMediaTypes: binaryMediaTypes(source),
    routes: new Map(bodyRoutes.map((r) => [routeKey(r), r])),
    auth: checkedAuth(source, inputs),
    ...withCors(source),
    ...withThrottling(source),
    ...withRestFeatures(source, stage),
    ...(source.kind === 'REST' ? apiKeySourceOf(source.props, source.definition, source.path) : {}),
  };
}

/** SAM's `Auth.ApiKeyRequired` on the API: the default for its event methods. */
function apiKeyDefault(source: ApiSource): boolean {
  return source.kind === 'REST' && apiKeyRequiredOf(source.props.Auth, child(source.path, 'Auth')).apiKeyRequired === true;
}

export function implicitSource(kind: ApiKind, inputs: ApiInputs): ApiSource {
  const globals = inputs.implicitProps[kind];
  // Globals cannot set StageName: the implicit REST API always deploys `Prod`, the HTTP API `$default`.
  return kind === 'REST'
    ? { logicalId: IMPLICIT_REST_API, kind, props: { ...globals, StageName: IMPLICIT_REST_STAGE }, definition: undefined, path: 'Globals.Api' }
    : { logicalId: IMPLICIT_HTTP_API, kind, props: { ...globals, StageName: undefined }, definition: undefined, path: 'Globals.HttpApi' };
}

class ApiAssembler {
  private readonly drafts = new Map<string, Draft>();
  private readonly byRef = new Map<string, string>();
  /** Routes added by events, so duplicates name both events. */
  private readonly eventRoutes = new Set<string>();
  /** `Auth.ApiKeyRequired` of each REST API, by logical id. */
  private readonly keyDefaults = new Map<string, boolean>();

  constructor(private readonly inputs: ApiInputs) {
    for (const source of inputs.explicit) {
      this.drafts.set(source.logicalId, draftOf(source, inputs));
      this.keyDefaults.set(source.logicalId, apiKeyDefault(source));
      this.byRef.set(apiIdFor(inputs.stackName, source.logicalId), source.logicalId);
      this.byRef.set(source.logicalId, source.logicalId);
    }
  }

  add(decl: RouteDecl): void {
    const draft = decl.apiRef === undefined ? this.implicit(decl.kind) : this.referenced(decl);
    if (!draft) return;
    const key = routeKey(decl.route);
    const previous = draft.routes.get(key);
    if (previous && this.eventRoutes.has(`${draft.logicalId} ${key}`)) {
      throw new TemplateError(
        `${key} on ${draft.logicalId} is already routed by ${previous.functionLogicalId}.Events.${previous.eventId}`,
        `Resources.${decl.route.functionLogicalId}.Properties.Events.${decl.route.eventId}`,
      );
    }
    this.eventRoutes.add(`${draft.logicalId} ${key}`);
    const keyRequired = decl.apiKeyRequired ?? this.keyDefaults.get(draft.logicalId) === true;
    const auth = routeAuth(draft.auth, decl.auth);
    draft.routes.set(key, keyRequired || auth ? { ...decl.route, ...(keyRequired ? { apiKeyRequired: true } : {}), ...(auth ? { auth } : {}) } : decl.route);
  }

  specs(): ApiSpec[] {
    return [...this.drafts.values()].map(({ auth, ...d }) => {
      const preflight = d.cors?.kind === 'REST' ? corsPreflightAuth(auth) : undefined;
      const preflightKey = d.cors?.kind === 'REST' && auth.addApiKeyRequiredToCorsPreflight && this.keyDefaults.get(d.logicalId) === true;
      const routes = [...d.routes.values()];
      const used = new Set(routes.flatMap((r) => (r.auth ? [r.auth.authorizer] : [])));
      if (preflight) used.add(preflight.authorizer);
      const authorizers = listedAuthorizers(auth, used);
      return {
        ...d,
        routes,
        ...(authorizers ? { authorizers } : {}),
        ...(preflight ? { corsPreflightAuth: preflight } : {}),
        ...(preflightKey ? { corsPreflightApiKeyRequired: true as const } : {}),
      };
    });
  }

  private implicit(kind: ApiKind): Draft {
    const id = kind === 'REST' ? IMPLICIT_REST_API : IMPLICIT_HTTP_API;
    let draft = this.drafts.get(id);
    if (!draft) {
      const source = implicitSource(kind, this.inputs);
      draft = draftOf(source, this.inputs);
      this.drafts.set(id, draft);
      this.keyDefaults.set(id, apiKeyDefault(source));
    }
    return draft;
  }

  private referenced(decl: RouteDecl): Draft | undefined {
    const ref = typeof decl.apiRef === 'string' ? decl.apiRef : undefined;
    const id = ref === undefined ? undefined : this.byRef.get(ref);
    const wanted = decl.kind === 'REST' ? 'AWS::Serverless::Api' : 'AWS::Serverless::HttpApi';
    if (id === undefined) {
      const unserved = ref !== undefined && [...this.inputs.unservedApis].some((u) => u === ref || apiIdFor(this.inputs.stackName, u) === ref);
      if (unserved) return undefined;
      throw new TemplateError(`must refer to an ${wanted} in this template (use !Ref), got ${describe(decl.apiRef)}`, decl.apiRefPath);
    }
    const draft = this.drafts.get(id)!;
    if (draft.kind !== decl.kind) throw new TemplateError(`must refer to an ${wanted}; ${id} is not one`, decl.apiRefPath);
    return draft;
  }
}

export function buildApis(inputs: ApiInputs): ApiSpec[] {
  const assembler = new ApiAssembler(inputs);
  for (const decl of inputs.routes) assembler.add(decl);
  return assembler.specs();
}
