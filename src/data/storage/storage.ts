/**
 * The data service's storage interface: the narrow waist between the DynamoDB-compatible service and whatever keeps
 * the bytes (SQLite today, PostgreSQL later).
 *
 * It knows nothing of DynamoDB's wire format. A table is a name, a key schema and an opaque metadata JSON blob; an
 * item is an opaque JSON string addressed by (table, partition key bytes, sort key bytes). Key bytes are produced by
 * `key-encoding.ts` so that plain byte order (memcmp, then shorter first) is DynamoDB's order; a table without a sort
 * key addresses its items with an empty sort key. What the storage must provide:
 *
 * - point reads and writes that return the previous item (so the service can build ALL_OLD / stream images);
 * - an ordered range scan inside one partition (Query), forwards or backwards, with inclusive/exclusive bounds on
 *   the sort key, an exclusive start key and a limit;
 * - a whole-table scan in (pk, sk) byte order that can be split into segments by a hash of the partition key
 *   (parallel Scan: segment i of n holds the partition keys whose `partitionHash` falls in the i-th n-th of the
 *   32-bit hash space — every item of one partition is in the same segment, as on DynamoDB);
 * - `transaction(fn)`: several reads and writes, applied all or nothing (TransactWriteItems, and every write that
 *   appends a stream record);
 * - a change log: `appendChange` inside the transaction of the write it describes, `readChanges` after a sequence
 *   number, `changeBounds` (where a table's log starts and ends), `trimChanges` older than a retention;
 * - secondary index entries: the service computes an item's index key bytes and hands them to `putItem`; the storage
 *   keeps them with the item, in the same write, ordered by (index pk, index sk, table pk, table sk), so a Query on an
 *   index is an ordered range scan too (`queryIndex`, `scanIndex`);
 * - approximate statistics (item count and bytes per table and per index), maintained with every write.
 * - checkpoints: small named values written durably (the position of an event source mapping in a stream).
 *
 * Every method is asynchronous so that a networked implementation fits; an embedded one may complete synchronously.
 * Pages are bounded (limit, bytes, rows examined): the service must never ask for unbounded work in one call.
 */

/** The type of a key attribute, as declared by the table (the storage only stores it and gives it back). */
export type KeyAttributeType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyAttributeType;
}

export interface KeySchema {
  readonly partitionKey: KeyAttribute;
  /** Absent for a table with a partition key only; its items then have an empty sort key. */
  readonly sortKey?: KeyAttribute;
}

export interface TableInfo {
  readonly name: string;
  readonly keySchema: KeySchema;
  /** Opaque JSON owned by the service (status, indexes, throughput, stream settings, ...). */
  readonly metadata: string;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
}

/** An item's address inside a table. `sk` is empty (length 0) exactly when the table has no sort key. */
export interface ItemKey {
  readonly pk: Uint8Array;
  readonly sk: Uint8Array;
}

export interface StoredItem extends ItemKey {
  /** The item as the service stored it: an opaque JSON string. */
  readonly item: string;
}

/** An item's key in one secondary index. `sk` is empty exactly when the index has no sort key. */
export interface IndexEntry {
  readonly index: string;
  readonly pk: Uint8Array;
  readonly sk: Uint8Array;
}

/** A position inside an index: its index key (`ipk`, `isk`) and the table key of the item (`pk`, `sk`). */
export interface IndexPosition extends ItemKey {
  readonly ipk: Uint8Array;
  readonly isk: Uint8Array;
}

export interface IndexedItem extends StoredItem, IndexPosition {}

export interface Page<T, K = ItemKey> {
  readonly items: T[];
  /**
   * Present when the page stopped early (limit, maxBytes or maxExamined) and more items may follow: pass it back as
   * `startAfter` for the next page. Absent when the range is exhausted. (DynamoDB also returns a LastEvaluatedKey
   * when a page holds exactly `Limit` items at the end of the range; the service derives that from `items`.)
   * For a segmented scan it may be the key of an item of another segment (see `ScanRequest.maxExamined`).
   */
  readonly lastKey?: K;
}

export interface SortKeyBound {
  readonly key: Uint8Array;
  readonly inclusive: boolean;
}

export interface QueryRequest {
  readonly table: string;
  readonly pk: Uint8Array;
  /** Lower bound on the sort key (whatever the direction). */
  readonly lower?: SortKeyBound;
  /** Upper bound on the sort key (whatever the direction). */
  readonly upper?: SortKeyBound;
  /** Ascending sort key order (the default) or descending (ScanIndexForward=false). */
  readonly forward?: boolean;
  /** Exclusive start: the sort key of the last item of the previous page (in this direction). */
  readonly startAfter?: Uint8Array;
  /** At most this many items (default and maximum `MAX_PAGE_ITEMS`). */
  readonly limit?: number;
  /**
   * Stop after the item that brings the page to at least this many bytes (key bytes + item JSON length), like
   * DynamoDB's 1 MB page. Default: no byte bound (the limit still applies).
   */
  readonly maxBytes?: number;
}

export interface ScanRequest {
  readonly table: string;
  /** Parallel scan: this segment (0-based) of `totalSegments`. Both absent: the whole table. */
  readonly segment?: number;
  readonly totalSegments?: number;
  /** Exclusive start: the key of the last item (or `lastKey`) of the previous page. */
  readonly startAfter?: ItemKey;
  readonly limit?: number;
  readonly maxBytes?: number;
  /**
   * At most this many stored items are examined in the call, members of the segment or not (default
   * `MAX_EXAMINED`): a sparse segment then yields a short or empty page with a `lastKey`, as DynamoDB's Scan may.
   */
  readonly maxExamined?: number;
}

/** Query on an index: one index partition, bounds on the index sort key; the start is a full index position. */
export interface IndexQueryRequest extends Omit<QueryRequest, 'startAfter'> {
  readonly index: string;
  readonly startAfter?: IndexPosition;
}

/** Scan of an index in index order; segments split by `partitionHash` of the index partition key. */
export interface IndexScanRequest extends Omit<ScanRequest, 'startAfter'> {
  readonly index: string;
  readonly startAfter?: IndexPosition;
}

export interface Stats {
  readonly items: number;
  /** Item bytes as stored (key bytes + item JSON): an approximation of DynamoDB's sizes. */
  readonly bytes: number;
}

export interface TableStats extends Stats {
  /** By index name; an index with no entries may be absent. */
  readonly indexes: Readonly<Record<string, Stats>>;
}

export interface ChangeRecord {
  /** Strictly increasing across the whole store; never reused. */
  readonly seq: number;
  readonly table: string;
  /** Milliseconds since the epoch, when appended. */
  readonly createdAt: number;
  /** Opaque JSON owned by the service (the stream record). */
  readonly data: string;
}

/** Where a table's change log stands: every record has `trimmedThrough < seq <= last`. */
export interface ChangeBounds {
  /** The highest sequence number trimmed away for this table (0 when nothing was trimmed). */
  readonly trimmedThrough: number;
  /** The highest sequence number appended for this table so far (0 when none); later records have larger ones. */
  readonly last: number;
}

export interface ListTablesRequest {
  /** Exclusive start: the last name of the previous page. */
  readonly startAfter?: string;
  readonly limit?: number;
}

/** Reads and writes that can run alone or inside a transaction. */
export interface ItemOperations {
  getItem(table: string, key: ItemKey): Promise<string | undefined>;
  /**
   * Inserts or replaces; resolves to the previous item, if any. With `indexEntries` (a table with indexes), they
   * replace the item's previous index entries (an empty list: the item is in no index); without, they are untouched.
   */
  putItem(table: string, key: ItemKey, item: string, indexEntries?: readonly IndexEntry[]): Promise<string | undefined>;
  /** Resolves to the deleted item, if there was one; its index entries go with it. */
  deleteItem(table: string, key: ItemKey): Promise<string | undefined>;
  query(request: QueryRequest): Promise<Page<StoredItem>>;
  scan(request: ScanRequest): Promise<Page<StoredItem>>;
  queryIndex(request: IndexQueryRequest): Promise<Page<IndexedItem, IndexPosition>>;
  scanIndex(request: IndexScanRequest): Promise<Page<IndexedItem, IndexPosition>>;
}

/** What a transaction body gets: item operations plus the change log append, all committed or none. */
export interface StorageTransaction extends ItemOperations {
  /** The table as it is now: no metadata change can land before the transaction ends. */
  getTable(name: string): Promise<TableInfo | undefined>;
  /** Appends a stream record for `table`; resolves to its sequence number. Visible only if the transaction commits. */
  appendChange(table: string, data: string): Promise<number>;
}

export interface Storage extends ItemOperations {
  /** Fails with `StorageError` code `TableExists` if the name is taken. */
  createTable(name: string, keySchema: KeySchema, metadata: string): Promise<TableInfo>;
  /** Fails with `TableNotFound`. */
  updateTableMetadata(name: string, metadata: string): Promise<TableInfo>;
  /**
   * Removes the table at once (its name is free again, its items and change log are no longer visible), in constant
   * time; the rows are reclaimed later, a bounded batch at a time, by `reclaim`. Resolves to the table as it was;
   * fails with `TableNotFound`.
   */
  deleteTable(name: string): Promise<TableInfo>;
  getTable(name: string): Promise<TableInfo | undefined>;
  /** Removes every entry of one index of `table` (after UpdateTable deleted it); fails with `TableNotFound`. */
  dropIndex(table: string, index: string): Promise<void>;
  /** Approximate statistics of `table` and its indexes; fails with `TableNotFound`. */
  tableStats(table: string): Promise<TableStats>;
  /** Tables in name order (byte order of the UTF-8 names). */
  listTables(request?: ListTablesRequest): Promise<{ tables: TableInfo[]; lastName?: string }>;

  /**
   * Runs `fn` atomically: every write made through `tx` is committed together when the promise it returns resolves,
   * or rolled back if it rejects. Other calls on this storage wait until the transaction ends. `tx` must not be used
   * after `fn` settles, and `fn` must not call `transaction` on the same storage (it would wait for itself).
   */
  transaction<T>(fn: (tx: StorageTransaction) => Promise<T> | T): Promise<T>;

  /** Change records of `table` with `seq > afterSeq`, in order, at most `limit` (default `MAX_PAGE_ITEMS`). */
  readChanges(table: string, afterSeq: number, limit?: number): Promise<ChangeRecord[]>;
  /** The table's change log bounds; fails with `TableNotFound`. */
  changeBounds(table: string): Promise<ChangeBounds>;
  /**
   * Deletes change records appended before `now - retentionMs`, at most `maxRecords` (default 10,000) in one call;
   * resolves to how many were deleted (call again while it returns `maxRecords`).
   */
  trimChanges(retentionMs: number, now?: number, maxRecords?: number): Promise<number>;

  /** The checkpoint stored under `name`, if any. */
  readCheckpoint(name: string): Promise<string | undefined>;
  /** Stores `value` under `name`, durably (as durable as an item write) before resolving. */
  writeCheckpoint(name: string, value: string): Promise<void>;

  /** Reclaims up to `maxRows` rows of deleted tables; resolves to how many (0 when there is nothing left). */
  reclaim(maxRows?: number): Promise<number>;

  close(): Promise<void>;
}

export const MAX_PAGE_ITEMS = 10_000;
export const MAX_EXAMINED = 10_000;

export type StorageErrorCode = 'TableExists' | 'TableNotFound' | 'InvalidKey' | 'InvalidRequest' | 'Closed';

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  constructor(code: StorageErrorCode, message: string) {
    super(message);
    this.name = 'StorageError';
    this.code = code;
  }
}

/**
 * The 32-bit hash that places a partition key in a scan segment: FNV-1a over the key bytes, then MurmurHash3's
 * finaliser so that the high bits (which pick the segment) are well mixed. Part of the storage contract: every
 * implementation must segment with this function so that segments mean the same thing everywhere.
 */
export function partitionHash(pk: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < pk.length; i++) {
    h ^= pk[i]!;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The half-open range [lo, hi) of `partitionHash` values that form segment `segment` of `totalSegments`. */
export function segmentHashRange(segment: number, totalSegments: number): { lo: number; hi: number } {
  if (!Number.isInteger(totalSegments) || totalSegments < 1 || !Number.isInteger(segment) || segment < 0 || segment >= totalSegments) {
    throw new StorageError('InvalidRequest', `segment ${segment} of ${totalSegments} is not a segment`);
  }
  const space = 2 ** 32;
  return { lo: Math.floor((segment * space) / totalSegments), hi: Math.floor(((segment + 1) * space) / totalSegments) };
}

/** The segment of `totalSegments` that holds partition key `pk`. */
export function segmentOf(pk: Uint8Array, totalSegments: number): number {
  const h = partitionHash(pk);
  // The largest s with floor(s * 2^32 / n) <= h.
  let s = Math.floor((h * totalSegments) / 2 ** 32);
  while (s + 1 < totalSegments && segmentHashRange(s + 1, totalSegments).lo <= h) s++;
  while (s > 0 && segmentHashRange(s, totalSegments).lo > h) s--;
  return s;
}
