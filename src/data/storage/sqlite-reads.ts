/**
 * Query and scan pages over the items table: key bounds, the exclusive start key, page limits in items and bytes, and
 * (for parallel scans) the segment filter with its bound on rows examined.
 */

import type { CachedTable, ItemRow, RangeRow, RangeStatements, ScanRow, Statements } from './sqlite-schema.js';
import { MAX_EXAMINED, MAX_PAGE_ITEMS, StorageError, segmentHashRange, type Page, type QueryRequest, type ScanRequest, type StoredItem } from './storage.js';

export const EMPTY = Buffer.alloc(0);

/** better-sqlite3 binds Buffers as BLOBs; a plain Uint8Array is wrapped without copying. */
export function toBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** An optional positive integer bound, capped at `max`, so no call's cost can grow without limit. */
export function boundedInt(value: number | undefined, fallback: number, max: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new StorageError('InvalidRequest', `${what} must be a positive integer`);
  return Math.min(value, max);
}

/** One page of a partition, in sort key order, between the request's bounds and after its start key. */
export function queryPage(ranges: RangeStatements, t: CachedTable, q: QueryRequest): Page<StoredItem> {
  if (!q.pk || q.pk.length === 0) throw new StorageError('InvalidKey', 'partition key bytes are empty');
  const limit = boundedInt(q.limit, MAX_PAGE_ITEMS, MAX_PAGE_ITEMS, 'limit');
  const forward = q.forward ?? true;
  let lower: { key: Buffer; inclusive: boolean } | undefined = q.lower ? { key: toBuffer(q.lower.key), inclusive: q.lower.inclusive } : undefined;
  let upper: { key: Buffer; inclusive: boolean } | undefined = q.upper ? { key: toBuffer(q.upper.key), inclusive: q.upper.inclusive } : undefined;
  if (q.startAfter) {
    const start = toBuffer(q.startAfter);
    if (forward) {
      if (!lower || Buffer.compare(start, lower.key) >= 0) lower = { key: start, inclusive: false };
    } else if (!upper || Buffer.compare(start, upper.key) <= 0) {
      upper = { key: start, inclusive: false };
    }
  }
  const stmt = ranges[forward ? 1 : 0]![lower ? (lower.inclusive ? 1 : 2) : 0]![upper ? (upper.inclusive ? 1 : 2) : 0]!;
  const pk = Buffer.from(q.pk);
  const params: unknown[] = [t.id, pk];
  if (lower) params.push(lower.key);
  if (upper) params.push(upper.key);
  params.push(limit + 1);
  return partitionPage(pk, stmt.all(...params) as RangeRow[], limit, q.maxBytes);
}

/**
 * An item of a partition page. Its pk is the request's; its sk stays the hex text SQLite gave until someone reads
 * it: the service reads only the item text (and the key of the last item), so most rows never build a Buffer.
 */
class PartitionItem implements StoredItem {
  private bytes: Buffer | undefined;
  constructor(
    readonly pk: Buffer,
    private readonly skHex: string,
    readonly item: string,
  ) {}

  get sk(): Buffer {
    return (this.bytes ??= Buffer.from(this.skHex, 'hex'));
  }

  get skLength(): number {
    return this.skHex.length / 2;
  }
}

/** `page` for range rows (fetched with LIMIT limit + 1). */
function partitionPage(pk: Buffer, rows: RangeRow[], limit: number, maxBytes: number | undefined): Page<StoredItem> {
  const items: PartitionItem[] = [];
  let bytes = 0;
  for (let i = 0; i < rows.length && i < limit; i++) {
    const entry = new PartitionItem(pk, rows[i]![0], rows[i]![1]);
    items.push(entry);
    bytes += pk.length + entry.skLength + entry.item.length;
    if (maxBytes !== undefined && bytes >= maxBytes) break;
  }
  if (items.length < rows.length) {
    const last = items[items.length - 1]!;
    return { items, lastKey: { pk: last.pk, sk: last.sk } };
  }
  return { items };
}

/** One page of the table in (pk, sk) order; with a segment, only its items, examining at most `maxExamined` rows. */
export function scanPage(s: Statements, t: CachedTable, q: ScanRequest): Page<StoredItem> {
  const limit = boundedInt(q.limit, MAX_PAGE_ITEMS, MAX_PAGE_ITEMS, 'limit');
  const maxExamined = boundedInt(q.maxExamined, MAX_EXAMINED, Number.MAX_SAFE_INTEGER, 'maxExamined');
  let range: { lo: number; hi: number } | undefined;
  if (q.segment !== undefined || q.totalSegments !== undefined) {
    range = segmentHashRange(q.segment ?? -1, q.totalSegments ?? 0);
    if (q.totalSegments === 1) range = undefined;
  }
  if (!range) return page((q.startAfter ? s.scanAfter.all(t.id, toBuffer(q.startAfter.pk), toBuffer(q.startAfter.sk ?? EMPTY), limit + 1) : s.scanFirst.all(t.id, limit + 1)) as ItemRow[], limit, q.maxBytes);
  const rows = q.startAfter
    ? s.scanAfter.iterate(t.id, toBuffer(q.startAfter.pk), toBuffer(q.startAfter.sk ?? EMPTY), maxExamined + 1)
    : s.scanFirst.iterate(t.id, maxExamined + 1);
  const items: StoredItem[] = [];
  let examined = 0;
  let bytes = 0;
  let last: ItemRow | undefined;
  let full = false;
  let more = false;
  for (const raw of rows) {
    if (full || examined === maxExamined) {
      // A row exists beyond what this page may return or examine: the page ends at `last`.
      more = true;
      break;
    }
    const row = raw as ScanRow;
    examined++;
    last = row;
    if (row.ph < range.lo || row.ph >= range.hi) continue;
    items.push({ pk: row.pk, sk: row.sk, item: row.item });
    bytes += row.pk.length + row.sk.length + row.item.length;
    if (items.length === limit || (q.maxBytes !== undefined && bytes >= q.maxBytes)) full = true;
  }
  return more && last ? { items, lastKey: { pk: last.pk, sk: last.sk } } : { items };
}

/** Cuts `rows` (fetched with LIMIT limit + 1) to a page of at most `limit` items and `maxBytes` bytes. */
function page(rows: ItemRow[], limit: number, maxBytes: number | undefined): Page<StoredItem> {
  const items: StoredItem[] = [];
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) {
    if (i === limit) break;
    const r = rows[i]!;
    items.push({ pk: r.pk, sk: r.sk, item: r.item });
    bytes += r.pk.length + r.sk.length + r.item.length;
    if (maxBytes !== undefined && bytes >= maxBytes) break;
  }
  if (items.length < rows.length) {
    const last = items[items.length - 1]!;
    return { items, lastKey: { pk: last.pk, sk: last.sk } };
  }
  return { items };
}
