/**
 * The storage contract: what every `Storage` implementation must do, as a suite that takes a factory. The SQLite
 * implementation runs it in sqlite-storage.test.ts; a PostgreSQL one calls `storageContract` the same way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StorageError, segmentOf, type ItemKey, type KeySchema, type Storage, type StoredItem } from '../../../src/data/storage/storage.js';
import { encodeNumber, encodeString, prefixSuccessor } from '../../../src/data/storage/key-encoding.js';
import { rng } from '../../helpers/random.js';

export type StorageFactory = () => Promise<Storage>;

const HASH_ONLY: KeySchema = { partitionKey: { name: 'id', type: 'S' } };
const HASH_RANGE: KeySchema = { partitionKey: { name: 'pk', type: 'S' }, sortKey: { name: 'sk', type: 'N' } };

const s = (v: string): Buffer => encodeString(v);
const n = (v: string): Buffer => encodeNumber(v);
const hk = (pk: string): ItemKey => ({ pk: s(pk), sk: Buffer.alloc(0) });
const rk = (pk: string, sk: string): ItemKey => ({ pk: s(pk), sk: n(sk) });
const itemOf = (v: unknown): string => JSON.stringify(v);
const values = (items: StoredItem[]): unknown[] => items.map((i) => JSON.parse(i.item) as unknown);
const keyHex = (k: ItemKey): string => `${Buffer.from(k.pk).toString('hex')}/${Buffer.from(k.sk).toString('hex')}`;

function rejectsWith(code: string): (err: unknown) => boolean {
  return (err: unknown) => err instanceof StorageError && err.code === code;
}


async function withStorage(factory: StorageFactory, fn: (st: Storage) => Promise<void>): Promise<void> {
  const st = await factory();
  try {
    await fn(st);
  } finally {
    await st.close();
  }
}

export function storageContract(name: string, factory: StorageFactory): void {
  const t = (title: string, fn: (st: Storage) => Promise<void>): void => {
    test(`${name}: ${title}`, () => withStorage(factory, fn));
  };

  // ---- tables -----------------------------------------------------------------------------------------------------

  t('createTable, getTable, updateTableMetadata; duplicates and missing tables fail with their codes', async (st) => {
    const info = await st.createTable('Users', HASH_RANGE, '{"status":"ACTIVE"}');
    assert.equal(info.name, 'Users');
    assert.deepEqual(info.keySchema, HASH_RANGE);
    assert.equal(info.metadata, '{"status":"ACTIVE"}');
    assert.ok(Math.abs(info.createdAt - Date.now()) < 60_000);
    const got = await st.getTable('Users');
    assert.deepEqual(got, info);
    assert.equal(await st.getTable('Nope'), undefined);
    await assert.rejects(st.createTable('Users', HASH_ONLY, '{}'), rejectsWith('TableExists'));
    const updated = await st.updateTableMetadata('Users', '{"status":"UPDATING"}');
    assert.equal(updated.metadata, '{"status":"UPDATING"}');
    assert.equal((await st.getTable('Users'))?.metadata, '{"status":"UPDATING"}');
    await assert.rejects(st.updateTableMetadata('Nope', '{}'), rejectsWith('TableNotFound'));
    await assert.rejects(st.deleteTable('Nope'), rejectsWith('TableNotFound'));
    await assert.rejects(st.getItem('Nope', hk('a')), rejectsWith('TableNotFound'));
  });

  t('listTables returns names in byte order, a page at a time', async (st) => {
    const names = ['orders', 'Zeta', 'alpha', 'Alpha', 'a-b', 'a_b', 'a.b', 'B9'];
    for (const nm of names) await st.createTable(nm, HASH_ONLY, '{}');
    const expected = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    const seen: string[] = [];
    let startAfter: string | undefined;
    let pages = 0;
    do {
      const res = await st.listTables({ limit: 3, ...(startAfter !== undefined ? { startAfter } : {}) });
      assert.ok(res.tables.length <= 3);
      seen.push(...res.tables.map((x) => x.name));
      startAfter = res.lastName;
      pages++;
    } while (startAfter !== undefined);
    assert.deepEqual(seen, expected);
    assert.equal(pages, 3);
    assert.deepEqual((await st.listTables()).tables.map((x) => x.name), expected);
  });

  t('deleteTable frees the name at once; a new table of that name starts empty; reclaim removes the old rows', async (st) => {
    await st.createTable('T', HASH_ONLY, '{"v":1}');
    for (let i = 0; i < 25; i++) await st.putItem('T', hk(`k${i}`), itemOf({ i }));
    await st.transaction(async (tx) => {
      await tx.appendChange('T', '{"c":1}');
    });
    const gone = await st.deleteTable('T');
    assert.equal(gone.metadata, '{"v":1}');
    assert.equal(await st.getTable('T'), undefined);
    await assert.rejects(st.getItem('T', hk('k1')), rejectsWith('TableNotFound'));
    await st.createTable('T', HASH_ONLY, '{"v":2}');
    assert.equal(await st.getItem('T', hk('k1')), undefined);
    assert.deepEqual((await st.scan({ table: 'T' })).items, []);
    assert.deepEqual(await st.readChanges('T', 0), []);
    let reclaimed = 0;
    for (let round = 0; round < 10; round++) {
      const r = await st.reclaim(10);
      assert.ok(r <= 10);
      if (r === 0) break;
      reclaimed += r;
    }
    assert.equal(reclaimed, 26);
    assert.equal(await st.reclaim(), 0);
  });

  // ---- items ------------------------------------------------------------------------------------------------------

  t('putItem and deleteItem return the previous item; getItem reads the current one', async (st) => {
    await st.createTable('T', HASH_ONLY, '{}');
    assert.equal(await st.getItem('T', hk('a')), undefined);
    assert.equal(await st.putItem('T', hk('a'), itemOf({ v: 1 })), undefined);
    assert.equal(await st.getItem('T', hk('a')), itemOf({ v: 1 }));
    assert.equal(await st.putItem('T', hk('a'), itemOf({ v: 2 })), itemOf({ v: 1 }));
    assert.equal(await st.getItem('T', hk('a')), itemOf({ v: 2 }));
    assert.equal(await st.deleteItem('T', hk('a')), itemOf({ v: 2 }));
    assert.equal(await st.getItem('T', hk('a')), undefined);
    assert.equal(await st.deleteItem('T', hk('a')), undefined);
  });

  t('items are addressed by exact key bytes, per table; equal numbers are the same key', async (st) => {
    await st.createTable('A', HASH_RANGE, '{}');
    await st.createTable('B', HASH_RANGE, '{}');
    await st.putItem('A', rk('p', '1.5'), itemOf('A'));
    await st.putItem('B', rk('p', '1.5'), itemOf('B'));
    assert.equal(await st.getItem('A', rk('p', '1.50')), itemOf('A'));
    assert.equal(await st.getItem('B', rk('p', '15e-1')), itemOf('B'));
    assert.equal(await st.getItem('A', rk('p', '1.51')), undefined);
    assert.equal(await st.getItem('A', rk('P', '1.5')), undefined);
    assert.equal(await st.getItem('A', { pk: Buffer.from('p\0'), sk: n('1.5') }), undefined);
    assert.equal(await st.putItem('A', rk('p', '1.500'), itemOf('A2')), itemOf('A'));
    assert.equal(await st.getItem('B', rk('p', '1.5')), itemOf('B'));
  });

  t('key shape is checked against the table: sort key required, forbidden, partition key non-empty', async (st) => {
    await st.createTable('H', HASH_ONLY, '{}');
    await st.createTable('R', HASH_RANGE, '{}');
    await assert.rejects(st.putItem('H', rk('a', '1'), '{}'), rejectsWith('InvalidKey'));
    await assert.rejects(st.putItem('R', hk('a'), '{}'), rejectsWith('InvalidKey'));
    await assert.rejects(st.putItem('H', hk(''), '{}'), rejectsWith('InvalidKey'));
    await assert.rejects(st.getItem('R', hk('a')), rejectsWith('InvalidKey'));
    assert.deepEqual((await st.scan({ table: 'H' })).items, []);
    assert.deepEqual((await st.scan({ table: 'R' })).items, []);
  });

  // ---- query ------------------------------------------------------------------------------------------------------

  const SKS = ['-1e10', '-2.5', '-1', '0', '0.001', '1', '1.5', '2', '10', '100', '1e20'];
  async function seedPartition(st: Storage): Promise<void> {
    await st.createTable('Q', HASH_RANGE, '{}');
    for (const sk of [...SKS].reverse()) await st.putItem('Q', rk('p', sk), itemOf(sk));
    await st.putItem('Q', rk('o', '5'), itemOf('other'));
    await st.putItem('Q', rk('q', '5'), itemOf('other'));
    await st.putItem('Q', { pk: Buffer.from('p\0'), sk: n('5') }, itemOf('other'));
  }

  t('query returns one partition in sort key order, forwards and backwards', async (st) => {
    await seedPartition(st);
    assert.deepEqual(values((await st.query({ table: 'Q', pk: s('p') })).items), SKS);
    assert.deepEqual(values((await st.query({ table: 'Q', pk: s('p'), forward: false })).items), [...SKS].reverse());
    assert.deepEqual((await st.query({ table: 'Q', pk: s('nobody') })).items, []);
    const page = await st.query({ table: 'Q', pk: s('p') });
    assert.equal(page.lastKey, undefined);
    assert.ok(page.items.every((i) => Buffer.from(i.pk).equals(s('p'))));
  });

  t('query bounds: inclusive and exclusive, each direction', async (st) => {
    await seedPartition(st);
    const q = async (lower: [string, boolean] | null, upper: [string, boolean] | null, forward = true): Promise<unknown[]> =>
      values(
        (
          await st.query({
            table: 'Q',
            pk: s('p'),
            forward,
            ...(lower ? { lower: { key: n(lower[0]), inclusive: lower[1] } } : {}),
            ...(upper ? { upper: { key: n(upper[0]), inclusive: upper[1] } } : {}),
          })
        ).items,
      );
    assert.deepEqual(await q(['1', true], null), ['1', '1.5', '2', '10', '100', '1e20']);
    assert.deepEqual(await q(['1', false], null), ['1.5', '2', '10', '100', '1e20']);
    assert.deepEqual(await q(null, ['0', true]), ['-1e10', '-2.5', '-1', '0']);
    assert.deepEqual(await q(null, ['0', false]), ['-1e10', '-2.5', '-1']);
    assert.deepEqual(await q(['-1', true], ['2', true]), ['-1', '0', '0.001', '1', '1.5', '2']);
    assert.deepEqual(await q(['-1', false], ['2', false]), ['0', '0.001', '1', '1.5']);
    assert.deepEqual(await q(['-1', false], ['2', false], false), ['1.5', '1', '0.001', '0']);
    assert.deepEqual(await q(['1.5', true], ['1.5', true]), ['1.5']);
    assert.deepEqual(await q(['1.5', false], ['1.5', true]), []);
    assert.deepEqual(await q(['3', true], ['9', true]), []);
  });

  t('query pages with limit and startAfter cover the range exactly once, each direction', async (st) => {
    await seedPartition(st);
    for (const forward of [true, false]) {
      for (const limit of [1, 2, 3, 5, 11, 12]) {
        const seen: unknown[] = [];
        let startAfter: Uint8Array | undefined;
        let pages = 0;
        while (true) {
          const page = await st.query({ table: 'Q', pk: s('p'), forward, limit, ...(startAfter ? { startAfter } : {}) });
          assert.ok(page.items.length <= limit);
          seen.push(...values(page.items));
          pages++;
          if (!page.lastKey) break;
          assert.equal(page.items.length, limit);
          assert.deepEqual(page.lastKey, { pk: page.items[limit - 1]!.pk, sk: page.items[limit - 1]!.sk });
          startAfter = page.lastKey.sk;
          assert.ok(pages < 20);
        }
        assert.deepEqual(seen, forward ? SKS : [...SKS].reverse(), `forward=${forward} limit=${limit}`);
        assert.equal(pages, Math.ceil(SKS.length / limit), `forward=${forward} limit=${limit}`);
      }
    }
  });

  t('query startAfter combines with bounds, and maxBytes ends a page after the item that reaches it', async (st) => {
    await seedPartition(st);
    const fwd = await st.query({ table: 'Q', pk: s('p'), lower: { key: n('0'), inclusive: true }, upper: { key: n('10'), inclusive: true }, startAfter: n('1') });
    assert.deepEqual(values(fwd.items), ['1.5', '2', '10']);
    const back = await st.query({ table: 'Q', pk: s('p'), forward: false, lower: { key: n('0'), inclusive: true }, startAfter: n('1') });
    assert.deepEqual(values(back.items), ['0.001', '0']);
    const one = itemOf('1e20').length + s('p').length + n('1e20').length;
    const page = await st.query({ table: 'Q', pk: s('p'), forward: false, maxBytes: one + 1 });
    assert.deepEqual(values(page.items), ['1e20', '100']);
    assert.ok(page.lastKey);
    assert.ok(Buffer.from(page.lastKey.sk).equals(n('100')));
  });

  t('byte order: a proper prefix sorts first, bytes compare unsigned (begins_with as a range)', async (st) => {
    await st.createTable('S', { partitionKey: { name: 'pk', type: 'S' }, sortKey: { name: 'sk', type: 'S' } }, '{}');
    const sks = ['a', 'a\u0000', 'ab', 'abc', 'a\u007f', 'a\u00e9', 'b', '\uffff', '\u{1f600}'];
    for (const sk of [...sks].reverse()) await st.putItem('S', { pk: s('p'), sk: s(sk) }, itemOf(sk));
    assert.deepEqual(values((await st.query({ table: 'S', pk: s('p') })).items), sks);
    const upper = prefixSuccessor(s('a'))!;
    const begins = await st.query({ table: 'S', pk: s('p'), lower: { key: s('a'), inclusive: true }, upper: { key: upper, inclusive: false } });
    assert.deepEqual(values(begins.items), ['a', 'a\u0000', 'ab', 'abc', 'a\u007f', 'a\u00e9']);
  });

  // ---- scan -------------------------------------------------------------------------------------------------------

  async function seedScan(st: Storage, partitions: number, perPartition: number): Promise<ItemKey[]> {
    await st.createTable('S', HASH_RANGE, '{}');
    const keys: ItemKey[] = [];
    for (let p = 0; p < partitions; p++) {
      for (let i = 0; i < perPartition; i++) {
        const key = rk(`user#${p}`, String(i));
        keys.push(key);
        await st.putItem('S', key, itemOf({ p, i }));
      }
    }
    return keys.sort((a, b) => Buffer.compare(Buffer.from(a.pk), Buffer.from(b.pk)) || Buffer.compare(Buffer.from(a.sk), Buffer.from(b.sk)));
  }

  t('scan returns the whole table in (pk, sk) byte order, a page at a time', async (st) => {
    const keys = await seedScan(st, 13, 3);
    await st.createTable('Other', HASH_RANGE, '{}');
    await st.putItem('Other', rk('user#1', '0'), itemOf('other'));
    const all = await st.scan({ table: 'S' });
    assert.deepEqual(all.items.map(keyHex), keys.map(keyHex));
    assert.equal(all.lastKey, undefined);
    for (const limit of [1, 4, 39, 40]) {
      const seen: string[] = [];
      let startAfter: ItemKey | undefined;
      while (true) {
        const page = await st.scan({ table: 'S', limit, ...(startAfter ? { startAfter } : {}) });
        assert.ok(page.items.length <= limit);
        seen.push(...page.items.map(keyHex));
        if (!page.lastKey) break;
        startAfter = page.lastKey;
      }
      assert.deepEqual(seen, keys.map(keyHex), `limit ${limit}`);
    }
  });

  t('parallel scan: segments are disjoint, cover the table, keep each partition whole, follow segmentOf', async (st) => {
    const keys = await seedScan(st, 60, 2);
    for (const total of [1, 2, 3, 7]) {
      const union: string[] = [];
      for (let segment = 0; segment < total; segment++) {
        let startAfter: ItemKey | undefined;
        while (true) {
          const page = await st.scan({ table: 'S', segment, totalSegments: total, limit: 5, ...(startAfter ? { startAfter } : {}) });
          for (const it of page.items) assert.equal(segmentOf(it.pk, total), segment);
          union.push(...page.items.map(keyHex));
          if (!page.lastKey) break;
          startAfter = page.lastKey;
        }
      }
      assert.deepEqual([...union].sort(), keys.map(keyHex).sort(), `${total} segments`);
    }
    // With 7 segments over 60 partitions, every segment is expected to be non-empty (hash spreads keys).
    const counts = new Array<number>(7).fill(0);
    for (const k of keys) counts[segmentOf(k.pk, 7)]!++;
    assert.ok(counts.every((c) => c > 0), `segment sizes ${counts.join(',')}`);
    await assert.rejects(st.scan({ table: 'S', segment: 3, totalSegments: 3 }), rejectsWith('InvalidRequest'));
  });

  t('scan maxExamined bounds the work of a call; continuing from lastKey still covers the segment', async (st) => {
    const keys = await seedScan(st, 40, 1);
    const total = 8;
    const expected = keys.filter((k) => segmentOf(k.pk, total) === 0).map(keyHex);
    const seen: string[] = [];
    let startAfter: ItemKey | undefined;
    let calls = 0;
    while (true) {
      const page = await st.scan({ table: 'S', segment: 0, totalSegments: total, maxExamined: 3, ...(startAfter ? { startAfter } : {}) });
      calls++;
      seen.push(...page.items.map(keyHex));
      assert.ok(page.items.length <= 3);
      if (!page.lastKey) break;
      startAfter = page.lastKey;
    }
    assert.deepEqual(seen, expected);
    assert.equal(calls, Math.ceil(40 / 3));
  });

  // ---- transactions -----------------------------------------------------------------------------------------------

  t('transaction commits all its writes together and returns its value', async (st) => {
    await st.createTable('T', HASH_ONLY, '{}');
    await st.putItem('T', hk('gone'), itemOf('x'));
    const result = await st.transaction(async (tx) => {
      assert.equal(await tx.putItem('T', hk('a'), itemOf(1)), undefined);
      assert.equal(await tx.putItem('T', hk('a'), itemOf(2)), itemOf(1));
      await tx.putItem('T', hk('b'), itemOf(3));
      assert.equal(await tx.deleteItem('T', hk('gone')), itemOf('x'));
      assert.equal(await tx.getItem('T', hk('a')), itemOf(2));
      assert.deepEqual(values((await tx.scan({ table: 'T' })).items), [2, 3]);
      return 'done';
    });
    assert.equal(result, 'done');
    assert.equal(await st.getItem('T', hk('a')), itemOf(2));
    assert.equal(await st.getItem('T', hk('b')), itemOf(3));
    assert.equal(await st.getItem('T', hk('gone')), undefined);
  });

  t('transaction rolls back every write and change record when its body throws', async (st) => {
    await st.createTable('T', HASH_ONLY, '{}');
    await st.putItem('T', hk('a'), itemOf('before'));
    await assert.rejects(
      st.transaction(async (tx) => {
        await tx.putItem('T', hk('a'), itemOf('after'));
        await tx.putItem('T', hk('b'), itemOf('new'));
        await tx.appendChange('T', '{"x":1}');
        throw new Error('condition failed');
      }),
      /condition failed/,
    );
    assert.equal(await st.getItem('T', hk('a')), itemOf('before'));
    assert.equal(await st.getItem('T', hk('b')), undefined);
    assert.deepEqual(await st.readChanges('T', 0), []);
    // A failing operation inside (missing table) also rolls back what came before it.
    await assert.rejects(
      st.transaction(async (tx) => {
        await tx.putItem('T', hk('c'), itemOf('c'));
        await tx.putItem('Missing', hk('c'), itemOf('c'));
      }),
      rejectsWith('TableNotFound'),
    );
    assert.equal(await st.getItem('T', hk('c')), undefined);
  });

  t('other calls wait for an open transaction: they never see its partial state', async (st) => {
    await st.createTable('T', HASH_ONLY, '{}');
    const events: string[] = [];
    const txDone = st.transaction(async (tx) => {
      await tx.putItem('T', hk('a'), itemOf(1));
      events.push('tx wrote a');
      await new Promise((r) => setTimeout(r, 30));
      await tx.putItem('T', hk('b'), itemOf(2));
      events.push('tx wrote b');
    });
    await new Promise((r) => setTimeout(r, 5));
    const read = st.getItem('T', hk('a')).then((v) => {
      events.push(`read a=${v}`);
      return v;
    });
    const write = st.putItem('T', hk('b'), itemOf(3)).then((prev) => {
      events.push(`outside put b, previous=${prev}`);
    });
    await Promise.all([txDone, read, write]);
    assert.deepEqual(events, ['tx wrote a', 'tx wrote b', 'read a=1', 'outside put b, previous=2']);
    assert.equal(await st.getItem('T', hk('b')), itemOf(3));
  });

  t('a transaction handle cannot be used after the transaction ends', async (st) => {
    await st.createTable('T', HASH_ONLY, '{}');
    let leaked: Parameters<Parameters<Storage['transaction']>[0]>[0] | undefined;
    await st.transaction((tx) => {
      leaked = tx;
    });
    assert.ok(leaked);
    await assert.rejects(leaked.putItem('T', hk('late'), '{}'), rejectsWith('InvalidRequest'));
    assert.equal(await st.getItem('T', hk('late')), undefined);
  });

  // ---- change log -------------------------------------------------------------------------------------------------

  t('change log: records appended with their writes, read after a sequence number, per table, in order', async (st) => {
    await st.createTable('A', HASH_ONLY, '{}');
    await st.createTable('B', HASH_ONLY, '{}');
    const seqs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const table = i % 2 === 0 ? 'A' : 'B';
      seqs.push(
        await st.transaction(async (tx) => {
          const prev = await tx.putItem(table, hk(`k${i}`), itemOf(i));
          return tx.appendChange(table, JSON.stringify({ i, prev: prev ?? null }));
        }),
      );
    }
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]! > seqs[i - 1]!);
    const a = await st.readChanges('A', 0);
    assert.deepEqual(a.map((r) => JSON.parse(r.data) as unknown), [{ i: 0, prev: null }, { i: 2, prev: null }, { i: 4, prev: null }]);
    assert.deepEqual(a.map((r) => r.seq), [seqs[0], seqs[2], seqs[4]]);
    assert.ok(a.every((r) => r.table === 'A' && Math.abs(r.createdAt - Date.now()) < 60_000));
    assert.deepEqual((await st.readChanges('A', seqs[0]!)).map((r) => r.seq), [seqs[2], seqs[4]]);
    assert.deepEqual((await st.readChanges('A', 0, 2)).map((r) => r.seq), [seqs[0], seqs[2]]);
    assert.deepEqual((await st.readChanges('A', seqs[4]!)).map((r) => r.seq), []);
    assert.deepEqual((await st.readChanges('B', 0)).map((r) => r.seq), [seqs[1], seqs[3]]);
    await assert.rejects(st.readChanges('Missing', 0), rejectsWith('TableNotFound'));
  });

  t('trimChanges deletes records older than the retention, a bounded batch per call', async (st) => {
    await st.createTable('A', HASH_ONLY, '{}');
    for (let i = 0; i < 5; i++) await st.transaction((tx) => tx.appendChange('A', `{"i":${i}}`));
    const now = Date.now();
    assert.equal(await st.trimChanges(60_000, now), 0);
    assert.equal((await st.readChanges('A', 0)).length, 5);
    assert.equal(await st.trimChanges(0, now + 1_000, 2), 2);
    const left = await st.readChanges('A', 0);
    assert.deepEqual(left.map((r) => JSON.parse(r.data) as unknown), [{ i: 2 }, { i: 3 }, { i: 4 }]);
    assert.equal(await st.trimChanges(0, now + 1_000), 3);
    assert.deepEqual(await st.readChanges('A', 0), []);
    const next = await st.transaction((tx) => tx.appendChange('A', '{}'));
    assert.ok(next > left[2]!.seq, 'sequence numbers are not reused after a trim');
  });

  t('changeBounds: where a table\'s change log starts (after trims) and ends', async (st) => {
    await st.createTable('A', HASH_ONLY, '{}');
    await st.createTable('B', HASH_ONLY, '{}');
    assert.deepEqual(await st.changeBounds('A'), { trimmedThrough: 0, last: 0 });
    const a1 = await st.transaction((tx) => tx.appendChange('A', '{}'));
    const b1 = await st.transaction((tx) => tx.appendChange('B', '{}'));
    const a2 = await st.transaction((tx) => tx.appendChange('A', '{}'));
    assert.deepEqual(await st.changeBounds('A'), { trimmedThrough: 0, last: a2 });
    assert.deepEqual(await st.changeBounds('B'), { trimmedThrough: 0, last: b1 });
    assert.equal(await st.trimChanges(0, Date.now() + 1_000, 1), 1);
    assert.deepEqual(await st.changeBounds('A'), { trimmedThrough: a1, last: a2 });
    while ((await st.trimChanges(0, Date.now() + 1_000)) > 0);
    // Everything trimmed: the log still ends where it ended.
    assert.deepEqual(await st.changeBounds('A'), { trimmedThrough: a2, last: a2 });
    assert.deepEqual(await st.changeBounds('B'), { trimmedThrough: b1, last: b1 });
    await assert.rejects(st.changeBounds('Missing'), rejectsWith('TableNotFound'));
  });

  t('checkpoints: written, replaced, read back', async (st) => {
    assert.equal(await st.readCheckpoint('m1'), undefined);
    await st.writeCheckpoint('m1', '41');
    await st.writeCheckpoint('m2', 'x');
    await st.writeCheckpoint('m1', '42');
    assert.equal(await st.readCheckpoint('m1'), '42');
    assert.equal(await st.readCheckpoint('m2'), 'x');
  });

  // ---- model check ------------------------------------------------------------------------------------------------

  t('random operations agree with an in-memory model (get, put, delete, query, scan)', async (st) => {
    await st.createTable('M', HASH_RANGE, '{}');
    const model = new Map<string, { key: ItemKey; item: string }>();
    const rand = rng(12345);
    const pks = ['a', 'b', 'ab', 'ba', '\u00e9'];
    const numbers = ['-100', '-1.5', '-1', '-0.5', '0', '0.25', '1', '1.5', '2', '10', '99.9', '1e3'];
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    for (let step = 0; step < 400; step++) {
      const key = rk(pick(pks), pick(numbers));
      const id = keyHex(key);
      const r = rand();
      if (r < 0.5) {
        const item = itemOf({ step });
        assert.equal(await st.putItem('M', key, item), model.get(id)?.item);
        model.set(id, { key, item });
      } else if (r < 0.7) {
        assert.equal(await st.deleteItem('M', key), model.get(id)?.item);
        model.delete(id);
      } else if (r < 0.85) {
        assert.equal(await st.getItem('M', key), model.get(id)?.item);
      } else {
        const pk = pick(pks);
        const lo = pick(numbers);
        const hi = pick(numbers);
        const forward = rand() < 0.5;
        const got = await st.query({ table: 'M', pk: s(pk), lower: { key: n(lo), inclusive: true }, upper: { key: n(hi), inclusive: false }, forward });
        const want = [...model.values()]
          .filter((e) => Buffer.from(e.key.pk).equals(s(pk)))
          .filter((e) => Buffer.compare(Buffer.from(e.key.sk), n(lo)) >= 0 && Buffer.compare(Buffer.from(e.key.sk), n(hi)) < 0)
          .sort((x, y) => Buffer.compare(Buffer.from(x.key.sk), Buffer.from(y.key.sk)) * (forward ? 1 : -1))
          .map((e) => e.item);
        assert.deepEqual(got.items.map((i) => i.item), want);
      }
    }
    const scanned = (await st.scan({ table: 'M' })).items.map(keyHex);
    assert.deepEqual(scanned, [...model.keys()].sort((x, y) => {
      const [xp, xs] = x.split('/');
      const [yp, ys] = y.split('/');
      return Buffer.compare(Buffer.from(xp!, 'hex'), Buffer.from(yp!, 'hex')) || Buffer.compare(Buffer.from(xs!, 'hex'), Buffer.from(ys!, 'hex'));
    }));
  });

  // ---- secondary index entries and statistics -------------------------------------------------------------------

  t('index entries: replaced with the item, ordered by (index key, table key), paged with a full position, gone on delete', async (st) => {
    await st.createTable('T', HASH_RANGE, '{}');
    const entry = (ipk: string, isk: string) => ({ index: 'g', pk: s(ipk), sk: n(isk) });
    await st.putItem('T', rk('a', '1'), itemOf({ v: 'a1' }), [entry('red', '2')]);
    await st.putItem('T', rk('b', '1'), itemOf({ v: 'b1' }), [entry('red', '2')]);
    await st.putItem('T', rk('c', '1'), itemOf({ v: 'c1' }), [entry('red', '1')]);
    await st.putItem('T', rk('d', '1'), itemOf({ v: 'd1' }), []);
    const all = await st.queryIndex({ table: 'T', index: 'g', pk: s('red') });
    assert.deepEqual(values(all.items), [{ v: 'c1' }, { v: 'a1' }, { v: 'b1' }]);
    const first = await st.queryIndex({ table: 'T', index: 'g', pk: s('red'), forward: false, limit: 1 });
    assert.deepEqual(values(first.items), [{ v: 'b1' }]);
    const next = await st.queryIndex({ table: 'T', index: 'g', pk: s('red'), forward: false, startAfter: first.lastKey! });
    assert.deepEqual(values(next.items), [{ v: 'a1' }, { v: 'c1' }]);
    const bounded = await st.queryIndex({ table: 'T', index: 'g', pk: s('red'), lower: { key: n('2'), inclusive: true } });
    assert.equal(bounded.items.length, 2);

    await st.putItem('T', rk('a', '1'), itemOf({ v: 'a2' }), [entry('blue', '1')]);
    assert.deepEqual(values((await st.queryIndex({ table: 'T', index: 'g', pk: s('red') })).items), [{ v: 'c1' }, { v: 'b1' }]);
    await st.putItem('T', rk('a', '1'), itemOf({ v: 'a3' }));
    assert.deepEqual(values((await st.scanIndex({ table: 'T', index: 'g', limit: 1 })).items), [{ v: 'a3' }], 'without entries the old ones stay');
    await st.deleteItem('T', rk('a', '1'));
    assert.deepEqual(values((await st.scanIndex({ table: 'T', index: 'g' })).items), [{ v: 'c1' }, { v: 'b1' }]);
    await st.transaction(async (tx) => {
      await tx.putItem('T', rk('e', '1'), itemOf({ v: 'e1' }), [entry('red', '3')]);
      assert.equal((await tx.queryIndex({ table: 'T', index: 'g', pk: s('red') })).items.length, 3);
    });
    await assert.rejects(st.transaction(async (tx) => {
      await tx.putItem('T', rk('f', '1'), itemOf({ v: 'f1' }), [entry('red', '4')]);
      throw new Error('abort');
    }));
    assert.equal((await st.queryIndex({ table: 'T', index: 'g', pk: s('red') })).items.length, 3);
    await st.dropIndex('T', 'g');
    assert.equal((await st.scanIndex({ table: 'T', index: 'g' })).items.length, 0);
  });

  t('tableStats counts items and bytes per table and per index, through puts, replacements and deletes', async (st) => {
    await st.createTable('T', HASH_ONLY, '{}');
    assert.deepEqual(await st.tableStats('T'), { items: 0, bytes: 0, indexes: {} });
    await st.putItem('T', hk('a'), itemOf({ v: 1 }), [{ index: 'g', pk: s('x'), sk: Buffer.alloc(0) }]);
    await st.putItem('T', hk('b'), itemOf({ v: 2 }), []);
    await st.putItem('T', hk('a'), itemOf({ v: 'longer' }), [{ index: 'g', pk: s('x'), sk: Buffer.alloc(0) }]);
    const stats = await st.tableStats('T');
    assert.equal(stats.items, 2);
    assert.equal(stats.bytes, s('a').length + itemOf({ v: 'longer' }).length + s('b').length + itemOf({ v: 2 }).length);
    assert.deepEqual(stats.indexes.g, { items: 1, bytes: s('a').length + itemOf({ v: 'longer' }).length });
    await st.deleteItem('T', hk('a'));
    assert.deepEqual(await st.tableStats('T'), { items: 1, bytes: s('b').length + itemOf({ v: 2 }).length, indexes: { g: { items: 0, bytes: 0 } } });
    await assert.rejects(st.tableStats('Nope'), rejectsWith('TableNotFound'));
  });
}
