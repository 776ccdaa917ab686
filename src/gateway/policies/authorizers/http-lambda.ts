/**
 * HTTP API Lambda authorizers (http-api-lambda-authorizer.md, aws-behaviour §5.4): a missing or empty identity
 * source answers 401 without invoking; otherwise the cached result for the identity values (`ReauthorizeEvery`;
 * 0, the default here, disables caching) or the function's answer to the payload 1.0 or 2.0 event decides:
 * - simple responses (`EnableSimpleResponses`, 2.0 only): `{"isAuthorized": true|false, "context": {…}}`;
 * - otherwise an IAM policy, evaluated against the route ARN like a REST authorizer's.
 * Denied → 403 `{"message":"Forbidden"}`; a malformed answer, an error or a timeout (10 s at most) → 500. The
 * `context` (any JSON values) reaches the event as `requestContext.authorizer.lambda`.
 */
import type { HttpLambdaAuthorizerSpec } from '../../../app/model.js';
import type { AuthorizerContextValue } from '../../events/authorizer.js';
import { buildV1Event } from '../../events/v1.js';
import { buildV2Event } from '../../events/v2.js';
import type { PolicyContext, RequestOutcome } from '../../phases.js';
import { identityValues } from './identity.js';
import { callAuthorizer } from './invoke.js';
import { evaluatePolicy } from './policy-document.js';
import { cacheKey } from './result-cache.js';
import { AUTHORIZER_FAILED, FORBIDDEN, UNAUTHORIZED, authorizerTimeoutMs, cacheScope, executeApiArn, type AuthorizerTarget, type RouteAuthorizer } from './target.js';

/** A checked answer, as cached: simple (`policyDocument` undefined) or IAM. */
interface Answer {
  readonly isAuthorized: boolean | undefined;
  readonly principalId: string;
  readonly policyDocument: unknown;
  readonly context: Readonly<Record<string, unknown>>;
}

export function httpLambdaAuthorizer(target: AuthorizerTarget<HttpLambdaAuthorizerSpec>): RouteAuthorizer {
  const { spec, api, services } = target;
  const fn = spec.functionLogicalId === undefined ? undefined : target.env.functions.get(spec.functionLogicalId);
  const scope = cacheScope(target);
  return {
    async authorize(ctx) {
      const values = identityValues(spec.identitySources, ctx, api.stageVariables);
      if (values === undefined) return UNAUTHORIZED;
      const routeArn = executeApiArn(target, ctx.method, ctx.path);
      // Without identity values there is nothing to key a result on: one caller's Allow must never serve another.
      const key = spec.ttlSeconds > 0 && values.length > 0 ? cacheKey(scope, values) : undefined;
      const cached = key === undefined ? undefined : ((await services.cache.get(key)) as Answer | undefined);
      if (cached !== undefined) return verdict(ctx, cached, routeArn, 0);
      if (fn === undefined || services.invoker === undefined) return AUTHORIZER_FAILED;
      const event = authorizerEvent(ctx, spec, routeArn, values);
      if (event === undefined) return AUTHORIZER_FAILED;
      const call = await callAuthorizer(services.invoker, fn, event, authorizerTimeoutMs(fn, 'HTTP'), ctx.ids?.traceId);
      if (call.kind === 'unauthorized') return UNAUTHORIZED;
      if (call.kind === 'failed') return AUTHORIZER_FAILED;
      const answer = checkedAnswer(call.result, spec.enableSimpleResponses);
      if (answer === undefined) return AUTHORIZER_FAILED;
      if (key !== undefined) await services.cache.set(key, answer, spec.ttlSeconds * 1000);
      return verdict(ctx, answer, routeArn, call.latencyMs);
    },
  };
}

function verdict(ctx: PolicyContext, answer: Answer, routeArn: string, latencyMs: number): RequestOutcome {
  if (answer.isAuthorized === false) return FORBIDDEN;
  if (answer.isAuthorized === undefined) {
    const decision = evaluatePolicy(answer.policyDocument, routeArn);
    if (decision === undefined) return AUTHORIZER_FAILED;
    if (decision !== 'allow') return FORBIDDEN;
  }
  const context: Record<string, AuthorizerContextValue> = {};
  for (const [k, v] of Object.entries(answer.context)) if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') context[k] = v;
  ctx.authorizer = { kind: 'lambda', principalId: answer.principalId, context, lambda: answer.context, integrationLatency: latencyMs };
  return undefined;
}

function checkedAnswer(result: unknown, simple: boolean): Answer | undefined {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return undefined;
  const answer = result as Record<string, unknown>;
  const context = answer.context ?? {};
  if (typeof context !== 'object' || context === null || Array.isArray(context)) return undefined;
  const fields = { context: context as Record<string, unknown> };
  if (simple) {
    if (typeof answer.isAuthorized !== 'boolean') return undefined;
    return { isAuthorized: answer.isAuthorized, principalId: '', policyDocument: undefined, ...fields };
  }
  if (typeof answer.principalId !== 'string' || typeof answer.policyDocument !== 'object' || answer.policyDocument === null) return undefined;
  return { isAuthorized: undefined, principalId: answer.principalId, policyDocument: answer.policyDocument, ...fields };
}

/** The 2.0 or 1.0 authorizer event (§5.4, §5.2): the proxy event's request fields, built by the same builders. */
function authorizerEvent(ctx: PolicyContext, spec: HttpLambdaAuthorizerSpec, routeArn: string, values: readonly string[]): Record<string, unknown> | undefined {
  const { request, ids, route } = ctx;
  if (request === undefined || ids === undefined || route === undefined) return undefined;
  if (spec.payloadFormatVersion === '2.0') {
    const { version: _v, body: _b, isBase64Encoded: _i, routeKey, ...rest } = JSON.parse(buildV2Event(request, route, ids)) as Record<string, unknown>;
    return { version: '2.0', type: 'REQUEST', routeArn, identitySource: values, routeKey, ...rest };
  }
  const { version: _v, body: _b, isBase64Encoded: _i, ...rest } = JSON.parse(buildV1Event(request, route, ids, { httpApi: true })) as Record<string, unknown>;
  const identitySource = values.join(',');
  return { version: '1.0', type: 'REQUEST', methodArn: routeArn, identitySource, authorizationToken: identitySource, ...rest };
}
