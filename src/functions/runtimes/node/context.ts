/**
 * The `context` object handed to handlers. Values come from the function's environment (as Lambda's
 * InvokeContext.js / context-builder.ts read them) and from the invocation.
 */
import type { Invocation } from './transport.js';

function environmentData() {
  return {
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, // a string, "128", as on Lambda
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
  };
}

/** The Runtime API carries client context and Cognito identity as JSON text; the pipe may already carry objects. */
function parseJson(value: unknown, name: string): unknown {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new Error(`Cannot parse ${name} as json: ${String(err)}`);
  }
}

function invocationData(inv: Invocation) {
  const deadline = inv.deadlineMs;
  return {
    clientContext: parseJson(inv.clientContext, 'ClientContext'),
    identity: parseJson(inv.cognitoIdentity, 'CognitoIdentity'),
    invokedFunctionArn: inv.invokedFunctionArn,
    awsRequestId: inv.requestId,
    tenantId: inv.tenantId ?? undefined,
    getRemainingTimeInMillis: (): number => deadline - Date.now(),
  };
}

/** Lambda exposes the X-Ray header to SDKs through the environment, replaced (or removed) on every invocation. */
export function forwardTraceId(traceId: string | null | undefined): void {
  if (traceId) process.env._X_AMZN_TRACE_ID = traceId;
  else delete process.env._X_AMZN_TRACE_ID;
}

/**
 * nodejs22.x and earlier: the callback context (callbackWaitsForEmptyEventLoop, succeed, fail, done) first, then
 * environment data, then invocation data — the key order JSON.stringify(context) shows on Lambda.
 */
export function legacyContext<T extends object>(callbackContext: T, inv: Invocation) {
  return Object.assign(callbackContext, environmentData(), invocationData(inv));
}

/** nodejs24.x: promise handlers only, so no callback members (RIC context-builder.ts). */
export function promiseContext(inv: Invocation) {
  const { tenantId, getRemainingTimeInMillis, ...rest } = invocationData(inv);
  return Object.assign(
    { ...rest, tenantId, xRayTraceId: inv.traceId ?? undefined, getRemainingTimeInMillis },
    environmentData(),
  );
}
