/**
 * Secondary index entries in SQLite: `index_entries` holds one row per (item, index) keyed by
 * (table_id, idx, ipk, isk, pk, sk), so an index partition is a contiguous, ordered range of the primary key, exactly
 * as a table partition is in `items`. Reads join the entry to its item; the item JSON is stored once.
 * `index_entries_by_item` finds an item's entries again when it is replaced or deleted.
 */

import type Database from 'better-sqlite3';
import { boundedInt, toBuffer } from './sqlite-reads.js';
import type { CachedTable, IndexRow, Statements, Stmt } from './sqlite-schema.js';
import {
  MAX_EXAMINED,
  MAX_PAGE_ITEMS,
  StorageError,
  partitionHash,
  segmentHashRange,
  type IndexEntry,
  type IndexPosition,
  type IndexQueryRequest,
  type IndexScanRequest,
  type IndexedItem,
  type Page,
} from './storage.js';

type IndexPage = Page<IndexedItem, IndexPosition>;

const COLUMNS = 'SELECT e.ipk, e.isk, e.pk, e.sk, e.ph, i.item FROM index_entries e JOIN items i ON i.table_id = e.table_id AND i.pk = e.pk AND i.sk = e.sk';

/** Replaces the index entries of one item (and the per-index statistics); `bytes` is the item's stored size. */
export function replaceEntries(
  s: Statements,
  t: CachedTable,
  key: { pk: Buffer; sk: Buffer },
  previousBytes: number,
  entries: readonly IndexEntry[] | undefined,
  bytes: number,
): void {
  const removed = s.deleteEntries.all(t.id, key.pk, key.sk) as string[];
  for (const idx of removed) s.addStats.run(t.id, idx, -1, -previousBytes);
  for (const e of entries ?? []) {
    if (typeof e.index !== 'string' || e.index === '' || !e.pk || e.pk.length === 0) throw new StorageError('InvalidKey', 'index entry needs an index name and partition key bytes');
    const ipk = toBuffer(e.pk);
    s.insertEntry.run(t.id, e.index, ipk, toBuffer(e.sk), key.pk, key.sk, partitionHash(ipk));
    s.addStats.run(t.id, e.index, 1, bytes);
  }
}

/** Index reads, with their statements prepared on first use (one per direction, bound kinds and start). */
export class IndexReads {
  private readonly statements = new Map<string, Stmt>();

  constructor(private readonly db: Database.Database) {}

  private prepared(sql: string): Stmt {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** One page of one index partition in (isk, pk, sk) order, between the bounds on isk and after the start. */
  query(t: CachedTable, q: IndexQueryRequest): IndexPage {
    if (!q.pk || q.pk.length === 0) throw new StorageError('InvalidKey', 'partition key bytes are empty');
    const limit = boundedInt(q.limit, MAX_PAGE_ITEMS, MAX_PAGE_ITEMS, 'limit');
    const forward = q.forward ?? true;
    const params: Record<string, unknown> = { t: t.id, x: q.index, ipk: toBuffer(q.pk), n: limit + 1 };
    let where = 'e.table_id = @t AND e.idx = @x AND e.ipk = @ipk';
    if (q.lower) {
      where += ` AND e.isk ${q.lower.inclusive ? '>=' : '>'} @lo`;
      params.lo = toBuffer(q.lower.key);
    }
    if (q.upper) {
      where += ` AND e.isk ${q.upper.inclusive ? '<=' : '<'} @hi`;
      params.hi = toBuffer(q.upper.key);
    }
    if (q.startAfter) {
      where += ` AND (e.isk, e.pk, e.sk) ${forward ? '>' : '<'} (@sisk, @spk, @ssk)`;
      Object.assign(params, { sisk: toBuffer(q.startAfter.isk), spk: toBuffer(q.startAfter.pk), ssk: toBuffer(q.startAfter.sk) });
    }
    const order = forward ? 'ASC' : 'DESC';
    const rows = this.prepared(`${COLUMNS} WHERE ${where} ORDER BY e.isk ${order}, e.pk ${order}, e.sk ${order} LIMIT @n`).iterate(params);
    return collect(rows as Iterable<IndexRow & { ph: number }>, limit, q.maxBytes, Number.MAX_SAFE_INTEGER);
  }

  /** One page of the whole index in (ipk, isk, pk, sk) order; with a segment, only its entries. */
  scan(t: CachedTable, q: IndexScanRequest): IndexPage {
    const limit = boundedInt(q.limit, MAX_PAGE_ITEMS, MAX_PAGE_ITEMS, 'limit');
    const maxExamined = boundedInt(q.maxExamined, MAX_EXAMINED, Number.MAX_SAFE_INTEGER, 'maxExamined');
    let range: { lo: number; hi: number } | undefined;
    if ((q.segment !== undefined || q.totalSegments !== undefined) && q.totalSegments !== 1) range = segmentHashRange(q.segment ?? -1, q.totalSegments ?? 0);
    const params: Record<string, unknown> = { t: t.id, x: q.index, n: (range ? maxExamined : limit) + 1 };
    let where = 'e.table_id = @t AND e.idx = @x';
    if (q.startAfter) {
      where += ' AND (e.ipk, e.isk, e.pk, e.sk) > (@sipk, @sisk, @spk, @ssk)';
      Object.assign(params, { sipk: toBuffer(q.startAfter.ipk), sisk: toBuffer(q.startAfter.isk), spk: toBuffer(q.startAfter.pk), ssk: toBuffer(q.startAfter.sk) });
    }
    const rows = this.prepared(`${COLUMNS} WHERE ${where} ORDER BY e.ipk, e.isk, e.pk, e.sk LIMIT @n`).iterate(params);
    return collect(rows as Iterable<IndexRow & { ph: number }>, limit, q.maxBytes, range ? maxExamined : Number.MAX_SAFE_INTEGER, range);
  }
}

/**
 * Takes rows until the page is full (items, bytes) or `maxExamined` rows were looked at; rows outside the segment's
 * hash range are examined but not returned. `lastKey` is set when a further row exists.
 */
function collect(rows: Iterable<IndexRow & { ph: number }>, limit: number, maxBytes: number | undefined, maxExamined: number, range?: { lo: number; hi: number }): IndexPage {
  const items: IndexedItem[] = [];
  let bytes = 0;
  let examined = 0;
  let last: IndexRow | undefined;
  let full = false;
  for (const row of rows) {
    if (full || examined === maxExamined) {
      const { ipk, isk, pk, sk } = last!;
      return { items, lastKey: { ipk, isk, pk, sk } };
    }
    examined++;
    last = row;
    if (range && (row.ph < range.lo || row.ph >= range.hi)) continue;
    items.push({ ipk: row.ipk, isk: row.isk, pk: row.pk, sk: row.sk, item: row.item });
    bytes += row.pk.length + row.sk.length + row.item.length;
    if (items.length === limit || (maxBytes !== undefined && bytes >= maxBytes)) full = true;
  }
  return { items };
}
