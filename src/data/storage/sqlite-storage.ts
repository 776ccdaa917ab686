/**
 * The embedded storage: one SQLite database file through better-sqlite3.
 *
 * Durability. The database runs in WAL mode. With `synchronous: 'FULL'` (the default) every commit fsyncs the WAL
 * before it returns, so a write whose promise resolved survives kill -9 and power loss. With `synchronous: 'NORMAL'`
 * the WAL is fsynced only at checkpoints: a resolved write survives kill -9 (it is in the OS's page cache), but a
 * power loss or kernel crash may lose the last transactions before a checkpoint — never corrupt the database.
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
 * Schema: `tables` (name → table_id, key schema, metadata), `items` WITHOUT ROWID with PRIMARY KEY
 * (table_id, pk, sk) and the item as TEXT (plus `ph`, the partition hash that places the item in a scan segment),
 * `changes` (the change log, seq INTEGER PRIMARY KEY AUTOINCREMENT so sequence numbers are never reused),
 * `dropped_tables` (table ids whose rows `reclaim` still has to delete) and `meta` (schema version, next table id).
 * Each table name gets a fresh table_id at creation, so a table deleted and created again never sees old rows.
 */

import Database from 'better-sqlite3';
import {
  MAX_EXAMINED,
  MAX_PAGE_ITEMS,
  StorageError,
  partitionHash,
  segmentHashRange,
  type ChangeRecord,
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
} from './storage.js';

export interface SqliteStorageOptions {
  /** 'FULL' (default): a resolved write survives power loss. 'NORMAL': survives kill -9, not always power loss. */
  synchronous?: 'FULL' | 'NORMAL';
  /** How long a statement waits for a lock held by another connection (ms). Default 5000. */
  busyTimeoutMs?: number;
}

const SCHEMA_VERSION = 1;

interface TableRow {
  name: string;
  table_id: number;
  key_schema: string;
  metadata: string;
  created_at: number;
}

interface CachedTable {
  id: number;
  info: TableInfo;
  hasSortKey: boolean;
}

interface ItemRow {
  pk: Buffer;
  sk: Buffer;
  item: string;
}

interface ScanRow extends ItemRow {
  ph: number;
}

type Stmt = Database.Statement<unknown[], unknown>;

const EMPTY = Buffer.alloc(0);

function toBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

function boundedInt(value: number | undefined, fallback: number, max: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new StorageError('InvalidRequest', `${what} must be a positive integer`);
  return Math.min(value, max);
}

export class SqliteStorage implements Storage {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly tables = new Map<string, CachedTable>();
  private lock: Promise<void> | null = null;
  private closed = false;
  private readonly s: Record<string, Stmt>;
  /** Range statements by [forward][lower kind][upper kind], kind 0 none, 1 inclusive, 2 exclusive. */
  private readonly rangeStmts: Stmt[][][];

  static open(path: string, options: SqliteStorageOptions = {}): SqliteStorage {
    return new SqliteStorage(path, options);
  }

  private constructor(path: string, options: SqliteStorageOptions) {
    this.path = path;
    const db = new Database(path);
    this.db = db;
    try {
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (path !== ':memory:' && String(mode).toLowerCase() !== 'wal') throw new Error(`cannot enable WAL on ${path} (got ${String(mode)})`);
      const sync = options.synchronous ?? 'FULL';
      if (sync !== 'FULL' && sync !== 'NORMAL') throw new Error(`synchronous must be FULL or NORMAL, not ${String(sync)}`);
      db.pragma(`synchronous = ${sync}`);
      db.pragma('foreign_keys = OFF');
      this.migrate();
      this.s = this.prepareAll();
      this.rangeStmts = this.prepareRanges();
    } catch (err) {
      db.close();
      throw err;
    }
  }

  private migrate(): void {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS tables (
        name TEXT PRIMARY KEY,
        table_id INTEGER NOT NULL UNIQUE,
        key_schema TEXT NOT NULL,
        metadata TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS items (
        table_id INTEGER NOT NULL,
        pk BLOB NOT NULL,
        sk BLOB NOT NULL,
        ph INTEGER NOT NULL,
        item TEXT NOT NULL,
        PRIMARY KEY (table_id, pk, sk)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        table_id INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS changes_by_table ON changes (table_id, seq);
      CREATE INDEX IF NOT EXISTS changes_by_time ON changes (created_at);
      CREATE TABLE IF NOT EXISTS dropped_tables (table_id INTEGER PRIMARY KEY);
      INSERT OR IGNORE INTO meta (k, v) VALUES ('schema_version', ${SCHEMA_VERSION}), ('next_table_id', 1);
    `);
    const version = (this.db.prepare(`SELECT v FROM meta WHERE k = 'schema_version'`).get() as { v: number }).v;
    if (version !== SCHEMA_VERSION) throw new Error(`${this.path}: storage schema version ${version}, expected ${SCHEMA_VERSION}`);
  }

  private prepareAll(): Record<string, Stmt> {
    const p = (sql: string): Stmt => this.db.prepare(sql);
    return {
      begin: p('BEGIN IMMEDIATE'),
      commit: p('COMMIT'),
      rollback: p('ROLLBACK'),
      tableByName: p('SELECT name, table_id, key_schema, metadata, created_at FROM tables WHERE name = ?'),
      tablesFirst: p('SELECT name, table_id, key_schema, metadata, created_at FROM tables ORDER BY name LIMIT ?'),
      tablesAfter: p('SELECT name, table_id, key_schema, metadata, created_at FROM tables WHERE name > ? ORDER BY name LIMIT ?'),
      nextTableId: p(`UPDATE meta SET v = v + 1 WHERE k = 'next_table_id' RETURNING v - 1 AS id`),
      insertTable: p('INSERT INTO tables (name, table_id, key_schema, metadata, created_at) VALUES (?, ?, ?, ?, ?)'),
      updateTable: p('UPDATE tables SET metadata = ? WHERE name = ?'),
      deleteTable: p('DELETE FROM tables WHERE name = ?'),
      dropTable: p('INSERT INTO dropped_tables (table_id) VALUES (?)'),
      droppedFirst: p('SELECT table_id FROM dropped_tables ORDER BY table_id LIMIT 1'),
      reclaimItems: p('DELETE FROM items WHERE (table_id, pk, sk) IN (SELECT table_id, pk, sk FROM items WHERE table_id = ? LIMIT ?)'),
      reclaimChanges: p('DELETE FROM changes WHERE seq IN (SELECT seq FROM changes WHERE table_id = ? ORDER BY seq LIMIT ?)'),
      undrop: p('DELETE FROM dropped_tables WHERE table_id = ?'),
      getItem: p('SELECT item FROM items WHERE table_id = ? AND pk = ? AND sk = ?').pluck(),
      putItem: p('INSERT INTO items (table_id, pk, sk, ph, item) VALUES (?, ?, ?, ?, ?) ON CONFLICT (table_id, pk, sk) DO UPDATE SET item = excluded.item'),
      deleteItem: p('DELETE FROM items WHERE table_id = ? AND pk = ? AND sk = ? RETURNING item').pluck(),
      scanFirst: p('SELECT ph, pk, sk, item FROM items WHERE table_id = ? ORDER BY pk, sk LIMIT ?'),
      scanAfter: p('SELECT ph, pk, sk, item FROM items WHERE table_id = ? AND (pk, sk) > (?, ?) ORDER BY pk, sk LIMIT ?'),
      appendChange: p('INSERT INTO changes (table_id, created_at, data) VALUES (?, ?, ?)'),
      readChanges: p('SELECT seq, created_at, data FROM changes WHERE table_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
      trimChanges: p('DELETE FROM changes WHERE seq IN (SELECT seq FROM changes WHERE created_at < ? ORDER BY created_at LIMIT ?)'),
    };
  }

  private prepareRanges(): Stmt[][][] {
    const out: Stmt[][][] = [];
    for (const forward of [false, true]) {
      const byLower: Stmt[][] = [];
      for (const lower of [0, 1, 2]) {
        const byUpper: Stmt[] = [];
        for (const upper of [0, 1, 2]) {
          let where = 'table_id = @t AND pk = @pk';
          if (lower) where += ` AND sk ${lower === 1 ? '>=' : '>'} @lo`;
          if (upper) where += ` AND sk ${upper === 1 ? '<=' : '<'} @hi`;
          const order = forward ? 'ASC' : 'DESC';
          byUpper.push(this.db.prepare(`SELECT pk, sk, item FROM items WHERE ${where} ORDER BY sk ${order} LIMIT @n`));
        }
        byLower.push(byUpper);
      }
      out.push(byLower);
    }
    return out;
  }

  /** The connection's durability settings, as SQLite reports them (for tests and diagnostics). */
  settings(): { journalMode: string; synchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA' } {
    const journalMode = String(this.db.pragma('journal_mode', { simple: true }));
    const level = Number(this.db.pragma('synchronous', { simple: true }));
    return { journalMode, synchronous: (['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const)[level]! };
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
    const row = this.s.tableByName!.get(name) as TableRow | undefined;
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
    return this.s.getItem!.get(t.id, pk, sk) as string | undefined;
  }

  private putSync(table: string, key: ItemKey, item: string): string | undefined {
    if (typeof item !== 'string') throw new StorageError('InvalidRequest', 'item must be a JSON string');
    const t = this.table(table);
    const { pk, sk } = this.checkKey(t, key);
    const previous = this.s.getItem!.get(t.id, pk, sk) as string | undefined;
    this.s.putItem!.run(t.id, pk, sk, partitionHash(pk), item);
    return previous;
  }

  private deleteSync(table: string, key: ItemKey): string | undefined {
    const t = this.table(table);
    const { pk, sk } = this.checkKey(t, key);
    return this.s.deleteItem!.get(t.id, pk, sk) as string | undefined;
  }

  private querySync(q: QueryRequest): Page<StoredItem> {
    const t = this.table(q.table);
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
    const stmt = this.rangeStmts[forward ? 1 : 0]![lower ? (lower.inclusive ? 1 : 2) : 0]![upper ? (upper.inclusive ? 1 : 2) : 0]!;
    const params: Record<string, unknown> = { t: t.id, pk: toBuffer(q.pk), n: limit + 1 };
    if (lower) params.lo = lower.key;
    if (upper) params.hi = upper.key;
    return page(stmt.all(params) as ItemRow[], limit, q.maxBytes);
  }

  private scanSync(q: ScanRequest): Page<StoredItem> {
    const t = this.table(q.table);
    const limit = boundedInt(q.limit, MAX_PAGE_ITEMS, MAX_PAGE_ITEMS, 'limit');
    const maxExamined = boundedInt(q.maxExamined, MAX_EXAMINED, Number.MAX_SAFE_INTEGER, 'maxExamined');
    let range: { lo: number; hi: number } | undefined;
    if (q.segment !== undefined || q.totalSegments !== undefined) {
      range = segmentHashRange(q.segment ?? -1, q.totalSegments ?? 0);
      if (q.totalSegments === 1) range = undefined;
    }
    if (!range) return page((q.startAfter ? this.s.scanAfter!.all(t.id, toBuffer(q.startAfter.pk), toBuffer(q.startAfter.sk ?? EMPTY), limit + 1) : this.s.scanFirst!.all(t.id, limit + 1)) as ItemRow[], limit, q.maxBytes);
    const rows = q.startAfter
      ? this.s.scanAfter!.iterate(t.id, toBuffer(q.startAfter.pk), toBuffer(q.startAfter.sk ?? EMPTY), maxExamined + 1)
      : this.s.scanFirst!.iterate(t.id, maxExamined + 1);
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

  private appendChangeSync(table: string, data: string): number {
    if (typeof data !== 'string') throw new StorageError('InvalidRequest', 'change data must be a JSON string');
    const t = this.table(table);
    return Number(this.s.appendChange!.run(t.id, Date.now(), data).lastInsertRowid);
  }

  // ---- Storage ---------------------------------------------------------------------------------------------------

  async getItem(table: string, key: ItemKey): Promise<string | undefined> {
    await this.ready();
    return this.getSync(table, key);
  }

  async putItem(table: string, key: ItemKey, item: string): Promise<string | undefined> {
    await this.ready();
    // Read-then-write in one SQLite transaction: one commit (one fsync), and nothing can slip in between.
    this.s.begin!.run();
    try {
      const previous = this.putSync(table, key, item);
      this.s.commit!.run();
      return previous;
    } catch (err) {
      if (this.db.inTransaction) this.s.rollback!.run();
      throw err;
    }
  }

  async deleteItem(table: string, key: ItemKey): Promise<string | undefined> {
    await this.ready();
    return this.deleteSync(table, key);
  }

  async query(request: QueryRequest): Promise<Page<StoredItem>> {
    await this.ready();
    return this.querySync(request);
  }

  async scan(request: ScanRequest): Promise<Page<StoredItem>> {
    await this.ready();
    return this.scanSync(request);
  }

  async createTable(name: string, keySchema: KeySchema, metadata: string): Promise<TableInfo> {
    await this.ready();
    if (typeof name !== 'string' || name.length === 0) throw new StorageError('InvalidRequest', 'table name is empty');
    if (!keySchema?.partitionKey?.name) throw new StorageError('InvalidRequest', 'key schema needs a partition key');
    return this.db.transaction((): TableInfo => {
      if (this.s.tableByName!.get(name)) throw new StorageError('TableExists', `table already exists: ${name}`);
      const id = (this.s.nextTableId!.get() as { id: number }).id;
      const schema: KeySchema = keySchema.sortKey
        ? { partitionKey: { name: keySchema.partitionKey.name, type: keySchema.partitionKey.type }, sortKey: { name: keySchema.sortKey.name, type: keySchema.sortKey.type } }
        : { partitionKey: { name: keySchema.partitionKey.name, type: keySchema.partitionKey.type } };
      const createdAt = Date.now();
      this.s.insertTable!.run(name, id, JSON.stringify(schema), metadata, createdAt);
      this.tables.delete(name);
      return { name, keySchema: schema, metadata, createdAt };
    }).immediate();
  }

  async updateTableMetadata(name: string, metadata: string): Promise<TableInfo> {
    await this.ready();
    const t = this.table(name);
    this.s.updateTable!.run(metadata, name);
    this.tables.delete(name);
    return { ...t.info, metadata };
  }

  async deleteTable(name: string): Promise<TableInfo> {
    await this.ready();
    const t = this.table(name);
    this.db.transaction(() => {
      this.s.deleteTable!.run(name);
      this.s.dropTable!.run(t.id);
    }).immediate();
    this.tables.delete(name);
    return t.info;
  }

  async getTable(name: string): Promise<TableInfo | undefined> {
    await this.ready();
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
    const rows = (request.startAfter !== undefined ? this.s.tablesAfter!.all(request.startAfter, limit + 1) : this.s.tablesFirst!.all(limit + 1)) as TableRow[];
    const more = rows.length > limit;
    const tables = rows.slice(0, limit).map((r) => toCached(r).info);
    return more ? { tables, lastName: tables[tables.length - 1]!.name } : { tables };
  }

  async transaction<T>(fn: (tx: StorageTransaction) => Promise<T> | T): Promise<T> {
    await this.ready();
    let release!: () => void;
    this.lock = new Promise<void>((resolve) => (release = resolve));
    let open = true;
    const guard = <A extends unknown[], R>(f: (...args: A) => R) => async (...args: A): Promise<R> => {
      if (!open) throw new StorageError('InvalidRequest', 'transaction is over');
      return f(...args);
    };
    const tx: StorageTransaction = {
      getItem: guard((table: string, key: ItemKey) => this.getSync(table, key)),
      putItem: guard((table: string, key: ItemKey, item: string) => this.putSync(table, key, item)),
      deleteItem: guard((table: string, key: ItemKey) => this.deleteSync(table, key)),
      query: guard((q: QueryRequest) => this.querySync(q)),
      scan: guard((q: ScanRequest) => this.scanSync(q)),
      appendChange: guard((table: string, data: string) => this.appendChangeSync(table, data)),
    };
    try {
      this.s.begin!.run();
      let result: T;
      try {
        result = await fn(tx);
        open = false;
        this.s.commit!.run();
      } catch (err) {
        open = false;
        if (this.db.inTransaction) this.s.rollback!.run();
        throw err;
      }
      return result;
    } finally {
      open = false;
      this.lock = null;
      release();
    }
  }

  async readChanges(table: string, afterSeq: number, limit?: number): Promise<ChangeRecord[]> {
    await this.ready();
    const t = this.table(table);
    const n = boundedInt(limit, MAX_PAGE_ITEMS, MAX_PAGE_ITEMS, 'limit');
    const rows = this.s.readChanges!.all(t.id, afterSeq, n) as { seq: number; created_at: number; data: string }[];
    return rows.map((r) => ({ seq: r.seq, table, createdAt: r.created_at, data: r.data }));
  }

  async trimChanges(retentionMs: number, now: number = Date.now(), maxRecords?: number): Promise<number> {
    await this.ready();
    const n = boundedInt(maxRecords, 10_000, Number.MAX_SAFE_INTEGER, 'maxRecords');
    return this.s.trimChanges!.run(now - retentionMs, n).changes;
  }

  async reclaim(maxRows = 10_000): Promise<number> {
    await this.ready();
    const budget = boundedInt(maxRows, 10_000, Number.MAX_SAFE_INTEGER, 'maxRows');
    let done = 0;
    while (done < budget) {
      const dropped = this.s.droppedFirst!.get() as { table_id: number } | undefined;
      if (!dropped) break;
      const id = dropped.table_id;
      const n = this.db.transaction((): number => {
        let removed = this.s.reclaimItems!.run(id, budget - done).changes;
        if (removed < budget - done) removed += this.s.reclaimChanges!.run(id, budget - done - removed).changes;
        if (removed < budget - done) this.s.undrop!.run(id);
        return removed;
      }).immediate();
      done += n;
      if (n === 0 && !this.s.droppedFirst!.get()) break;
    }
    return done;
  }

  async close(): Promise<void> {
    while (this.lock) await this.lock;
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

function toCached(row: TableRow): CachedTable {
  const keySchema = JSON.parse(row.key_schema) as KeySchema;
  return {
    id: row.table_id,
    hasSortKey: keySchema.sortKey !== undefined,
    info: { name: row.name, keySchema, metadata: row.metadata, createdAt: row.created_at },
  };
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
