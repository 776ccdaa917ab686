import { MAX_RESPONSE_BYTES } from './channels/channel.js';

/**
 * Errors the platform itself reports for an invocation, worded as Lambda words them (aws-behaviour.md §9.2).
 * They are function errors: the Invoke API answers 200 with `X-Amz-Function-Error: Unhandled`.
 */
export interface FunctionErrorDocument {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly [key: string]: unknown;
}

export function timedOut(requestId: string, timeoutSeconds: number): FunctionErrorDocument {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
  };
}

/** The runtime process ended while an invocation was running. */
export function runtimeExited(requestId: string, code: number | null, signal: string | null): FunctionErrorDocument {
  return { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: ${exitReason(code, signal)}` };
}

/** Lambda's wording for how a runtime process ended (Go's os/exec ExitError strings). */
function exitReason(code: number | null, signal: string | null): string {
  if (signal) return `Runtime exited with error: signal: ${signalName(signal)}`;
  if (code && code !== 0) return `Runtime exited with error: exit status ${code}`;
  return 'Runtime exited without providing a reason';
}

function signalName(signal: string): string {
  const names: Record<string, string> = {
    SIGKILL: 'killed',
    SIGTERM: 'terminated',
    SIGSEGV: 'segmentation fault',
    SIGABRT: 'aborted',
    SIGINT: 'interrupt',
    SIGHUP: 'hangup',
  };
  return names[signal] ?? signal.toLowerCase();
}

export function missingBootstrap(requestId: string, taskRoot: string): FunctionErrorDocument {
  return {
    errorType: 'Runtime.InvalidEntrypoint',
    errorMessage: `RequestId: ${requestId} Error: Couldn't find valid bootstrap(s): [${taskRoot}/bootstrap /opt/bootstrap]`,
  };
}

export function bootstrapNotExecutable(requestId: string, path: string): FunctionErrorDocument {
  return {
    errorType: 'Runtime.InvalidEntrypoint',
    errorMessage: `RequestId: ${requestId} Error: fork/exec ${path}: permission denied`,
  };
}

export function responseTooLarge(): FunctionErrorDocument {
  return {
    errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
    errorType: 'Function.ResponseSizeTooLarge',
  };
}

/** A runtime that broke the Runtime API contract (garbage, wrong request id …). */
export function invalidRuntimeResponse(requestId: string, detail: string): FunctionErrorDocument {
  return { errorType: 'Runtime.InvalidResponse', errorMessage: `RequestId: ${requestId} Error: ${detail}` };
}
