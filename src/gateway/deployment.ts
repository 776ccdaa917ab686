import { createHash } from 'node:crypto';
import type { ApiSpec, AppModel, FunctionSpec, RouteSpec } from '../app/model.js';
import type { MatchedRoute } from './events/request.js';
import type { RoutePlan } from './phases.js';
import type { Policy } from './phases.js';
import { buildPlan, gatewayPolicies } from './plan.js';
import { InMemoryResponseCacheStore, type ResponseCacheStore } from './policies/response-cache.js';
import { corsPreflightAuthorizePolicy } from './policies/authorizers/cors-preflight.js';
import { authorizePolicy, defaultAuthorizerServices, type AuthorizerServices } from './policies/authorizers/policy.js';
import { defaultThrottleOptions, type ThrottleOptions } from './policies/throttle.js';
import { compileCustomResponses, type CustomResponses } from './responses/custom-responses.js';
import { Router } from './router.js';
import type { UsagePlanRegistry } from './usage-plans/registry.js';

/** Everything the request path needs about one route, computed once at deploy time. */
export interface CompiledRoute {
  readonly api: CompiledApi;
  /** Undefined when the integration names its function by a stage variable this stage does not resolve. */
  readonly fn: FunctionSpec | undefined;
  /** REST resource path or HTTP API route path (`$default` for the default route). */
  readonly resource: string;
  /** `GET /items/{id}` or `$default`. */
  readonly routeKey: string;
  readonly resourceId: string;
  readonly payloadFormatVersion: '1.0' | '2.0';
  readonly timeoutMs: number;
  /** The route as the payload builders and response mappers see it; one object per route, shared by its requests. */
  readonly matched: MatchedRoute;
  /** The policies this route runs around its integration. */
  readonly plan: RoutePlan;
}

export interface CompiledApi {
  readonly spec: ApiSpec;
  readonly router: Router<CompiledRoute>;
  /** HTTP APIs: the `$default` route, taken when nothing else matches. */
  readonly defaultRoute: CompiledRoute | undefined;
  /** `/Prod` for a named stage, '' for an HTTP API's `$default` stage. */
  readonly basePath: string;
  readonly stageVariables: Readonly<Record<string, string>> | null;
  /** The policies run for requests no route matches (CORS preflight answers). */
  readonly unrouted: RoutePlan;
  /** REST: the API's custom gateway responses, undefined when it has none. */
  readonly customResponses: CustomResponses | undefined;
}

/** An immutable compiled app: the gateway swaps one reference to this on redeploy. */
export interface Deployment {
  readonly id: string;
  readonly app: AppModel;
  readonly apis: readonly CompiledApi[];
  /** Each API's main stage, by API id. */
  readonly byApiId: ReadonlyMap<string, CompiledApi>;
  /** Every stage of every API, by `<apiId>/<stage>` (REST APIs answer each stage by host as `/<stage>/…`). */
  readonly byApiStage: ReadonlyMap<string, CompiledApi>;
  /** APIs reachable without a host name: REST and named-stage HTTP APIs by their first path segment. */
  readonly byStage: ReadonlyMap<string, CompiledApi>;
  /** The HTTP API served at the root of the port (the first one with a `$default` stage). */
  readonly rootApi: CompiledApi | undefined;
  /** Addressing conflicts, reported at start. */
  readonly warnings: readonly string[];
}

export interface DeploymentOptions {
  /**
   * The throttle's bucket store and account limits. Pass the same store to every deployment of an installation so
   * the account bucket (and each route's) carries over a redeploy; default: a fresh in-memory store, account defaults.
   */
  readonly throttle?: ThrottleOptions;
  /** The stages' response caches; pass the same store to every deployment so cached responses survive a redeploy. */
  readonly cache?: ResponseCacheStore;
  /** The installation's API keys and usage plans, for methods that require a key. */
  readonly usagePlans?: UsagePlanRegistry;
  /**
   * What authorizers run with: the function invoker and the result and key caches. Pass the same caches to every
   * deployment (results are keyed by deployment, fetched keys are kept); default: no invoker (Lambda authorizers
   * answer 500), fresh caches.
   */
  readonly authorizers?: AuthorizerServices;
}

export function compileDeployment(app: AppModel, options: DeploymentOptions = {}): Deployment {
  const functions = new Map(app.functions.map((fn) => [fn.logicalId, fn]));
  const id = deploymentId(app);
  const env = { deploymentId: id, region: app.region, accountId: app.accountId, functions };
  const services = options.authorizers ?? defaultAuthorizerServices();
  const authorizers = [corsPreflightAuthorizePolicy(services, env), authorizePolicy(services, env)] as Policy<unknown>[];
  const policies = gatewayPolicies(options.throttle ?? defaultThrottleOptions(), {
    authorizers,
    cache: options.cache ?? new InMemoryResponseCacheStore(),
    ...(options.usagePlans ? { usagePlans: options.usagePlans } : {}),
  });
  const apis = app.apis.flatMap(stagesOf).map((spec) => compileApi(spec, functions, policies));
  const warnings: string[] = [];
  const byStage = new Map<string, CompiledApi>();
  let rootApi: CompiledApi | undefined;
  for (const api of apis) {
    if (api.basePath === '') {
      if (rootApi) warnings.push(`${api.spec.logicalId} is reachable only by host name: ${rootApi.spec.logicalId} already serves the root path`);
      else rootApi = api;
      continue;
    }
    const stage = api.spec.stageName;
    const taken = byStage.get(stage);
    if (taken) warnings.push(`${api.spec.logicalId} is reachable only by host name: ${taken.spec.logicalId} already serves /${stage}`);
    else byStage.set(stage, api);
  }
  return {
    id,
    app,
    apis,
    // The main stage comes first, so the first entry per id wins.
    byApiId: new Map(apis.toReversed().map((api) => [api.spec.apiId, api])),
    byApiStage: new Map(apis.map((api) => [`${api.spec.apiId}/${api.spec.stageName}`, api])),
    byStage,
    rootApi,
    warnings,
  };
}

/** One spec per stage: the main stage as written, then each extra stage with its own settings. */
function stagesOf(spec: ApiSpec): ApiSpec[] {
  const { throttling: _throttling, cache: _cache, extraStages, ...shared } = spec;
  return [spec, ...(extraStages ?? []).map((stage) => ({ ...shared, ...stage }))];
}

function compileApi(spec: ApiSpec, functions: ReadonlyMap<string, FunctionSpec>, policies: readonly Policy<unknown>[]): CompiledApi {
  const named = spec.kind === 'REST' || spec.stageName !== '$default';
  // Routes point back at their API, so the API is completed in place here and read-only from then on.
  const api: { -readonly [K in keyof CompiledApi]: CompiledApi[K] } = {
    spec,
    router: new Router<CompiledRoute>(spec.kind === 'HTTP'),
    defaultRoute: undefined,
    basePath: named ? `/${spec.stageName}` : '',
    stageVariables: Object.keys(spec.stageVariables).length > 0 ? spec.stageVariables : null,
    unrouted: buildPlan({ api: spec, route: undefined }, policies),
    customResponses: compileCustomResponses(spec.gatewayResponses),
  };
  for (const route of spec.routes) {
    const byStage = route.functionStageVariable !== undefined;
    const fn = byStage ? stageFunction(route.functionStageVariable!, spec.stageVariables, functions) : functions.get(route.functionLogicalId);
    if (!fn && !byStage) continue;
    const compiled = compileRoute(api, route, fn, policies);
    if (route.path === '$default') api.defaultRoute = compiled;
    else api.router.add(route.path, route.method, compiled);
  }
  return api;
}

/**
 * The function a stage variable names in this stage: its value is a function name, logical id or (partial) ARN,
 * maybe with a qualifier (`fn:live`, resolved to the function itself: versions and aliases are not modelled yet).
 */
function stageFunction(variable: string, stageVariables: Readonly<Record<string, string>>, functions: ReadonlyMap<string, FunctionSpec>): FunctionSpec | undefined {
  const value = stageVariables[variable];
  if (value === undefined) return undefined;
  const name = value.includes('function:') ? value.slice(value.indexOf('function:') + 'function:'.length).split(':')[0]! : value.split(':')[0]!;
  return functions.get(name) ?? [...functions.values()].find((fn) => fn.name === name);
}

function compileRoute(api: CompiledApi, route: RouteSpec, fn: FunctionSpec | undefined, policies: readonly Policy<unknown>[]): CompiledRoute {
  const routeKey = route.path === '$default' ? '$default' : `${route.method} ${route.path}`;
  const resourceId = shortHash(`${api.spec.apiId}${route.path}`, 6);
  return {
    api,
    fn,
    resource: route.path,
    routeKey,
    resourceId,
    payloadFormatVersion: route.payloadFormatVersion,
    timeoutMs: route.timeoutInMillis,
    matched: Object.freeze({
      apiId: api.spec.apiId,
      stage: api.spec.stageName,
      stageVariables: api.stageVariables,
      resource: route.path,
      routeKey,
      resourceId,
      binaryMediaTypes: api.spec.binaryMediaTypes,
    }),
    plan: buildPlan({ api: api.spec, route }, policies),
  };
}

function deploymentId(app: AppModel): string {
  return shortHash(`${app.stackName}${Date.now()}${Math.random()}`, 6);
}

function shortHash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('base64url').replace(/[-_]/g, '').toLowerCase().slice(0, length);
}
