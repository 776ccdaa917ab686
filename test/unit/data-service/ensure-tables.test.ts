// Template tables: created once through CreateTable's validation, never replaced, their items kept.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TableIndexSpec } from '../../../src/app/model.js';
import { ensureTables } from '../../../src/data/service/ensure-tables.js';
import { readMetadata } from '../../../src/data/service/tables.js';
import { SqliteStorage } from '../../../src/data/storage/sqlite-storage.js';
import { DynamoValidationError } from '../../../src/data/types/errors.js';
import { tableSpec as spec, useTempDir } from './harness.js';

const dir = useTempDir('portico-ensure-');

/** Runs `body` with storage in a fresh file of the temp dir, closing it even when the body fails. */
async function withStorage(file: string, body: (storage: SqliteStorage) => Promise<void>): Promise<void> {
  const storage = SqliteStorage.open(join(dir.path, file));
  try {
    await body(storage);
  } finally {
    await storage.close();
  }
}

test('ensureTables creates missing tables with CreateTable metadata and keeps existing ones and their items', async () => {
  await withStorage('a.sqlite', async (storage) => {
    const first = await ensureTables(storage, [spec('notes'), spec('counters', {
      logicalId: 'Counters',
      keySchema: [{ attributeName: 'pk', keyType: 'HASH' }, { attributeName: 'n', keyType: 'RANGE' }],
      attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }, { attributeName: 'n', attributeType: 'N' }, { attributeName: 'gsi', attributeType: 'S' }],
      billingMode: 'PROVISIONED',
      provisionedThroughput: { readCapacityUnits: 3, writeCapacityUnits: 4 },
    })], 'eu-west-1');
    assert.deepEqual(first, { created: ['notes', 'counters'], existing: [], updated: [], notices: [] });
    const counters = (await storage.getTable('counters'))!;
    assert.deepEqual(counters.keySchema, { partitionKey: { name: 'pk', type: 'S' }, sortKey: { name: 'n', type: 'N' } });
    const meta = readMetadata(counters);
    assert.equal(meta.TableArn, 'arn:aws:dynamodb:eu-west-1:123456789012:table/counters');
    assert.equal(meta.BillingMode, 'PROVISIONED');
    assert.equal(meta.ReadCapacityUnits, 3);

    const notes = (await storage.getTable('notes'))!;
    const key = { pk: Buffer.from('k'), sk: Buffer.alloc(0) };
    await storage.putItem('notes', key, '{"id":{"S":"k"}}');
    const again = await ensureTables(storage, [spec('notes')], 'eu-west-1');
    assert.deepEqual(again, { created: [], existing: ['notes'], updated: [], notices: [] });
    assert.equal((await storage.getTable('notes'))!.metadata, notes.metadata, 'the table is not recreated');
    assert.equal(await storage.getItem('notes', key), '{"id":{"S":"k"}}');
  });
});

test('ensureTables keeps a table whose key differs from the template, with a notice', async () => {
  await withStorage('b.sqlite', async (storage) => {
    await ensureTables(storage, [spec('notes')], 'us-east-1');
    const key = { pk: Buffer.from('k'), sk: Buffer.alloc(0) };
    await storage.putItem('notes', key, '{"id":{"S":"k"}}');
    const changed = spec('notes', { keySchema: [{ attributeName: 'n', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'n', attributeType: 'N' }] });
    const report = await ensureTables(storage, [changed], 'us-east-1');
    assert.deepEqual(report.created, []);
    assert.equal(report.notices.length, 1);
    assert.match(report.notices[0]!, /notes .*keeps its key id \(S\) and its data; the template declares n \(N\)/);
    assert.equal((await storage.getTable('notes'))!.keySchema.partitionKey.name, 'id');
    assert.equal(await storage.getItem('notes', key), '{"id":{"S":"k"}}');
  });
});

test('ensureTables rejects what CreateTable rejects, with its message', async () => {
  await withStorage('c.sqlite', async (storage) => {
    await assert.rejects(ensureTables(storage, [spec('x')], 'us-east-1'), (err: unknown) => err instanceof DynamoValidationError && /tableName/.test(err.message));
    assert.equal(await storage.getTable('x'), undefined);
  });
});

const byOwner: TableIndexSpec = {
  indexName: 'byOwner',
  keySchema: [{ attributeName: 'owner', keyType: 'HASH' }],
  projectionType: 'KEYS_ONLY',
  nonKeyAttributes: [],
  provisionedThroughput: undefined,
};

test('template indexes and tags are created, and follow the template on redeploy', async () => {
  await withStorage('d.sqlite', async (storage) => {
    const attributeDefinitions = [
      { attributeName: 'id', attributeType: 'S' as const },
      { attributeName: 'owner', attributeType: 'S' as const },
    ];
    const declared = spec('docs', { attributeDefinitions, globalSecondaryIndexes: [byOwner], tags: [{ key: 'team', value: 'a' }] });
    assert.deepEqual((await ensureTables(storage, [declared], 'us-east-1')).created, ['docs']);
    let meta = readMetadata((await storage.getTable('docs'))!);
    assert.equal(meta.GlobalSecondaryIndexes![0]!.IndexName, 'byOwner');
    assert.equal(meta.GlobalSecondaryIndexes![0]!.IndexStatus, 'ACTIVE');
    assert.deepEqual(meta.Tags, [{ Key: 'team', Value: 'a' }]);
    await storage.putItem('docs', { pk: Buffer.from('k'), sk: Buffer.alloc(0) }, '{"id":{"S":"k"},"owner":{"S":"me"},"color":{"S":"red"}}');

    const byColor: TableIndexSpec = { ...byOwner, indexName: 'byColor', keySchema: [{ attributeName: 'color', keyType: 'HASH' }] };
    const changed = spec('docs', { attributeDefinitions: [attributeDefinitions[0]!, { attributeName: 'color', attributeType: 'S' }], globalSecondaryIndexes: [byColor] });
    const report = await ensureTables(storage, [changed], 'us-east-1');
    assert.deepEqual(report.updated, ['docs: deleted index byOwner', 'docs: created index byColor', 'docs: updated tags']);
    for (let i = 0; i < 100 && readMetadata((await storage.getTable('docs'))!).GlobalSecondaryIndexes![0]!.IndexStatus !== 'ACTIVE'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    meta = readMetadata((await storage.getTable('docs'))!);
    assert.deepEqual(meta.GlobalSecondaryIndexes!.map((i) => [i.IndexName, i.IndexStatus]), [['byColor', 'ACTIVE']]);
    assert.deepEqual(meta.Tags, []);
    assert.deepEqual((await storage.tableStats('docs')).indexes, { byColor: { items: 1, bytes: (await storage.tableStats('docs')).bytes } });
    assert.deepEqual((await ensureTables(storage, [changed], 'us-east-1')).updated, [], 'an unchanged template changes nothing');
  });
});
