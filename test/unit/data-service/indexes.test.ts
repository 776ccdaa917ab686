// Global and local secondary indexes through the AWS SDK v3: CreateTable validation messages, DescribeTable shapes,
// Query/Scan on indexes (sparse, projections, pagination, errors), index key checks on writes, consistency after every
// write path, durability across a storage reopen.
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { paginateQuery, PutCommand } from '@aws-sdk/lib-dynamodb';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { TtlSweeper } from '../../../src/data/service/ttl-sweeper.js';
import { dynamoClient, openTestStorage, rejection, startDynamoServer, useDataService, validation } from './harness.js';

const h = useDataService('portico-indexes-');

/** A table keyed by pk/sk with a GSI on (status, created) projecting INCLUDE title, and an LSI on (pk, score) KEYS_ONLY. */
function indexedTable(name: string): CreateTableCommandInput {
  return {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'status', AttributeType: 'S' },
      { AttributeName: 'created', AttributeType: 'N' },
      { AttributeName: 'score', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byStatus',
        KeySchema: [
          { AttributeName: 'status', KeyType: 'HASH' },
          { AttributeName: 'created', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['title'] },
      },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'byScore',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'score', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  };
}

async function byStatus(table: string, status: string, extra: Record<string, unknown> = {}) {
  return h.client().send(
    new QueryCommand({
      TableName: table,
      IndexName: 'byStatus',
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': { S: status } },
      ...extra,
    }),
  );
}

test('CreateTable with indexes: DescribeTable shows them ACTIVE with AWS shapes', async () => {
  const created = await h.client().send(new CreateTableCommand(indexedTable('idx_describe')));
  const gsi = created.TableDescription!.GlobalSecondaryIndexes![0]!;
  assert.equal(gsi.IndexName, 'byStatus');
  assert.equal(gsi.IndexStatus, 'ACTIVE');
  assert.equal(gsi.IndexArn, 'arn:aws:dynamodb:us-east-1:123456789012:table/idx_describe/index/byStatus');
  assert.deepEqual(gsi.Projection, { ProjectionType: 'INCLUDE', NonKeyAttributes: ['title'] });
  assert.deepEqual(gsi.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
  const lsi = created.TableDescription!.LocalSecondaryIndexes![0]!;
  assert.equal(lsi.IndexName, 'byScore');
  assert.equal((lsi as Record<string, unknown>).IndexStatus, undefined);

  await h.client().send(new PutItemCommand({ TableName: 'idx_describe', Item: { pk: { S: 'a' }, sk: { S: '1' }, status: { S: 'open' }, created: { N: '1' } } }));
  await h.client().send(new PutItemCommand({ TableName: 'idx_describe', Item: { pk: { S: 'a' }, sk: { S: '2' }, score: { N: '5' } } }));
  const { Table } = await h.client().send(new DescribeTableCommand({ TableName: 'idx_describe' }));
  assert.equal(Table!.ItemCount, 2);
  assert.ok(Table!.TableSizeBytes! > 0);
  assert.equal(Table!.GlobalSecondaryIndexes![0]!.ItemCount, 1);
  assert.equal(Table!.LocalSecondaryIndexes![0]!.ItemCount, 1);
});

test('CreateTable index validation: AWS messages', async () => {
  const base = indexedTable('idx_invalid');
  const send = (input: CreateTableCommandInput) => h.client().send(new CreateTableCommand(input));
  await validation(
    send({ ...base, AttributeDefinitions: base.AttributeDefinitions!.slice(0, 4) }),
    'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [pk, score], AttributeDefinitions: [pk, sk, status, created]',
  );
  await validation(
    send({ ...base, AttributeDefinitions: [...base.AttributeDefinitions!, { AttributeName: 'extra', AttributeType: 'S' }] }),
    'One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [pk, sk, status, created, score, extra], keys used: [pk, sk, score, status, created]',
  );
  await validation(
    send({ ...base, LocalSecondaryIndexes: [{ ...base.LocalSecondaryIndexes![0]!, KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'score', KeyType: 'RANGE' }] }] }),
    'One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: byScore. index hash key: status, table hash key: pk',
  );
  await validation(
    send({ ...base, GlobalSecondaryIndexes: [base.GlobalSecondaryIndexes![0]!, { ...base.GlobalSecondaryIndexes![0]!, Projection: { ProjectionType: 'ALL' } }] }),
    'One or more parameter values were invalid: Duplicate index name: byStatus',
  );
  await validation(
    send({ ...base, GlobalSecondaryIndexes: [{ ...base.GlobalSecondaryIndexes![0]!, Projection: { ProjectionType: 'ALL', NonKeyAttributes: ['x'] } }] }),
    'One or more parameter values were invalid: ProjectionType is ALL, but NonKeyAttributes is specified',
  );
  const six = Array.from({ length: 6 }, (_, i) => ({ ...base.LocalSecondaryIndexes![0]!, IndexName: `lsi${i}` }));
  await validation(send({ ...base, LocalSecondaryIndexes: six }), 'One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of 5');
  const many = Array.from({ length: 21 }, (_, i) => ({ ...base.GlobalSecondaryIndexes![0]!, IndexName: `gsi${i}` }));
  await validation(send({ ...base, GlobalSecondaryIndexes: many }), 'One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20');
  await validation(
    send({ ...base, GlobalSecondaryIndexes: [{ ...base.GlobalSecondaryIndexes![0]!, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }] }),
    'One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: byStatus when BillingMode is PAY_PER_REQUEST',
  );
  await validation(
    send({ ...base, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: base.AttributeDefinitions!.filter((d) => d.AttributeName !== 'sk') }),
    'One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex',
  );
});

test('Query and Scan on a GSI: sparse, projected, ordered, paginated with table + index key', async () => {
  await h.client().send(new CreateTableCommand(indexedTable('idx_query')));
  for (let i = 0; i < 5; i++) {
    await h.client().send(
      new PutItemCommand({
        TableName: 'idx_query',
        Item: { pk: { S: `p${i}` }, sk: { S: 's' }, status: { S: 'open' }, created: { N: String(10 - i) }, title: { S: `t${i}` }, body: { S: 'hidden' } },
      }),
    );
  }
  await h.client().send(new PutItemCommand({ TableName: 'idx_query', Item: { pk: { S: 'sparse' }, sk: { S: 's' }, status: { S: 'open' } } }));

  const all = await byStatus('idx_query', 'open');
  assert.equal(all.Count, 5);
  assert.deepEqual(all.Items!.map((i) => i.created!.N), ['6', '7', '8', '9', '10']);
  assert.deepEqual(Object.keys(all.Items![0]!).sort(), ['created', 'pk', 'sk', 'status', 'title']);

  const first = await byStatus('idx_query', 'open', { Limit: 2, ScanIndexForward: false });
  assert.deepEqual(first.Items!.map((i) => i.created!.N), ['10', '9']);
  assert.deepEqual(first.LastEvaluatedKey, { pk: { S: 'p1' }, sk: { S: 's' }, status: { S: 'open' }, created: { N: '9' } });
  const second = await byStatus('idx_query', 'open', { Limit: 2, ScanIndexForward: false, ExclusiveStartKey: first.LastEvaluatedKey });
  assert.deepEqual(second.Items!.map((i) => i.created!.N), ['8', '7']);

  const capacity = await byStatus('idx_query', 'open', { ReturnConsumedCapacity: 'INDEXES' });
  assert.deepEqual(capacity.ConsumedCapacity, { TableName: 'idx_query', CapacityUnits: 0.5, Table: { CapacityUnits: 0 }, GlobalSecondaryIndexes: { byStatus: { CapacityUnits: 0.5 } } });
  const projected = await byStatus('idx_query', 'open', { ProjectionExpression: 'title, body' });
  assert.deepEqual(projected.Items![0], { title: { S: 't4' } });

  const scan = await h.client().send(new ScanCommand({ TableName: 'idx_query', IndexName: 'byStatus' }));
  assert.equal(scan.Count, 5);
  const pagedScan = await h.client().send(new ScanCommand({ TableName: 'idx_query', IndexName: 'byStatus', Limit: 3 }));
  const rest = await h.client().send(new ScanCommand({ TableName: 'idx_query', IndexName: 'byStatus', ExclusiveStartKey: pagedScan.LastEvaluatedKey }));
  assert.equal(pagedScan.Count! + rest.Count!, 5);

  await validation(byStatus('idx_query', 'open', { ConsistentRead: true }), 'Consistent reads are not supported on global secondary indexes');
  await validation(
    byStatus('idx_query', 'open', { Select: 'ALL_ATTRIBUTES' }),
    'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byStatus because its projection type is not ALL',
  );
  await validation(
    h.client().send(new QueryCommand({ TableName: 'idx_query', IndexName: 'nope', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'x' } } })),
    'The table does not have the specified index: nope',
  );
  await validation(byStatus('idx_query', 'open', { ExclusiveStartKey: { pk: { S: 'p1' }, sk: { S: 's' } } }), 'The provided starting key is invalid');
});

test('lib-dynamodb: paginating a GSI query visits every item once, in index order', async () => {
  await h.client().send(new CreateTableCommand(indexedTable('idx_doc')));
  const doc = h.doc();
  for (let i = 0; i < 25; i++) await doc.send(new PutCommand({ TableName: 'idx_doc', Item: { pk: `p${i % 4}`, sk: `s${i}`, status: 'live', created: 100 - i, title: `t${i}` } }));
  const seen: number[] = [];
  const pages = paginateQuery(
    { client: doc, pageSize: 7 },
    { TableName: 'idx_doc', IndexName: 'byStatus', KeyConditionExpression: '#s = :s AND created > :c', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'live', ':c': 80 } },
  );
  let count = 0;
  for await (const page of pages) {
    count++;
    for (const item of page.Items ?? []) seen.push(item.created as number);
  }
  assert.deepEqual(seen, Array.from({ length: 20 }, (_, i) => 81 + i));
  assert.equal(count, 3);
});

test('CreateTable index field checks use the member paths AWS reports', async () => {
  const base = indexedTable('idx_fields');
  await validation(
    h.client().send(new CreateTableCommand({ ...base, GlobalSecondaryIndexes: [{ ...base.GlobalSecondaryIndexes![0]!, Projection: undefined, IndexName: 'ab' }] })),
    "2 validation errors detected: Value 'ab' at 'globalSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3; " +
      "Value null at 'globalSecondaryIndexes.1.member.projection' failed to satisfy constraint: Member must not be null",
  );
});

test('Query on an LSI: KEYS_ONLY by default, ALL_ATTRIBUTES fetches the item, consistent reads allowed', async () => {
  await h.client().send(new CreateTableCommand(indexedTable('idx_lsi')));
  for (const [sk, score] of [['a', '3'], ['b', '1'], ['c', '2']] as const) {
    await h.client().send(new PutItemCommand({ TableName: 'idx_lsi', Item: { pk: { S: 'p' }, sk: { S: sk }, score: { N: score }, other: { S: 'x' } } }));
  }
  const query = (extra: Record<string, unknown>) =>
    h.client().send(new QueryCommand({ TableName: 'idx_lsi', IndexName: 'byScore', KeyConditionExpression: 'pk = :p AND score > :s', ExpressionAttributeValues: { ':p': { S: 'p' }, ':s': { N: '1' } }, ...extra }));
  const keys = await query({ ConsistentRead: true });
  assert.deepEqual(keys.Items, [
    { pk: { S: 'p' }, sk: { S: 'c' }, score: { N: '2' } },
    { pk: { S: 'p' }, sk: { S: 'a' }, score: { N: '3' } },
  ]);
  const full = await query({ Select: 'ALL_ATTRIBUTES' });
  assert.equal(full.Items![0]!.other!.S, 'x');
});

test('writes keep indexes consistent: put, update, delete, batch, transact', async () => {
  await h.client().send(new CreateTableCommand(indexedTable('idx_writes')));
  const put = (pk: string, status: string) =>
    h.client().send(new PutItemCommand({ TableName: 'idx_writes', Item: { pk: { S: pk }, sk: { S: 's' }, status: { S: status }, created: { N: '1' } } }));
  await put('a', 'open');
  await put('b', 'open');
  await put('a', 'closed');
  assert.deepEqual((await byStatus('idx_writes', 'open')).Items!.map((i) => i.pk!.S), ['b']);

  await h.client().send(
    new UpdateItemCommand({ TableName: 'idx_writes', Key: { pk: { S: 'b' }, sk: { S: 's' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'closed' } } }),
  );
  assert.equal((await byStatus('idx_writes', 'open')).Count, 0);
  assert.equal((await byStatus('idx_writes', 'closed')).Count, 2);

  await h.client().send(new UpdateItemCommand({ TableName: 'idx_writes', Key: { pk: { S: 'b' }, sk: { S: 's' } }, UpdateExpression: 'REMOVE created' }));
  assert.deepEqual((await byStatus('idx_writes', 'closed')).Items!.map((i) => i.pk!.S), ['a']);

  await h.client().send(new DeleteItemCommand({ TableName: 'idx_writes', Key: { pk: { S: 'a' }, sk: { S: 's' } } }));
  assert.equal((await byStatus('idx_writes', 'closed')).Count, 0);

  await h.client().send(
    new BatchWriteItemCommand({
      RequestItems: {
        idx_writes: [
          { PutRequest: { Item: { pk: { S: 'c' }, sk: { S: 's' }, status: { S: 'batch' }, created: { N: '1' } } } },
          { PutRequest: { Item: { pk: { S: 'd' }, sk: { S: 's' }, status: { S: 'batch' }, created: { N: '2' } } } },
        ],
      },
    }),
  );
  assert.equal((await byStatus('idx_writes', 'batch')).Count, 2);
  await h.client().send(new BatchWriteItemCommand({ RequestItems: { idx_writes: [{ DeleteRequest: { Key: { pk: { S: 'c' }, sk: { S: 's' } } } }] } }));
  assert.equal((await byStatus('idx_writes', 'batch')).Count, 1);

  await h.client().send(
    new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName: 'idx_writes', Item: { pk: { S: 'e' }, sk: { S: 's' }, status: { S: 'tx' }, created: { N: '1' } } } },
        { Delete: { TableName: 'idx_writes', Key: { pk: { S: 'd' }, sk: { S: 's' } } } },
      ],
    }),
  );
  assert.equal((await byStatus('idx_writes', 'batch')).Count, 0);
  assert.equal((await byStatus('idx_writes', 'tx')).Count, 1);
});

test('index key attributes are type-checked on writes', async () => {
  await h.client().send(new CreateTableCommand(indexedTable('idx_types')));
  await validation(
    h.client().send(new PutItemCommand({ TableName: 'idx_types', Item: { pk: { S: 'a' }, sk: { S: 's' }, created: { S: 'yesterday' } } })),
    'One or more parameter values were invalid: Type mismatch for Index Key created Expected: N Actual: S IndexName: byStatus',
  );
  await validation(
    h.client().send(
      new UpdateItemCommand({ TableName: 'idx_types', Key: { pk: { S: 'a' }, sk: { S: 's' } }, UpdateExpression: 'SET score = :v', ExpressionAttributeValues: { ':v': { S: 'high' } } }),
    ),
    'One or more parameter values were invalid: Type mismatch for Index Key score Expected: N Actual: S IndexName: byScore',
  );
  await validation(
    h.client().send(new PutItemCommand({ TableName: 'idx_types', Item: { pk: { S: 'a' }, sk: { S: 's' }, status: { S: '' } } })),
    'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byStatus, IndexKey: status',
  );
  await validation(
    h.client().send(new PutItemCommand({ TableName: 'idx_types', Item: { pk: { S: 'a' }, sk: { S: 's' }, status: { S: 'x'.repeat(2049) } } })),
    'One or more parameter values were invalid: Size limit exceeded for Index Key status Actual Size: 2049 bytes Max Size: 2048 bytes IndexName: byStatus',
  );
});

test('a transaction writing a wrongly typed index key is cancelled with a ValidationError reason', async () => {
  await h.client().send(new CreateTableCommand(indexedTable('idx_tx_types')));
  const err = await rejection(
    h.client().send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'idx_tx_types', Item: { pk: { S: 'a' }, sk: { S: 's' }, status: { S: 'ok' }, created: { N: '1' } } } },
          { Put: { TableName: 'idx_tx_types', Item: { pk: { S: 'b' }, sk: { S: 's' }, created: { S: 'x' } } } },
        ],
      }),
    ),
  );
  assert.equal(err.name, 'TransactionCanceledException');
  const reasons = (err as unknown as { CancellationReasons: { Code: string; Message?: string }[] }).CancellationReasons;
  assert.deepEqual(reasons.map((r) => r.Code), ['None', 'ValidationError']);
  assert.equal(reasons[1]!.Message, 'One or more parameter values were invalid: Type mismatch for Index Key created Expected: N Actual: S IndexName: byStatus');
  assert.equal((await byStatus('idx_tx_types', 'ok')).Count, 0);
});

test('index entries survive a storage reopen', async () => {
  await h.client().send(new CreateTableCommand(indexedTable('idx_durable')));
  await h.client().send(new PutItemCommand({ TableName: 'idx_durable', Item: { pk: { S: 'a' }, sk: { S: 's' }, status: { S: 'kept' }, created: { N: '1' } } }));
  await h.reopenStorage();
  assert.equal((await byStatus('idx_durable', 'kept')).Count, 1);
  const { Table } = await h.client().send(new DescribeTableCommand({ TableName: 'idx_durable' }));
  assert.equal(Table!.ItemCount, 1);
});

test('TTL deletions leave the indexes too', async () => {
  const storage = openTestStorage(join(h.dir, 'ttl.sqlite'));
  const server = await startDynamoServer(storage);
  const client = dynamoClient(server.url);
  try {
    await client.send(new CreateTableCommand(indexedTable('idx_ttl')));
    await client.send(new UpdateTimeToLiveCommand({ TableName: 'idx_ttl', TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true } }));
    await client.send(new PutItemCommand({ TableName: 'idx_ttl', Item: { pk: { S: 'a' }, sk: { S: 's' }, status: { S: 'old' }, created: { N: '1' }, expires: { N: '1000' } } }));
    assert.equal(await new TtlSweeper(storage, { now: () => new Date(2000 * 1000) }).sweep(), 1);
    const page = await storage.scanIndex({ table: 'idx_ttl', index: 'byStatus' });
    assert.equal(page.items.length, 0);
    assert.deepEqual(await storage.tableStats('idx_ttl'), { items: 0, bytes: 0, indexes: { byStatus: { items: 0, bytes: 0 } } });
  } finally {
    client.destroy();
    await server.close();
    await storage.close();
  }
});
