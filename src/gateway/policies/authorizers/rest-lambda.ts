/**
 * REST API Lambda authorizers, TOKEN and REQUEST (apigateway-use-lambda-authorizer.md, aws-behaviour §5.1–5.3):
 * 1. the identity sources (TOKEN: the token header; REQUEST: the listed headers, query strings, stage variables,
 *    context values) must all be present and non-empty, and a TOKEN must match `ValidationExpression`, else 401
 *    without invoking the function;
 * 2. the result cached for those values (`ReauthorizeEvery`, default 300 s; 0 disables) is used, else the function
 *    is invoked with the TOKEN or REQUEST event and its output checked: `principalId`, a `policyDocument`, a
 *    `context` of strings, numbers and booleans — anything else is a 500 AuthorizerConfigurationException;
 * 3. the policy (cached or fresh) is evaluated against this request's method ARN, so a cached policy that names
 *    one resource denies the others (the classic `{proxy+}` 403): Deny → 403 explicit, no Allow → 403 implicit.
 */
import type { RestLambdaAuthorizerSpec } from '../../../app/model.js';
import type { AuthorizerContextValue } from '../../events/authorizer.js';
import { buildV1Event } from '../../events/v1.js';
import type { PolicyContext, RequestOutcome } from '../../phases.js';
import { identityValues } from './identity.js';
import { callAuthorizer } from './invoke.js';
import { evaluatePolicy } from './policy-document.js';
import { cacheKey } from './result-cache.js';
import {
  AUTHORIZER_FAILED,
  EXPLICIT_DENY,
  IMPLICIT_DENY,
  UNAUTHORIZED,
  authorizerTimeoutMs,
  cacheScope,
  executeApiArn,
  scalarContext,
  type AuthorizerTarget,
  type RouteAuthorizer,
} from './target.js';

/** A checked authorizer output, as cached. */
interface LambdaOutput {
  readonly principalId: string;
  readonly policyDocument: unknown;
  readonly context: Record<string, AuthorizerContextValue>;
  readonly usageIdentifierKey: string | undefined;
}

export function restLambdaAuthorizer(target: AuthorizerTarget<RestLambdaAuthorizerSpec>): RouteAuthorizer {
  const { spec, api, services } = target;
  const fn = spec.functionLogicalId === undefined ? undefined : target.env.functions.get(spec.functionLogicalId);
  const validation = spec.validationExpression === undefined ? undefined : new RegExp(`^(?:${spec.validationExpression})$`);
  const scope = cacheScope(target);
  /** Invokes the authorizer function (a cache miss), checks its output and caches it. */
  const invoke = async (ctx: PolicyContext, values: readonly string[], methodArn: string, key: string | undefined): Promise<RequestOutcome> => {
    if (fn === undefined || services.invoker === undefined) return AUTHORIZER_FAILED;
    const event = spec.type === 'TOKEN' ? { type: 'TOKEN', methodArn, authorizationToken: values[0]! } : requestEvent(ctx, methodArn);
    if (event === undefined) return AUTHORIZER_FAILED;
    const call = await callAuthorizer(services.invoker, fn, event, authorizerTimeoutMs(fn, 'REST'), ctx.ids?.traceId);
    if (call.kind === 'unauthorized') return UNAUTHORIZED;
    if (call.kind === 'failed') return AUTHORIZER_FAILED;
    const output = checkedOutput(call.result);
    if (output === undefined) return AUTHORIZER_FAILED;
    if (key !== undefined) await services.cache.set(key, output, spec.ttlSeconds * 1000);
    return verdict(ctx, output, methodArn, call.latencyMs);
  };
  return {
    authorize(ctx) {
      const values = identityValues(spec.identitySources, ctx, api.stageVariables);
      if (values === undefined) return UNAUTHORIZED;
      if (validation !== undefined && !validation.test(values[0]!)) return UNAUTHORIZED;
      const methodArn = executeApiArn(target, ctx.method, ctx.path);
      // Without identity values there is nothing to key a result on: one caller's Allow must never serve another.
      const key = spec.ttlSeconds > 0 && values.length > 0 ? cacheKey(scope, values) : undefined;
      const cached = key === undefined ? undefined : services.cache.get(key);
      // An in-memory hit answers synchronously; a shared cache (Redis later) answers with a promise.
      if (cached instanceof Promise) {
        return cached.then((hit: unknown) => (hit !== undefined ? verdict(ctx, hit as LambdaOutput, methodArn, 0) : invoke(ctx, values, methodArn, key)));
      }
      if (cached !== undefined) return verdict(ctx, cached as LambdaOutput, methodArn, 0);
      return invoke(ctx, values, methodArn, key);
    },
  };
}

function verdict(ctx: PolicyContext, output: LambdaOutput, methodArn: string, latencyMs: number): RequestOutcome {
  const decision = evaluatePolicy(output.policyDocument, methodArn);
  if (decision === undefined) return AUTHORIZER_FAILED;
  if (decision === 'deny') return EXPLICIT_DENY;
  if (decision === 'implicit-deny') return IMPLICIT_DENY;
  ctx.authorizer = {
    kind: 'lambda',
    principalId: output.principalId,
    context: output.context,
    integrationLatency: latencyMs,
    ...(output.usageIdentifierKey === undefined ? {} : { usageIdentifierKey: output.usageIdentifierKey }),
  };
  return undefined;
}

function checkedOutput(result: unknown): LambdaOutput | undefined {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return undefined;
  const output = result as Record<string, unknown>;
  const principalId = output.principalId;
  if (typeof principalId !== 'string' && typeof principalId !== 'number') return undefined;
  const context = scalarContext(output.context);
  if (context === undefined || typeof output.policyDocument !== 'object' || output.policyDocument === null) return undefined;
  const key = output.usageIdentifierKey;
  if (key !== undefined && key !== null && typeof key !== 'string') return undefined;
  return { principalId: String(principalId), policyDocument: output.policyDocument, context, usageIdentifierKey: key ?? undefined };
}

/**
 * The REQUEST event (§5.2): the proxy event's request fields and request context, built by the same builder so
 * both agree, with `type` and `methodArn` first.
 */
function requestEvent(ctx: PolicyContext, methodArn: string): Record<string, unknown> | undefined {
  const { request, ids, route } = ctx;
  if (request === undefined || ids === undefined || route === undefined) return undefined;
  const proxy = JSON.parse(buildV1Event(request, route, ids, { httpApi: false })) as Record<string, unknown>;
  const { body: _body, isBase64Encoded: _base64, ...fields } = proxy;
  return { type: 'REQUEST', methodArn, ...fields };
}
