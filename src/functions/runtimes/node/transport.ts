/**
 * What the invoke loop needs from whatever carries invocations to it. Two implementations exist: the private NDJSON
 * channel on fd 3 (transport-pipe.ts) and the Lambda Runtime API over HTTP (transport-http.ts). runtime.ts only ever
 * sees this interface, so both paths run the exact same handler semantics.
 */

/** One invocation, whichever way it arrived. Field names follow PROTOCOL.md's `invoke` message. */
export interface Invocation {
  readonly requestId: string;
  readonly deadlineMs: number;
  readonly invokedFunctionArn: string;
  readonly traceId?: string | null;
  /** JSON text (as the Runtime API header carries it), an already parsed object, or nothing. */
  readonly clientContext?: unknown;
  readonly cognitoIdentity?: unknown;
  readonly tenantId?: string | null;
  /** The event as JSON text (absent when `event` carries it). */
  readonly payload?: string;
  /** The event already parsed: the pipe may carry it as a JSON value instead of `payload` (PROTOCOL.md). */
  readonly event?: unknown;
}

/** The invocation's event: parsed from `payload`, or as the pipe carried it. */
export function eventOf(invocation: Invocation): unknown {
  return 'event' in invocation ? invocation.event : JSON.parse(invocation.payload ?? '');
}

/** The body Lambda's Node.js runtimes post to `/error` and `/init/error`: keys in this order (aws-behaviour.md §9.2). */
export interface ErrorDocument {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: string[];
}

export interface Transport {
  /** Resolves with the next invocation. While one is being handled the transport must not keep the event loop alive. */
  next(): Promise<Invocation>;
  /** `body` is the already serialised JSON result. */
  respond(requestId: string, body: string): Promise<void>;
  fail(requestId: string, error: ErrorDocument): Promise<void>;
}

/** The `init` message that specialises a stem cell (PROTOCOL.md, step 2). */
export interface InitMessage {
  readonly type: 'init';
  readonly transport?: 'pipe' | 'http';
  readonly taskRoot: string;
  readonly handler: string;
  readonly runtime?: string;
  readonly env?: Record<string, string>;
}
