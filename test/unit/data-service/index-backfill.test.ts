// A GSI left CREATING (a restart during UpdateTable's backfill) is finished when the service starts again.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { storeTable, validateCreateTable } from '../../../src/data/actions/create-table.js';
import type { ActionContext } from '../../../src/data/actions/common.js';
import { query } from '../../../src/data/actions/query.js';
import { DynamoValidationError } from '../../../src/data/types/errors.js';
import { resumeBackfills } from '../../../src/data/service/index-backfill.js';
import { readMetadata } from '../../../src/data/service/tables.js';
import { encodeString } from '../../../src/data/storage/key-encoding.js';
import { openTestStorage, useTempDir } from './harness.js';

const dir = useTempDir('portico-backfill-');

test('resumeBackfills indexes the items of an index left CREATING, then marks it ACTIVE', async () => {
  const storage = openTestStorage(join(dir.path, 'a.sqlite'));
  try {
    const request = { TableName: 'docs', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' };
    const info = await storeTable(storage, validateCreateTable(request), 'us-east-1', new Date());
    for (const id of ['a', 'b', 'c']) await storage.putItem('docs', { pk: encodeString(id), sk: Buffer.alloc(0) }, JSON.stringify({ id: { S: id }, ...(id !== 'c' ? { owner: { S: 'me' } } : {}) }));
    const metadata = readMetadata(info);
    const creating = { IndexName: 'byOwner', KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const }, IndexStatus: 'CREATING' as const };
    await storage.updateTableMetadata('docs', JSON.stringify({ ...metadata, AttributeDefinitions: [...metadata.AttributeDefinitions, { AttributeName: 'owner', AttributeType: 'S' }], GlobalSecondaryIndexes: [creating] }));

    const ctx = { storage, region: 'us-east-1', now: () => new Date() } as unknown as ActionContext;
    const byOwner = { TableName: 'docs', IndexName: 'byOwner', KeyConditionExpression: '#o = :o', ExpressionAttributeNames: { '#o': 'owner' }, ExpressionAttributeValues: { ':o': { S: 'me' } } };
    await assert.rejects(query(byOwner, ctx), (err: unknown) => err instanceof DynamoValidationError && err.message === 'Cannot read from backfilling global secondary index');

    await resumeBackfills(storage, { error: (m) => assert.fail(m) });
    for (let i = 0; i < 100 && readMetadata((await storage.getTable('docs'))!).GlobalSecondaryIndexes![0]!.IndexStatus !== 'ACTIVE'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(readMetadata((await storage.getTable('docs'))!).GlobalSecondaryIndexes![0]!.IndexStatus, 'ACTIVE');
    const result = await query(byOwner, ctx);
    assert.deepEqual((result.Items as { id: { S: string } }[]).map((i) => i.id.S), ['a', 'b']);
  } finally {
    await storage.close();
  }
});
