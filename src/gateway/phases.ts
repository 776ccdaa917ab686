/**
 * The phases of a gateway request, in the fixed order API Gateway applies its features, and the shape of a policy
 * (one gateway feature: CORS, API keys, throttling, caching, authorizers …) that hooks into them.
 *
 * The order, from AWS's documentation (the preflight entry checked against http-api-cors.md and SAM's
 * sam-property-api-corsconfiguration.md; the later entries are to be re-checked as each policy lands):
 * - preflight: an HTTP API with a CORS configuration answers preflight `OPTIONS` requests that no route matches
 *   itself (http-api-cors.md); SAM's REST `Cors` is an OPTIONS method whose MOCK integration answers without a
 *   backend — neither runs an authorizer unless one is attached to that OPTIONS route.
 * - authorize: authorizers run before the API key check, because an authorizer may supply the usage plan's key
 *   (`apiKeySource: AUTHORIZER`, api-gateway-api-key-source.md).
 * - api-key: the key identifies the usage plan, whose throttle and quota apply next (api-gateway-api-usage-plans.md).
 * - throttle: usage-plan, method and stage limits (api-gateway-request-throttling.md).
 * - validate: request validators reject a bad request with 400 before the integration is called
 *   (api-gateway-method-request-validation.md).
 * - cache: a cached integration response answers instead of the integration (api-gateway-caching.md).
 * - integration, then response: headers API Gateway adds to the integration's response (CORS on HTTP APIs).
 */
import type { ApiSpec, RouteSpec } from '../app/model.js';
import type { AuthorizerResult } from './events/authorizer.js';
import type { GatewayRequest, GatewayResponse, MatchedRoute, RequestIds } from './events/request.js';
import type { GatewayErrorType } from './responses/gateway-responses.js';

export const PHASES = ['preflight', 'authorize', 'api-key', 'throttle', 'validate', 'cache', 'integration', 'response'] as const;
export type Phase = (typeof PHASES)[number];

/** What a request hook sees. */
export interface PolicyContext {
  readonly method: string;
  /** The request path below the API's base path (no stage), as the router matched it. */
  readonly path: string;
  /** Flat [name, value, …] as received. */
  readonly rawHeaders: readonly string[];
  /** The query string as received, without `?` (the cache keys on query parameters). */
  readonly rawQueryString?: string;
  /** The matched route's path parameters, or null (the cache keys on path parameters). */
  readonly pathParameters?: Readonly<Record<string, string>> | null;
  /** Set by the api-key phase: the key the request was admitted with (`requestContext.identity.apiKey`/`apiKeyId`). */
  apiKey?: RequestApiKey;
  /**
   * The request as the integration will see it (authorizers build their events from it); requests no route matches
   * have an empty body here, since theirs is never read.
   */
  readonly request?: GatewayRequest;
  /** The request's ids (request id, trace id, account …). */
  readonly ids?: RequestIds;
  /** Routed requests: the route as the event builders see it. */
  readonly route?: MatchedRoute;
  /**
   * Set by the `authorize` phase when the route's authorizer allows the request: the event's
   * `requestContext.authorizer`, and `usageIdentifierKey` for the api-key phase (`apiKeySource: AUTHORIZER`).
   */
  authorizer?: AuthorizerResult;
}

/** The API key a request was admitted with. */
export interface RequestApiKey {
  readonly id: string;
  readonly value: string;
}

/**
 * A gateway error to render, with the message where AWS varies it, headers it adds (`www-authenticate`) and the
 * `x-amzn-ErrorType` where it varies within one type (AWS_IAM).
 */
export interface GatewayErrorOutcome {
  readonly error: GatewayErrorType;
  readonly message?: string;
  readonly headers?: readonly string[];
  readonly errorType?: string;
}

/** Nothing (carry on), a response to send instead of the integration's, or a gateway error to render. */
export type RequestOutcome = undefined | GatewayResponse | GatewayErrorOutcome;

/** Where a policy is compiled: one route of an API, or the API itself for requests no route matches. */
export interface PolicyTarget {
  readonly api: ApiSpec;
  /** Undefined for the API's unrouted plan. */
  readonly route: RouteSpec | undefined;
}

/**
 * One gateway feature. `compile` runs at deploy time for every route (and once per API for unrouted requests) and
 * returns the policy's per-route config, or undefined when the policy does not apply there; the hooks then get that
 * config back on every request, so nothing is looked up or parsed on the request path.
 */
export interface Policy<Config> {
  readonly name: string;
  /** The phase it hooks: `onRequest` runs in a phase before `integration`, `onResponse` in `response`. */
  readonly phase: Phase;
  compile(target: PolicyTarget): Config | undefined;
  onRequest?(ctx: PolicyContext, config: Config): RequestOutcome | Promise<RequestOutcome>;
  onResponse?(ctx: PolicyContext, response: GatewayResponse, config: Config): GatewayResponse;
}

export interface RequestHook {
  readonly policy: string;
  readonly phase: Phase;
  run(ctx: PolicyContext): RequestOutcome | Promise<RequestOutcome>;
}

export interface ResponseHook {
  readonly policy: string;
  run(ctx: PolicyContext, response: GatewayResponse): GatewayResponse;
}

/**
 * The hooks one route (or an API's unrouted requests) runs, in phase order, with their configs bound. Empty arrays
 * mean the request path does no policy work at all.
 */
export interface RoutePlan {
  readonly onRequest: readonly RequestHook[];
  readonly onResponse: readonly ResponseHook[];
}
