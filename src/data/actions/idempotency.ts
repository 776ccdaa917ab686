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
  result: Record<string, unknown>;
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

/** The result an earlier call with this token answered, or undefined when there is none (or no token). */
export function replayedResult(ctx: ActionContext, operation: string, token: string | undefined, data: Json): Record<string, unknown> | undefined {
  if (token === undefined) return undefined;
  const record = known(ctx).get(`${operation}\u0000${token}`);
  if (!record) return undefined;
  if (record.fingerprint !== fingerprint(data)) throw idempotentParameterMismatch();
  return record.result;
}

/** Binds the token to this request and its result. */
export function rememberResult(ctx: ActionContext, operation: string, token: string | undefined, data: Json, result: Record<string, unknown>): void {
  if (token !== undefined) known(ctx).set(`${operation}\u0000${token}`, { fingerprint: fingerprint(data), at: ctx.now().getTime(), result });
}
