/**
 * The embedded storage: one SQLite database file through better-sqlite3.
 *
 * Durability. The database runs in WAL mode, SQLite's `synchronous = NORMAL` (the WAL is fsynced around checkpoints,
 * so the file is never corrupted). With `synchronous: 'FULL'` (the default) a write resolves only after an fsync of
 * the WAL that covers its commit, issued off the event loop and shared by concurrent writes (`group-commit.ts`): a
 * write whose promise resolved survives kill -9 and power loss. With `synchronous: 'NORMAL'` it resolves at commit:
 * it survives kill -9 (it is in the OS's page cache), but a power loss or kernel crash may lose the last
 * transactions before a checkpoint.
 *
 * Blocking. better-sqlite3 is synchronous: each call runs on the event loop's thread until SQLite returns. That is
 * what makes it fast (no thread hop, no callback), and it is why the service must keep each call short: single-item
 * operations and bounded pages (`limit`, `maxBytes`, `maxExamined`, bounded `trimChanges`/`reclaim`), never a call
 * whose cost grows with the table. `deleteTable` is constant-time for that reason: rows are reclaimed later in
 * batches by `reclaim`.
 *
 * Concurrency. One process owns the file. Within it, `transaction` holds BEGIN IMMEDIATE … COMMIT across its
 * (possibly asynchronous) body; every other call waits until it ends, so nothing outside sees or joins it.
 *
 * Files: `sqlite-schema.ts` (schema and its layout, migration, prepared statements), `sqlite-reads.ts` (query and
 * scan pages), `sqlite-index.ts` (index entries and index pages), `sqlite-reclaim.ts` (deleting dropped tables' rows),
 * this file (the Storage implementation: item and table calls, transactions, the change log, checkpoints).
 */

import Database from 'better-sqlite3';
import { GroupCommit } from './group-commit.js';
import { reclaimDropped } from './sqlite-reclaim.js';
import { IndexReads, replaceEntries } from './sqlite-index.js';
import { boundedInt, EMPTY, queryPage, scanPage, toBuffer } from './sqlite-reads.js';
import { migrate, prepareRangeStatements, prepareStatements, toCached, type CachedTable, type RangeStatements, type Statements, type TableRow } from './sqlite-schema.js';
import {
  MAX_PAGE_ITEMS,
  StorageError,
  partitionHash,
  type ChangeBounds,
  type ChangeRecord,
  type IndexEntry,
  type IndexPosition,
  type IndexQueryRequest,
  type IndexScanRequest,
  type IndexedItem,
  type ItemKey,
  type KeySchema,
  type ListTablesRequest,
  type Page,
  type QueryRequest,
  type ScanRequest,
  type Storage,
  type StorageTransaction,
  type StoredItem,
  type TableInfo,
  type TableStats,
} from './storage.js';

export interface SqliteStorageOptions {
  /** 'FULL' (default): a resolved write survives power loss. 'NORMAL': survives kill -9, not always power loss. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Replaces `fs.fsync` for the group commit (tests hold it to see that no write is acknowledged before it ends). */
  fsync?: ConstructorParameters<typeof GroupCommit>[1];
  /** How long a statement waits for a lock held by another connection (ms). Default 5000. */
  busyTimeoutMs?: number;
}

/** SQLite page size of a new database file, bytes. */
const PAGE_SIZE = 16_384;

export class SqliteStorage implements Storage {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly tables = new Map<string, CachedTable>();
  private lock: Promise<void> | null = null;
  private closed = false;
  private readonly s: Statements;
  private readonly rangeStmts: RangeStatements;
  /** Present in FULL mode on a file: what every acknowledged write waits for. */
  private readonly groupCommit: GroupCommit | undefined;
  private readonly indexReads: IndexReads;

  static open(path: string, options: SqliteStorageOptions = {}): SqliteStorage {
    return new SqliteStorage(path, options);
  }

  private constructor(path: string, options: SqliteStorageOptions) {
    this.path = path;
    const db = new Database(path);
    this.db = db;
    try {
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      // Only a new, empty file takes it (an existing one keeps its page size). Items live in a WITHOUT ROWID table,
      // where a row over ~1/4 of a page spills into an overflow page of its own: with SQLite's default 4 KB pages an
      // item of 1.1 KB took a whole extra page (4.6× its size on disk, measured); 16 KB pages keep items up to ~4 KB
      // in the table's own pages.
      db.pragma(`page_size = ${PAGE_SIZE}`);
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (path !== ':memory:' && String(mode).toLowerCase() !== 'wal') throw new Error(`cannot enable WAL on ${path} (got ${String(mode)})`);
      const sync = options.synchronous ?? 'FULL';
      if (sync !== 'FULL' && sync !== 'NORMAL') throw new Error(`synchronous must be FULL or NORMAL, not ${String(sync)}`);
      db.pragma('synchronous = NORMAL');
      this.groupCommit = sync === 'FULL' && path !== ':memory:' ? new GroupCommit(`${path}-wal`, options.fsync) : undefined;
      db.pragma('foreign_keys = OFF');
      migrate(db, path);
      this.s = prepareStatements(db);
      this.rangeStmts = prepareRangeStatements(db);
      this.indexReads = new IndexReads(db);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** The durability in force: SQLite's journal mode, and FULL when acknowledged writes wait for an fsync. */
  settings(): { journalMode: string; synchronous: 'NORMAL' | 'FULL' } {
    const journalMode = String(this.db.pragma('journal_mode', { simple: true }));
    return { journalMode, synchronous: this.groupCommit ? 'FULL' : 'NORMAL' };
  }

  /** Resolves `value` once the commits made so far are as durable as the storage promises. */
  private async acknowledge<T>(value: T): Promise<T> {
    if (this.groupCommit) await this.groupCommit.durable();
    return value;
  }

  // ---- plumbing -------------------------------------------------------------------------------------------------

  /** Waits while a transaction is open; then the caller runs synchronously (no await between check and work). */
  private async ready(): Promise<void> {
    while (this.lock) await this.lock;
    if (this.closed) throw new StorageError('Closed', 'storage is closed');
  }

  private table(name: string): CachedTable {
    const cached = this.tables.get(name);
    if (cached) return cached;
    const row = this.s.tableByName.get(name) as TableRow | undefined;
    if (!row) throw new StorageError('TableNotFound', `table not found: ${name}`);
    const entry = toCached(row);
    this.tables.set(name, entry);
    return entry;
  }

  private checkKey(t: CachedTable, key: ItemKey): { pk: Buffer; sk: Buffer } {
    if (!key.pk || key.pk.length === 0) throw new StorageError('InvalidKey', 'partition key bytes are empty');
    const sk = key.sk ?? EMPTY;
    if (t.hasSortKey !== sk.length > 0) {
      throw new StorageError('InvalidKey', t.hasSortKey ? `table ${t.info.name} needs a sort key` : `table ${t.info.name} has no sort key`);
    }
    return { pk: toBuffer(key.pk), sk: toBuffer(sk) };
  }

  // ---- item operations (synchronous bodies, shared with transactions) ------------------------------------------

  private getSync(table: string, key: ItemKey): string | undefined {
    const t = this.table(table);
    const { pk, sk } = this.checkKey(t, key);
    return this.s.getItem.get(t.id, pk, sk) as string | undefined;
  }

  /** Must run inside a SQLite transaction: the item, its index entries and the statistics change together. */
  private putSync(table: string, key: ItemKey, item: string, indexEntries?: readonly IndexEntry[]): string | undefined {
    if (typeof item !== 'string') throw new StorageError('InvalidRequest', 'item must be a JSON string');
    const t = this.table(table);
    const { pk, sk } = this.checkKey(t, key);
    const previous = this.s.getItem.get(t.id, pk, sk) as string | undefined;
    this.s.putItem.run(t.id, pk, sk, partitionHash(pk), item);
    const keyBytes = pk.length + sk.length;
    const bytes = keyBytes + item.length;
    const previousBytes = previous === undefined ? 0 : keyBytes + previous.length;
    this.s.addStats.run(t.id, '', previous === undefined ? 1 : 0, bytes - previousBytes);
    if (indexEntries !== undefined) replaceEntries(this.s, t, { pk, sk }, previousBytes, indexEntries, bytes);
    return previous;
  }

  /** Must run inside a SQLite transaction, as `putSync`. */
  private deleteSync(table: string, key: ItemKey): string | undefined {
    const t = this.table(table);
    const { pk, sk } = this.checkKey(t, key);
    const previous = this.s.deleteItem.get(t.id, pk, sk) as string | undefined;
    if (previous !== undefined) {
      const previousBytes = pk.length + sk.length + previous.length;
      this.s.addStats.run(t.id, '', -1, -previousBytes);
      replaceEntries(this.s, t, { pk, sk }, previousBytes, [], 0);
    }
    return previous;
  }

  /** Runs a write outside `transaction` as one SQLite transaction: one commit (one fsync), nothing in between. */
  private atomically<T>(write: () => T): T {
    this.s.begin.run();
    try {
      const result = write();
      this.s.commit.run();
      return result;
    } catch (err) {
      if (this.db.inTransaction) this.s.rollback.run();
      throw err;
    }
  }

  private querySync(q: QueryRequest): Page<StoredItem> {
    return queryPage(this.rangeStmts, this.table(q.table), q);
  }

  private scanSync(q: ScanRequest): Page<StoredItem> {
    return scanPage(this.s, this.table(q.table), q);
  }

  private queryIndexSync(q: IndexQueryRequest): Page<IndexedItem, IndexPosition> {
    return this.indexReads.query(this.table(q.table), q);
  }

  private scanIndexSync(q: IndexScanRequest): Page<IndexedItem, IndexPosition> {
    return this.indexReads.scan(this.table(q.table), q);
  }

  private appendChangeSync(table: string, data: string): number {
    if (typeof data !== 'string') throw new StorageError('InvalidRequest', 'change data must be a JSON string');
    const t = this.table(table);
    return Number(this.s.appendChange.run(t.id, Date.now(), data).lastInsertRowid);
  }

  // ---- Storage ---------------------------------------------------------------------------------------------------

  async getItem(table: string, key: ItemKey): Promise<string | undefined> {
    await this.ready();
    return this.getSync(table, key);
  }

  async putItem(table: string, key: ItemKey, item: string, indexEntries?: readonly IndexEntry[]): Promise<string | undefined> {
    await this.ready();
    return this.acknowledge(this.atomically(() => this.putSync(table, key, item, indexEntries)));
  }

  async deleteItem(table: string, key: ItemKey): Promise<string | undefined> {
    await this.ready();
    return this.acknowledge(this.atomically(() => this.deleteSync(table, key)));
  }

  async query(request: QueryRequest): Promise<Page<StoredItem>> {
    await this.ready();
    return this.querySync(request);
  }

  async scan(request: ScanRequest): Promise<Page<StoredItem>> {
    await this.ready();
    return this.scanSync(request);
  }

  async queryIndex(request: IndexQueryRequest): Promise<Page<IndexedItem, IndexPosition>> {
    await this.ready();
    return this.queryIndexSync(request);
  }

  async scanIndex(request: IndexScanRequest): Promise<Page<IndexedItem, IndexPosition>> {
    await this.ready();
    return this.scanIndexSync(request);
  }

  async dropIndex(table: string, index: string): Promise<void> {
    await this.ready();
    const t = this.table(table);
    this.atomically(() => {
      this.s.dropIndex.run(t.id, index);
      this.s.dropIndexStats.run(t.id, index);
    });
  }

  async tableStats(table: string): Promise<TableStats> {
    await this.ready();
    const rows = this.s.readStats.all(this.table(table).id) as { idx: string; items: number; bytes: number }[];
    let own = { items: 0, bytes: 0 };
    const indexes: Record<string, { items: number; bytes: number }> = {};
    for (const r of rows) {
      if (r.idx === '') own = { items: r.items, bytes: r.bytes };
      else indexes[r.idx] = { items: r.items, bytes: r.bytes };
    }
    return { ...own, indexes };
  }

  async createTable(name: string, keySchema: KeySchema, metadata: string): Promise<TableInfo> {
    await this.ready();
    if (typeof name !== 'string' || name.length === 0) throw new StorageError('InvalidRequest', 'table name is empty');
    if (!keySchema?.partitionKey?.name) throw new StorageError('InvalidRequest', 'key schema needs a partition key');
    const created = this.db.transaction((): TableInfo => {
      if (this.s.tableByName.get(name)) throw new StorageError('TableExists', `table already exists: ${name}`);
      const id = (this.s.nextTableId.get() as { id: number }).id;
      const schema: KeySchema = keySchema.sortKey
        ? { partitionKey: { name: keySchema.partitionKey.name, type: keySchema.partitionKey.type }, sortKey: { name: keySchema.sortKey.name, type: keySchema.sortKey.type } }
        : { partitionKey: { name: keySchema.partitionKey.name, type: keySchema.partitionKey.type } };
      const createdAt = Date.now();
      this.s.insertTable.run(name, id, JSON.stringify(schema), metadata, createdAt);
      this.tables.delete(name);
      return { name, keySchema: schema, metadata, createdAt };
    }).immediate();
    return this.acknowledge(created);
  }

  async updateTableMetadata(name: string, metadata: string): Promise<TableInfo> {
    await this.ready();
    const t = this.table(name);
    this.s.updateTable.run(metadata, name);
    this.tables.delete(name);
    return this.acknowledge({ ...t.info, metadata });
  }

  async deleteTable(name: string): Promise<TableInfo> {
    await this.ready();
    const t = this.table(name);
    this.db.transaction(() => {
      this.s.deleteTable.run(name);
      this.s.dropTable.run(t.id);
    }).immediate();
    this.tables.delete(name);
    return this.acknowledge(t.info);
  }

  async getTable(name: string): Promise<TableInfo | undefined> {
    await this.ready();
    return this.getTableSync(name);
  }

  private getTableSync(name: string): TableInfo | undefined {
    try {
      return this.table(name).info;
    } catch (err) {
      if (err instanceof StorageError && err.code === 'TableNotFound') return undefined;
      throw err;
    }
  }

  async listTables(request: ListTablesRequest = {}): Promise<{ tables: TableInfo[]; lastName?: string }> {
    await this.ready();
    const limit = boundedInt(request.limit, 100, MAX_PAGE_ITEMS, 'limit');
    const rows = (request.startAfter !== undefined ? this.s.tablesAfter.all(request.startAfter, limit + 1) : this.s.tablesFirst.all(limit + 1)) as TableRow[];
    const more = rows.length > limit;
    const tables = rows.slice(0, limit).map((r) => toCached(r).info);
    return more ? { tables, lastName: tables[tables.length - 1]!.name } : { tables };
  }

  async transaction<T>(fn: (tx: StorageTransaction) => Promise<T> | T): Promise<T> {
    await this.ready();
    let release!: () => void;
    this.lock = new Promise<void>((resolve) => (release = resolve));
    let open = true;
    let wrote = false;
    const guard = <A extends unknown[], R>(f: (...args: A) => R) => async (...args: A): Promise<R> => {
      if (!open) throw new StorageError('InvalidRequest', 'transaction is over');
      return f(...args);
    };
    const tx: StorageTransaction = {
      getTable: guard((name: string) => this.getTableSync(name)),
      getItem: guard((table: string, key: ItemKey) => this.getSync(table, key)),
      putItem: guard((table: string, key: ItemKey, item: string, indexEntries?: readonly IndexEntry[]) => ((wrote = true), this.putSync(table, key, item, indexEntries))),
      deleteItem: guard((table: string, key: ItemKey) => ((wrote = true), this.deleteSync(table, key))),
      query: guard((q: QueryRequest) => this.querySync(q)),
      scan: guard((q: ScanRequest) => this.scanSync(q)),
      queryIndex: guard((q: IndexQueryRequest) => this.queryIndexSync(q)),
      scanIndex: guard((q: IndexScanRequest) => this.scanIndexSync(q)),
      appendChange: guard((table: string, data: string) => ((wrote = true), this.appendChangeSync(table, data))),
    };
    let result: T;
    try {
      this.s.begin.run();
      try {
        result = await fn(tx);
        open = false;
        this.s.commit.run();
      } catch (err) {
        open = false;
        if (this.db.inTransaction) this.s.rollback.run();
        throw err;
      }
    } finally {
      open = false;
      this.lock = null;
      release();
    }
    // Other calls may proceed while the fsync runs: the commit is visible, only its acknowledgement waits.
    return wrote ? this.acknowledge(result) : result;
  }

  async readChanges(table: string, afterSeq: number, limit?: number): Promise<ChangeRecord[]> {
    await this.ready();
    const t = this.table(table);
    const n = boundedInt(limit, MAX_PAGE_ITEMS, MAX_PAGE_ITEMS, 'limit');
    const rows = this.s.readChanges.all(t.id, afterSeq, n) as { seq: number; created_at: number; data: string }[];
    return rows.map((r) => ({ seq: r.seq, table, createdAt: r.created_at, data: r.data }));
  }

  async trimChanges(retentionMs: number, now: number = Date.now(), maxRecords?: number): Promise<number> {
    await this.ready();
    const n = boundedInt(maxRecords, 10_000, Number.MAX_SAFE_INTEGER, 'maxRecords');
    return this.db.transaction((): number => {
      this.s.markTrims.run(now - retentionMs, n);
      return this.s.trimChanges.run(now - retentionMs, n).changes;
    }).immediate();
  }

  async changeBounds(table: string): Promise<ChangeBounds> {
    await this.ready();
    const t = this.table(table);
    const trimmed = (this.s.trimmedThrough.get(t.id) as number | undefined) ?? 0;
    const last = (this.s.lastChange.get(t.id) as number | null) ?? 0;
    // A table whose records were all trimmed still ends where its log ended.
    return { trimmedThrough: trimmed, last: Math.max(last, trimmed) };
  }

  async readCheckpoint(name: string): Promise<string | undefined> {
    await this.ready();
    return this.s.readCheckpoint.get(name) as string | undefined;
  }

  async writeCheckpoint(name: string, value: string): Promise<void> {
    await this.ready();
    this.s.writeCheckpoint.run(name, value);
    // A position that went back after a power loss would deliver acknowledged batches again.
    return this.acknowledge(undefined);
  }

  async reclaim(maxRows = 10_000): Promise<number> {
    await this.ready();
    return reclaimDropped(this.db, this.s, boundedInt(maxRows, 10_000, Number.MAX_SAFE_INTEGER, 'maxRows'));
  }

  async close(): Promise<void> {
    while (this.lock) await this.lock;
    if (this.closed) return;
    this.closed = true;
    await this.groupCommit?.close();
    this.db.close();
  }
}
