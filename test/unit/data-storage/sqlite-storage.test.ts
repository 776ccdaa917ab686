import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStorage } from '../../../src/data/storage/sqlite-storage.js';
import { encodeString } from '../../../src/data/storage/key-encoding.js';
import { storageContract } from './storage-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'portico-sqlite-storage-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const freshPath = (): string => join(dir, `db-${process.pid}-${counter++}.sqlite`);

storageContract('sqlite (FULL)', async () => SqliteStorage.open(freshPath()));
storageContract('sqlite (NORMAL)', async () => SqliteStorage.open(freshPath(), { synchronous: 'NORMAL' }));

const key = (pk: string) => ({ pk: encodeString(pk), sk: Buffer.alloc(0) });

test('sqlite: WAL with synchronous FULL by default, NORMAL on request, anything else refused', async () => {
  const path = freshPath();
  const full = SqliteStorage.open(path);
  assert.deepEqual(full.settings(), { journalMode: 'wal', synchronous: 'FULL' });
  await full.close();
  const normal = SqliteStorage.open(path, { synchronous: 'NORMAL' });
  assert.deepEqual(normal.settings(), { journalMode: 'wal', synchronous: 'NORMAL' });
  await normal.close();
  assert.throws(() => SqliteStorage.open(path, { synchronous: 'OFF' as 'FULL' }), /synchronous must be FULL or NORMAL/);
});

test('sqlite FULL: a write is acknowledged only after an fsync of the WAL, and concurrent writes share the next one', async () => {
  const held: Array<() => void> = [];
  const path = freshPath();
  const st = SqliteStorage.open(path, { fsync: (_fd, done) => held.push(() => done(null)) });
  const create = st.createTable('T', { partitionKey: { name: 'id', type: 'S' } }, '{}');
  await until(() => held.length === 1);
  held.shift()!();
  await create;
  const acknowledged: string[] = [];
  const first = st.putItem('T', key('a'), '{"n":1}').then(() => acknowledged.push('a'));
  await until(() => held.length === 1);
  const others = ['b', 'c', 'd'].map((id) => st.putItem('T', key(id), '{"n":2}').then(() => acknowledged.push(id)));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(acknowledged, [], 'nothing acknowledged while its fsync is held');
  assert.equal(await st.getItem('T', key('d')), '{"n":2}', 'committed writes are visible before they are acknowledged');
  held.shift()!();
  await first;
  assert.deepEqual(acknowledged, ['a'], 'the first fsync covers only the write made before it started');
  await until(() => held.length === 1);
  assert.equal(held.length, 1, 'the three later writes share one fsync');
  held.shift()!();
  await Promise.all(others);
  assert.deepEqual(acknowledged.sort(), ['a', 'b', 'c', 'd']);
  await st.close();
});

test('sqlite FULL: a failed fsync fails the write it was to acknowledge, and every write after it', async () => {
  let fail = false;
  const st = SqliteStorage.open(freshPath(), { fsync: (_fd, done) => done(fail ? Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }) : null) });
  await st.createTable('T', { partitionKey: { name: 'id', type: 'S' } }, '{}');
  fail = true;
  await assert.rejects(st.putItem('T', key('a'), '{}'), /fsync of .*-wal failed: EIO/);
  fail = false;
  // Linux reports a write-back error once: a later fsync that succeeds proves nothing about the lost pages.
  await assert.rejects(st.putItem('T', key('b'), '{}'), /fsync of .*-wal failed: EIO.*; writes are refused until Portico restarts/);
  await st.close();
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(condition(), 'condition reached');
}

test('sqlite: the schema is WITHOUT ROWID items keyed (table_id, pk, sk) with the item as TEXT', async () => {
  const path = freshPath();
  const st = SqliteStorage.open(path);
  await st.createTable('T', { partitionKey: { name: 'id', type: 'S' } }, '{}');
  await st.putItem('T', key('a'), '{"a":1}');
  await st.close();
  const db = new Database(path, { readonly: true });
  try {
    const sql = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'items'`).pluck().get() as string).replace(/\s+/g, ' ');
    assert.match(sql, /PRIMARY KEY \(table_id, pk, sk\) \) WITHOUT ROWID/);
    assert.equal(db.prepare('SELECT typeof(item) FROM items').pluck().get(), 'text');
    assert.equal(db.prepare('SELECT typeof(pk) FROM items').pluck().get(), 'blob');
  } finally {
    db.close();
  }
});

test('sqlite: tables, items and the change log persist across close and reopen; seq keeps increasing', async () => {
  const path = freshPath();
  const st = SqliteStorage.open(path);
  await st.createTable('T', { partitionKey: { name: 'id', type: 'S' } }, '{"m":1}');
  const seq = await st.transaction(async (tx) => {
    await tx.putItem('T', key('a'), '{"a":1}');
    return tx.appendChange('T', '{"c":1}');
  });
  await st.close();
  await assert.rejects(st.getItem('T', key('a')), (e: unknown) => (e as { code?: string }).code === 'Closed');
  const again = SqliteStorage.open(path);
  try {
    assert.equal((await again.getTable('T'))?.metadata, '{"m":1}');
    assert.equal(await again.getItem('T', key('a')), '{"a":1}');
    assert.deepEqual((await again.readChanges('T', 0)).map((r) => [r.seq, r.data]), [[seq, '{"c":1}']]);
    const next = await again.transaction((tx) => tx.appendChange('T', '{}'));
    assert.ok(next > seq);
  } finally {
    await again.close();
  }
});

test('sqlite: range queries and scans use the primary key (no full scan, no temp sort)', async () => {
  const path = freshPath();
  const st = SqliteStorage.open(path);
  await st.close();
  const db = new Database(path, { readonly: true });
  try {
    const plan = (sql: string): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1, Buffer.from('p'), Buffer.from('a'), 10) as { detail: string }[]).map((r) => r.detail).join('; ');
    const q = plan('SELECT pk, sk, item FROM items WHERE table_id = ? AND pk = ? AND sk > ? ORDER BY sk DESC LIMIT ?');
    assert.match(q, /SEARCH items USING PRIMARY KEY \(table_id=\? AND pk=\? AND sk>\?\)/);
    assert.doesNotMatch(q, /TEMP B-TREE/);
    const s = plan('SELECT ph, pk, sk, item FROM items WHERE table_id = ? AND (pk, sk) > (?, ?) ORDER BY pk, sk LIMIT ?');
    assert.match(s, /SEARCH items USING PRIMARY KEY \(table_id=\? AND \(pk,sk\)>\(\?,\?\)\)/);
    assert.doesNotMatch(s, /TEMP B-TREE/);
  } finally {
    db.close();
  }
});

test('sqlite: index queries and scans are ordered range scans of index_entries (no full scan, no temp sort)', async () => {
  const path = freshPath();
  const st = SqliteStorage.open(path);
  await st.close();
  const db = new Database(path, { readonly: true });
  try {
    const join = 'FROM index_entries e JOIN items i ON i.table_id = e.table_id AND i.pk = e.pk AND i.sk = e.sk';
    const plan = (sql: string, params: Record<string, unknown>): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('; ');
    const b = Buffer.from('x');
    const q = plan(
      `SELECT e.ipk, i.item ${join} WHERE e.table_id = @t AND e.idx = @x AND e.ipk = @ipk AND e.isk > @lo AND (e.isk, e.pk, e.sk) < (@a, @b, @c) ORDER BY e.isk DESC, e.pk DESC, e.sk DESC LIMIT @n`,
      { t: 1, x: 'g', ipk: b, lo: b, a: b, b, c: b, n: 10 },
    );
    assert.match(q, /SEARCH e USING PRIMARY KEY \(table_id=\? AND idx=\? AND ipk=\?/);
    assert.match(q, /SEARCH i USING PRIMARY KEY \(table_id=\? AND pk=\? AND sk=\?\)/);
    assert.doesNotMatch(q, /TEMP B-TREE/);
    const s = plan(`SELECT e.ipk, i.item ${join} WHERE e.table_id = @t AND e.idx = @x AND (e.ipk, e.isk, e.pk, e.sk) > (@a, @b, @c, @d) ORDER BY e.ipk, e.isk, e.pk, e.sk LIMIT @n`, {
      t: 1, x: 'g', a: b, b, c: b, d: b, n: 10,
    });
    assert.match(s, /SEARCH e USING PRIMARY KEY/);
    assert.doesNotMatch(s, /TEMP B-TREE/);
  } finally {
    db.close();
  }
});

test('sqlite: a file written before table statistics existed gets its counts on open', async () => {
  const path = freshPath();
  const st = SqliteStorage.open(path);
  await st.createTable('T', { partitionKey: { name: 'id', type: 'S' } }, '{}');
  await st.putItem('T', key('a'), '{"a":1}');
  await st.putItem('T', key('b'), '{"b":2}');
  await st.close();
  const db = new Database(path);
  db.exec('DROP TABLE table_stats');
  db.close();
  const reopened = SqliteStorage.open(path);
  try {
    assert.deepEqual(await reopened.tableStats('T'), { items: 2, bytes: 2 * (encodeString('a').length + '{"a":1}'.length), indexes: {} });
  } finally {
    await reopened.close();
  }
});

test('sqlite: a new file uses 16 KB pages, so an item of a few KB stays in the table pages (no overflow page each)', async () => {
  const path = freshPath();
  const st = SqliteStorage.open(path, { synchronous: 'NORMAL' });
  await st.createTable('T', { partitionKey: { name: 'id', type: 'S' } }, '{}');
  const item = JSON.stringify({ id: { S: 'x' }, text: { S: 'y'.repeat(1100) } });
  for (let i = 0; i < 200; i++) await st.putItem('T', key(`k${i}`), item);
  await st.close();
  const db = new Database(path, { readonly: true });
  try {
    assert.equal(db.pragma('page_size', { simple: true }), 16_384);
    const pages = Number(db.pragma('page_count', { simple: true }));
    // 200 × 1.1 KB = 220 KB of items: within 2× on disk, where 4 KB pages with an overflow page each took ~4.6×.
    assert.ok(pages * 16_384 < 2 * 200 * item.length + 5 * 16_384, `${pages} pages for ${200 * item.length} bytes of items`);
  } finally {
    db.close();
  }
});
