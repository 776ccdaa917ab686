/**
 * What every authorizer kind is compiled from (one route guarded by one authorizer), what it shares at run time
 * (the function invoker, the result cache, the JWKS cache), and the outcomes they answer with.
 */
import type { ApiSpec, AuthorizerSpec, FunctionSpec, RouteSpec } from '../../../app/model.js';
import type { CredentialLookup } from '../../../aws/credentials.js';
import type { AuthorizerContextValue } from '../../events/authorizer.js';
import type { GatewayErrorOutcome, PolicyContext, RequestOutcome } from '../../phases.js';
import { ACCESS_DENIED_IMPLICIT } from '../../responses/gateway-responses.js';
import type { FunctionInvoker } from './invoke.js';
import type { JwksCache } from './jwks.js';
import type { AuthorizerResultCache } from './result-cache.js';

/** Installation-wide state of the authorizers; the caches outlive redeploys. */
export interface AuthorizerServices {
  /** Undefined when the gateway runs without functions (unit tests): Lambda authorizers then answer 500. */
  readonly invoker: FunctionInvoker | undefined;
  readonly cache: AuthorizerResultCache;
  readonly jwks: JwksCache;
  /**
   * Where Cognito authorizers fetch the pool's keys: a URL template with `{region}` and `{userPoolId}`
   * (`portico up --cognito-jwks-url`); default `https://cognito-idp.{region}.amazonaws.com/{userPoolId}/.well-known/jwks.json`.
   */
  readonly cognitoJwksUrl: string | undefined;
  /** Who may sign AWS_IAM requests; undefined (unit tests) recognises no one. */
  readonly iam?: IamCredentials;
}

/** The AWS endpoint's credentials, and which function each session pair was minted for (its caller identity). */
export interface IamCredentials {
  readonly credentials: CredentialLookup;
  /** The function a session access key belongs to; undefined for the development and configured pairs. */
  functionOf(accessKeyId: string): string | undefined;
}

/** The deployment's account, Region and functions, for method ARNs and authorizer functions. */
export interface AuthorizerEnv {
  /**
   * Scopes cached results: a redeploy (an edited authorizer, in watch mode) starts from an empty cache rather than
   * serving the old code's answers for up to an hour.
   */
  readonly deploymentId: string;
  readonly region: string;
  readonly accountId: string;
  readonly functions: ReadonlyMap<string, FunctionSpec>;
}

export interface AuthorizerTarget<Spec extends AuthorizerSpec = AuthorizerSpec> {
  readonly api: ApiSpec;
  readonly route: RouteSpec;
  readonly spec: Spec;
  /** The route's `AuthorizationScopes`. */
  readonly scopes: readonly string[];
  readonly services: AuthorizerServices;
  readonly env: AuthorizerEnv;
}

/** One route's compiled authorizer. */
export interface RouteAuthorizer {
  /** Synchronous when it can answer at once (an in-memory cache hit), so the request's hooks stay synchronous. */
  authorize(ctx: PolicyContext): RequestOutcome | Promise<RequestOutcome>;
}

/** The prefix of an authorizer's cache keys: the deployment, API, stage and authorizer. */
export function cacheScope(target: AuthorizerTarget): string {
  return `${target.env.deploymentId}\0${target.api.apiId}\0${target.api.stageName}\0${target.spec.name}`;
}

export const UNAUTHORIZED: GatewayErrorOutcome = Object.freeze({ error: 'UNAUTHORIZED' });
export const EXPLICIT_DENY: GatewayErrorOutcome = Object.freeze({ error: 'ACCESS_DENIED' });
export const IMPLICIT_DENY: GatewayErrorOutcome = Object.freeze({ error: 'ACCESS_DENIED', message: ACCESS_DENIED_IMPLICIT });
/** HTTP APIs render any denial (ACCESS_DENIED) as 403 `{"message":"Forbidden"}`. */
export const FORBIDDEN: GatewayErrorOutcome = EXPLICIT_DENY;
export const AUTHORIZER_FAILED: GatewayErrorOutcome = Object.freeze({ error: 'AUTHORIZER_CONFIGURATION_ERROR' });

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}{path}`: the method ARN (REST) or route ARN (HTTP). */
export function executeApiArn(target: AuthorizerTarget, method: string, path: string): string {
  const { env, api } = target;
  return `arn:aws:execute-api:${env.region}:${env.accountId}:${api.apiId}/${api.stageName}/${method}${path}`;
}

/**
 * How long an authorizer may take: the function's own timeout (its environment is ended then), bounded by API
 * Gateway's limit — the 29 s integration limit for REST, 10 s for HTTP API authorizers (limits.md).
 */
export function authorizerTimeoutMs(fn: FunctionSpec, kind: 'REST' | 'HTTP'): number {
  return Math.min(fn.timeout * 1000 + 1000, kind === 'REST' ? 29_000 : 10_000);
}

/**
 * Lambda `context` values for REST: strings, numbers, booleans and null (passed on as null [3P capture,
 * DefinitelyTyped#69823]); undefined when an object or array appears.
 */
export function scalarContext(value: unknown): Record<string, AuthorizerContextValue> | undefined {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, AuthorizerContextValue> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== null && typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') return undefined;
    out[key] = item;
  }
  return out;
}
