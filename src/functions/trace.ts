import { randomBytes } from 'node:crypto';

/**
 * The X-Ray trace header Lambda hands a function (`_X_AMZN_TRACE_ID`, `Lambda-Runtime-Trace-Id`): the caller's
 * root when there is one, a new root otherwise; a new parent segment for this invocation.
 */
export function traceHeader(incoming?: string): string {
  const root = /Root=([^;]+)/.exec(incoming ?? '')?.[1] ?? newTraceRoot();
  return `Root=${root};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}

/** `1-<8 hex seconds>-<24 hex random>`. */
export function newTraceRoot(): string {
  return `1-${Math.floor(Date.now() / 1000).toString(16).padStart(8, '0')}-${randomBytes(12).toString('hex')}`;
}
