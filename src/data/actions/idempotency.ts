// ClientRequestToken (TransactWriteItems, ExecuteTransaction): within ten minutes, the same token with the same
// request answers the first result without running again, and with another request fails with
// IdempotentParameterMismatchException (API reference, TransactWriteItems and ExecuteTransaction).
import { createHash } from 'node:crypto';
import { idempotentParameterMismatch } from '../service/errors.js';
import type { Json } from '../service/validation.js';
import type { Storage } from '../storage/storage.js';
import type { ActionContext } from './common.js';

/** How long a ClientRequestToken stays bound to its request and result. */
export const IDEMPOTENCY_WINDOW_MS = 10 * 60 * 1000;

interface TokenRecord {
  fingerprint: string;
  at: number;
  /** Settles with the first call's result; a retry arriving while it runs waits for it instead of running again. */
  result: Promise<Record<string, unknown>>;
}

/** Tokens per storage (one per service) and operation, pruned as they expire. */
const tokens = new WeakMap<Storage, Map<string, TokenRecord>>();

function known(ctx: ActionContext): Map<string, TokenRecord> {
  let map = tokens.get(ctx.storage);
  if (!map) tokens.set(ctx.storage, (map = new Map()));
  const now = ctx.now().getTime();
  for (const [t, record] of map) if (now - record.at > IDEMPOTENCY_WINDOW_MS) map.delete(t);
  return map;
}

function fingerprint(data: Json): string {
  return createHash('sha256')
    .update(JSON.stringify({ ...data, ClientRequestToken: undefined }))
    .digest('hex');
}

/**
 * Runs `run` once per token: a call with a token seen within the window answers that call's result (waiting for it
 * while it is still running), or IdempotentParameterMismatchException for another request. The token is bound
 * before `run` starts, so a retry racing the first call (waiting on its lock or fsync) cannot apply it twice; a call
 * that fails leaves the token free.
 */
export function withIdempotency(
  ctx: ActionContext,
  operation: string,
  token: string | undefined,
  data: Json,
  run: () => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  if (token === undefined) return run();
  const tokensOf = known(ctx);
  const key = `${operation}\u0000${token}`;
  const print = fingerprint(data);
  const earlier = tokensOf.get(key);
  if (earlier) {
    if (earlier.fingerprint !== print) return Promise.reject(idempotentParameterMismatch());
    return earlier.result;
  }
  const result = run();
  const record: TokenRecord = { fingerprint: print, at: ctx.now().getTime(), result };
  tokensOf.set(key, record);
  result.catch(() => {
    if (tokensOf.get(key) === record) tokensOf.delete(key);
  });
  return result;
}
