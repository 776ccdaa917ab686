import { randomBytes } from 'node:crypto';

/** Parent segment ids: a random per-process prefix and a counter, so no entropy is drawn per invocation. */
const PARENT_PREFIX = randomBytes(4).toString('hex');
let parentCounter = randomBytes(4).readUInt32BE(0);

/**
 * The X-Ray trace header Lambda hands a function (`_X_AMZN_TRACE_ID`, `Lambda-Runtime-Trace-Id`): the caller's
 * root when there is one, a new root otherwise; a new parent segment for this invocation.
 */
export function traceHeader(incoming?: string): string {
  const root = /Root=([^;]+)/.exec(incoming ?? '')?.[1] ?? newTraceRoot();
  parentCounter = (parentCounter + 1) >>> 0;
  return `Root=${root};Parent=${PARENT_PREFIX}${parentCounter.toString(16).padStart(8, '0')};Sampled=0`;
}

/** `1-<8 hex seconds>-<24 hex random>`. */
export function newTraceRoot(): string {
  return `1-${Math.floor(Date.now() / 1000).toString(16).padStart(8, '0')}-${randomBytes(12).toString('hex')}`;
}
