/**
 * The SQLite side of the embedded storage: the schema, its migration, and every statement prepared once per
 * connection.
 *
 * Schema: `tables` (name → table_id, key schema, metadata), `items` WITHOUT ROWID with PRIMARY KEY
 * (table_id, pk, sk) and the item as TEXT (plus `ph`, the partition hash that places the item in a scan segment),
 * `changes` (the change log, seq INTEGER PRIMARY KEY AUTOINCREMENT so sequence numbers are never reused),
 * `change_trims` (per table, the highest sequence number trimmed), `checkpoints` (name → value),
 * `dropped_tables` (table ids whose rows `reclaim` still has to delete), `meta` (schema version, next table id),
 * `index_entries` (secondary index keys, see `sqlite-index.ts`) and `table_stats` (item count and bytes per table,
 * idx '', and per index, updated in the transaction of each write).
 * Each table name gets a fresh table_id at creation, so a table deleted and created again never sees old rows.
 */

import type Database from 'better-sqlite3';
import type { KeySchema, TableInfo } from './storage.js';

export const SCHEMA_VERSION = 1;

export type Stmt = Database.Statement<unknown[], unknown>;

export interface TableRow {
  name: string;
  table_id: number;
  key_schema: string;
  metadata: string;
  created_at: number;
}

export interface ItemRow {
  pk: Buffer;
  sk: Buffer;
  item: string;
}

/** A range statement's raw row: the sort key in hex, the item. */
export type RangeRow = [string, string];

export interface ScanRow extends ItemRow {
  ph: number;
}

export interface IndexRow extends ItemRow {
  ipk: Buffer;
  isk: Buffer;
}

/** A table as the storage addresses it: its internal id (fresh for each creation) and its public description. */
export interface CachedTable {
  id: number;
  info: TableInfo;
  hasSortKey: boolean;
}

export function toCached(row: TableRow): CachedTable {
  const keySchema = JSON.parse(row.key_schema) as KeySchema;
  return {
    id: row.table_id,
    hasSortKey: keySchema.sortKey !== undefined,
    info: { name: row.name, keySchema, metadata: row.metadata, createdAt: row.created_at },
  };
}

/** Creates the schema if the file is new, and refuses a file written with another schema version. */
export function migrate(db: Database.Database, path: string): void {
  const hadStats = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'table_stats'`).get() !== undefined;
  db.exec(`
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
      CREATE TABLE IF NOT EXISTS index_entries (
        table_id INTEGER NOT NULL,
        idx TEXT NOT NULL,
        ipk BLOB NOT NULL,
        isk BLOB NOT NULL,
        pk BLOB NOT NULL,
        sk BLOB NOT NULL,
        ph INTEGER NOT NULL,
        PRIMARY KEY (table_id, idx, ipk, isk, pk, sk)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS index_entries_by_item ON index_entries (table_id, pk, sk);
      CREATE TABLE IF NOT EXISTS table_stats (
        table_id INTEGER NOT NULL,
        idx TEXT NOT NULL,
        items INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        PRIMARY KEY (table_id, idx)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS change_trims (table_id INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      INSERT OR IGNORE INTO meta (k, v) VALUES ('schema_version', ${SCHEMA_VERSION}), ('next_table_id', 1);
    `);
  const version = (db.prepare(`SELECT v FROM meta WHERE k = 'schema_version'`).get() as { v: number }).v;
  if (version !== SCHEMA_VERSION) throw new Error(`${path}: storage schema version ${version}, expected ${SCHEMA_VERSION}`);
  // A file written before statistics existed: count its items once, so the running counts start right.
  if (!hadStats) {
    db.exec(`INSERT INTO table_stats (table_id, idx, items, bytes)
      SELECT table_id, '', count(*), sum(length(pk) + length(sk) + length(item)) FROM items GROUP BY table_id`);
  }
}

export type StatementName =
  | 'begin'
  | 'commit'
  | 'rollback'
  | 'tableByName'
  | 'tablesFirst'
  | 'tablesAfter'
  | 'nextTableId'
  | 'insertTable'
  | 'updateTable'
  | 'deleteTable'
  | 'dropTable'
  | 'droppedFirst'
  | 'reclaimItems'
  | 'reclaimChanges'
  | 'undrop'
  | 'dropTrims'
  | 'getItem'
  | 'putItem'
  | 'deleteItem'
  | 'scanFirst'
  | 'scanAfter'
  | 'deleteEntries'
  | 'insertEntry'
  | 'dropIndex'
  | 'dropIndexStats'
  | 'addStats'
  | 'readStats'
  | 'reclaimEntries'
  | 'reclaimStats'
  | 'appendChange'
  | 'readChanges'
  | 'trimChanges'
  | 'markTrims'
  | 'trimmedThrough'
  | 'lastChange'
  | 'readCheckpoint'
  | 'writeCheckpoint';

export type Statements = Record<StatementName, Stmt>;

/** Prepares every fixed statement once, so each call only binds and runs. */
export function prepareStatements(db: Database.Database): Statements {
  const p = (sql: string): Stmt => db.prepare(sql);
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
    dropTrims: p('DELETE FROM change_trims WHERE table_id = ?'),
    getItem: p('SELECT item FROM items WHERE table_id = ? AND pk = ? AND sk = ?').pluck(),
    putItem: p('INSERT INTO items (table_id, pk, sk, ph, item) VALUES (?, ?, ?, ?, ?) ON CONFLICT (table_id, pk, sk) DO UPDATE SET item = excluded.item'),
    deleteItem: p('DELETE FROM items WHERE table_id = ? AND pk = ? AND sk = ? RETURNING item').pluck(),
    scanFirst: p('SELECT ph, pk, sk, item FROM items WHERE table_id = ? ORDER BY pk, sk LIMIT ?'),
    scanAfter: p('SELECT ph, pk, sk, item FROM items WHERE table_id = ? AND (pk, sk) > (?, ?) ORDER BY pk, sk LIMIT ?'),
    deleteEntries: p('DELETE FROM index_entries WHERE table_id = ? AND pk = ? AND sk = ? RETURNING idx').pluck(),
    insertEntry: p('INSERT OR REPLACE INTO index_entries (table_id, idx, ipk, isk, pk, sk, ph) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    dropIndex: p('DELETE FROM index_entries WHERE table_id = ? AND idx = ?'),
    dropIndexStats: p('DELETE FROM table_stats WHERE table_id = ? AND idx = ?'),
    addStats: p(
      'INSERT INTO table_stats (table_id, idx, items, bytes) VALUES (?, ?, ?, ?) ON CONFLICT (table_id, idx) DO UPDATE SET items = items + excluded.items, bytes = bytes + excluded.bytes',
    ),
    readStats: p('SELECT idx, items, bytes FROM table_stats WHERE table_id = ?'),
    reclaimEntries: p('DELETE FROM index_entries WHERE (table_id, idx, ipk, isk, pk, sk) IN (SELECT table_id, idx, ipk, isk, pk, sk FROM index_entries WHERE table_id = ? LIMIT ?)'),
    reclaimStats: p('DELETE FROM table_stats WHERE table_id = ?'),
    appendChange: p('INSERT INTO changes (table_id, created_at, data) VALUES (?, ?, ?)'),
    readChanges: p('SELECT seq, created_at, data FROM changes WHERE table_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    trimChanges: p('DELETE FROM changes WHERE seq IN (SELECT seq FROM changes WHERE created_at < ? ORDER BY created_at LIMIT ?)'),
    // Run just before trimChanges with the same arguments, in its transaction: remembers how far each table was trimmed.
    markTrims: p(
      'INSERT INTO change_trims (table_id, seq) SELECT table_id, max(seq) FROM (SELECT table_id, seq FROM changes WHERE created_at < ? ORDER BY created_at LIMIT ?) ' +
        'WHERE true GROUP BY table_id ON CONFLICT (table_id) DO UPDATE SET seq = max(seq, excluded.seq)',
    ),
    trimmedThrough: p('SELECT seq FROM change_trims WHERE table_id = ?').pluck(),
    lastChange: p('SELECT max(seq) FROM changes WHERE table_id = ?').pluck(),
    readCheckpoint: p('SELECT value FROM checkpoints WHERE name = ?').pluck(),
    writeCheckpoint: p('INSERT INTO checkpoints (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
  };
}

/** Range statements by [forward][lower kind][upper kind], kind 0 none, 1 inclusive, 2 exclusive. */
export type RangeStatements = Stmt[][][];

/**
 * One query statement per direction and bound kind, since SQLite cannot plan an optional bound as a parameter.
 * Parameters: table id, pk, the lower bound if any, the upper bound if any, the row limit. Rows are raw
 * `[hex(sk), item]`: the pk is the request's, and a hex string (decoded only when read) costs a fraction of the
 * Buffer better-sqlite3 makes for a BLOB column (what dominated a Query's CPU time).
 */
export function prepareRangeStatements(db: Database.Database): RangeStatements {
  const out: Stmt[][][] = [];
  for (const forward of [false, true]) {
    const byLower: Stmt[][] = [];
    for (const lower of [0, 1, 2]) {
      const byUpper: Stmt[] = [];
      for (const upper of [0, 1, 2]) {
        let where = 'table_id = ? AND pk = ?';
        if (lower) where += ` AND sk ${lower === 1 ? '>=' : '>'} ?`;
        if (upper) where += ` AND sk ${upper === 1 ? '<=' : '<'} ?`;
        const order = forward ? 'ASC' : 'DESC';
        byUpper.push(db.prepare(`SELECT hex(sk), item FROM items WHERE ${where} ORDER BY sk ${order} LIMIT ?`).raw());
      }
      byLower.push(byUpper);
    }
    out.push(byLower);
  }
  return out;
}
