/**
 * API Gateway's list paging (GetApiKeys, GetUsagePlans, GetUsagePlanKeys …): `limit` items per page (default 25,
 * at most 500) from `position`, the opaque token the previous page returned; the last page has no `position`.
 */
import type { AwsRequestContext } from '../../aws/context.js';
import { badRequest } from './errors.js';

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 500;

export interface ListPage<T> {
  readonly item: T[];
  readonly position?: string;
}

export function pageOf<T>(ctx: AwsRequestContext, items: readonly T[]): ListPage<T> {
  const limit = limitOf(ctx.query.get('limit'));
  const start = startOf(ctx.query.get('position'), items.length);
  const end = start + limit;
  return end < items.length ? { item: items.slice(start, end), position: encodePosition(end) } : { item: items.slice(start) };
}

function limitOf(text: string | null): number {
  if (text === null) return DEFAULT_LIMIT;
  const limit = Number(text);
  // The SDKs send an integer; anything else, or out of API Gateway's documented range, is the caller's error.
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw badRequest(`Invalid limit: must be between 1 and ${MAX_LIMIT}`);
  return limit;
}

function startOf(position: string | null, size: number): number {
  if (position === null) return 0;
  const offset = Number(Buffer.from(position, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0 || offset > size) throw badRequest('Invalid position parameter');
  return offset;
}

function encodePosition(offset: number): string {
  return Buffer.from(String(offset), 'utf8').toString('base64url');
}
