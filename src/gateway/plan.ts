/**
 * Builds RoutePlans at deploy time and runs them on the request path. A plan holds only the hooks of the policies
 * that apply to its route, sorted by phase, so a route without policies costs two length checks per request.
 */
import type { GatewayResponse } from './events/request.js';
import { PHASES, type Policy, type PolicyContext, type PolicyTarget, type RequestHook, type RequestOutcome, type ResponseHook, type RoutePlan } from './phases.js';
import { cachePolicy } from './policies/cache.js';
import { apiKeyPolicy } from './policies/api-key.js';
import { corsPreflightApiKeyPolicy } from './policies/cors-preflight-api-key.js';
import { corsHeaders, corsPreflight } from './policies/cors.js';
import { InMemoryResponseCacheStore, type ResponseCacheStore } from './policies/response-cache.js';
import { throttlePolicy, type ThrottleOptions } from './policies/throttle.js';
import type { UsagePlanRegistry } from './usage-plans/registry.js';

/** The policies that need no per-installation state; their order here does not matter, phases order them. */
const POLICIES: readonly Policy<unknown>[] = [corsPreflight, corsHeaders];

/**
 * Every policy the gateway runs, the stateful ones bound to their state: throttling's bucket store, the response
 * cache, the API keys and usage plans (without a registry, methods requiring a key are not checked: unit tests of
 * other policies), and the authorizers with their services. Authorizers come first, then the preflight's key
 * check: within a phase hooks keep this order, and the authorizer and the API key SAM puts on its CORS OPTIONS
 * methods must be checked, in that order (an authorizer may supply the key), before the CORS mock answers (all in
 * `preflight`).
 */
export function gatewayPolicies(throttle: ThrottleOptions, stateful: StatefulPolicies = {}): readonly Policy<unknown>[] {
  const { authorizers = [], cache = new InMemoryResponseCacheStore(), usagePlans } = stateful;
  const preflightKey = (usagePlans ? [corsPreflightApiKeyPolicy(usagePlans)] : []) as Policy<unknown>[];
  const bound = [throttlePolicy(throttle), cachePolicy(cache), ...(usagePlans ? [apiKeyPolicy(usagePlans)] : [])] as Policy<unknown>[];
  return [...authorizers, ...preflightKey, ...POLICIES, ...bound];
}

/** The policies that need state of the installation or the deployment. */
export interface StatefulPolicies {
  readonly authorizers?: readonly Policy<unknown>[];
  readonly cache?: ResponseCacheStore;
  readonly usagePlans?: UsagePlanRegistry;
}

export const EMPTY_PLAN: RoutePlan = Object.freeze({ onRequest: Object.freeze([]), onResponse: Object.freeze([]) });

export function buildPlan(target: PolicyTarget, policies: readonly Policy<unknown>[] = POLICIES): RoutePlan {
  const onRequest: RequestHook[] = [];
  const onResponse: ResponseHook[] = [];
  for (const policy of policies) {
    const config = policy.compile(target);
    if (config === undefined) continue;
    const { onRequest: request, onResponse: response } = policy;
    if (request) onRequest.push({ policy: policy.name, phase: policy.phase, run: (ctx) => request.call(policy, ctx, config) });
    if (response) onResponse.push({ policy: policy.name, run: (ctx, res) => response.call(policy, ctx, res, config) });
  }
  if (onRequest.length === 0 && onResponse.length === 0) return EMPTY_PLAN;
  onRequest.sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase));
  return Object.freeze({ onRequest: Object.freeze(onRequest), onResponse: Object.freeze(onResponse) });
}

/**
 * Runs the request hooks in phase order; the first that answers stops the request. Synchronous while the hooks
 * answer synchronously (the throttle's in-memory buckets), so a plain pass costs no promise.
 */
export function runRequestHooks(plan: RoutePlan, ctx: PolicyContext): RequestOutcome | Promise<RequestOutcome> {
  const hooks = plan.onRequest;
  for (let i = 0; i < hooks.length; i++) {
    const outcome = hooks[i]!.run(ctx);
    if (outcome instanceof Promise) return outcome.then((settled) => (settled === undefined ? runRest(hooks, i + 1, ctx) : settled));
    if (outcome !== undefined) return outcome;
  }
  return undefined;
}

async function runRest(hooks: readonly RequestHook[], from: number, ctx: PolicyContext): Promise<RequestOutcome> {
  for (let i = from; i < hooks.length; i++) {
    const outcome = await hooks[i]!.run(ctx);
    if (outcome !== undefined) return outcome;
  }
  return undefined;
}

export function runResponseHooks(plan: RoutePlan, ctx: PolicyContext, response: GatewayResponse): GatewayResponse {
  let out = response;
  for (const hook of plan.onResponse) out = hook.run(ctx, out);
  return out;
}
