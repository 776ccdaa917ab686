/**
 * The contract between an environment and the process inside it, whatever carries it: the Lambda Runtime API
 * over HTTP (runtime-api-server.ts) or Portico's private pipe (pipe-channel.ts). Nothing above this file knows
 * which one an environment uses.
 */
export interface InvocationRequest {
  readonly requestId: string;
  readonly deadlineMs: number;
  readonly invokedFunctionArn: string;
  readonly traceId: string;
  /** JSON text of the client context, as the `Lambda-Runtime-Client-Context` header carries it. */
  readonly clientContext: string | null;
  readonly cognitoIdentity: string | null;
  /** The event, JSON text. */
  readonly payload: string;
  /**
   * The payload is JSON text Portico built itself (a gateway event), so known to be valid: a channel may splice it
   * into its own message as it is instead of carrying it as an escaped string.
   */
  readonly payloadIsJson?: boolean;
}

/** Byte counts the runtime reports so the environment can wait for every log line of the invocation. */
export interface OutputMarks {
  readonly stdoutBytes?: number;
  readonly stderrBytes?: number;
  readonly maxRssBytes?: number;
}

export type RuntimeOutcome =
  | ({ readonly kind: 'response'; readonly requestId: string; readonly payload: string } & OutputMarks)
  | ({ readonly kind: 'error'; readonly requestId: string; readonly payload: string } & OutputMarks)
  | { readonly kind: 'too-large'; readonly requestId: string };

export interface ChannelListener {
  /** The runtime loaded the handler (or, over HTTP, asked for its first invocation). */
  initDone(): void;
  /** The runtime could not load the handler; `payload` is the error document as JSON text. */
  initError(payload: string): void;
  outcome(outcome: RuntimeOutcome): void;
  /** The runtime broke the protocol; the environment must be replaced. */
  broken(detail: string): void;
}

export interface InvocationChannel {
  deliver(request: InvocationRequest): void;
  close(): void;
}

/** The largest response a function may return; Lambda's own error message names this figure (6 MB + 100 bytes). */
export const MAX_RESPONSE_BYTES = 6_291_556;
