/**
 * Calls an authorizer function through the FunctionService, bounded by a timeout, and sorts the outcome the way
 * API Gateway does (aws-behaviour §5.3): a function error whose message is exactly `Unauthorized` means 401; any
 * other error, a result that is not JSON, a throttled invoke or a timeout is an authorizer failure (500).
 */
import type { FunctionSpec } from '../../../app/model.js';
import type { FunctionInvocation, InvokeOptions } from '../../../functions/function-service.js';

/** The part of the FunctionService the authorizers use. */
export interface FunctionInvoker {
  invoke(fn: FunctionSpec, payload: string, options?: InvokeOptions): Promise<FunctionInvocation>;
}

export type AuthorizerCall =
  | { readonly kind: 'result'; readonly result: unknown; readonly latencyMs: number }
  | { readonly kind: 'unauthorized' }
  | { readonly kind: 'failed' };

const UNAUTHORIZED: AuthorizerCall = Object.freeze({ kind: 'unauthorized' });
const FAILED: AuthorizerCall = Object.freeze({ kind: 'failed' });

export async function callAuthorizer(invoker: FunctionInvoker, fn: FunctionSpec, event: unknown, timeoutMs: number, traceId: string | undefined): Promise<AuthorizerCall> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    const invocation = await Promise.race([invoker.invoke(fn, JSON.stringify(event), traceId === undefined ? {} : { traceId }), timeout]);
    if (invocation === undefined) return FAILED;
    if (invocation.kind === 'error') return errorMessage(invocation.payload) === 'Unauthorized' ? UNAUTHORIZED : FAILED;
    return { kind: 'result', result: JSON.parse(invocation.payload) as unknown, latencyMs: Date.now() - started };
  } catch {
    // A throttled invoke, an environment that cannot start, a result that is not JSON: API Gateway's 500.
    return FAILED;
  } finally {
    clearTimeout(timer);
  }
}

function errorMessage(payload: string): unknown {
  try {
    const document = JSON.parse(payload) as unknown;
    return typeof document === 'object' && document !== null ? (document as { errorMessage?: unknown }).errorMessage : undefined;
  } catch {
    return undefined;
  }
}
