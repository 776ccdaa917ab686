// The DynamoDB Streams API driven by the AWS SDK v3's own client, @aws-sdk/client-dynamodb-streams
// (DynamoDBStreamsClient): ListStreams (with paging), DescribeStream, GetShardIterator (each iterator type) and
// GetRecords (paging, the SDK's parsing of records: ApproximateCreationDateTime as a Date, images as AttributeValues),
// the service's errors as the SDK's modelled exceptions, and the endpoint taken from AWS_ENDPOINT_URL_DYNAMODB_STREAMS
// as well as from `endpoint`. (streams-api.test.ts drives the same API with hand-signed requests.)
import { CreateTableCommand, DeleteItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  ResourceNotFoundException,
  type _Record,
  type GetRecordsCommandOutput,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Storage } from '../../../src/data/storage/storage.js';
import { dynamoClient, openTestStorage, startDynamoServer, useTempDir, type RunningDynamo } from './harness.js';

const dir = useTempDir('portico-streams-sdk-');
let storage: Storage;
let server: RunningDynamo;
let client: DynamoDBClient;
let streams: DynamoDBStreamsClient;

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

before(async () => {
  storage = openTestStorage(join(dir.path, 'dynamodb.sqlite'));
  server = await startDynamoServer(storage);
  client = dynamoClient(server.url);
  streams = new DynamoDBStreamsClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
});

after(async () => {
  streams.destroy();
  client.destroy();
  await server.close();
  await storage.close();
});

async function createTable(name: string, viewType: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY' | undefined): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...(viewType ? { StreamSpecification: { StreamEnabled: true, StreamViewType: viewType } } : {}),
    }),
  );
}

async function streamOf(table: string): Promise<{ arn: string; shardId: string }> {
  const listed = await streams.send(new ListStreamsCommand({ TableName: table }));
  assert.equal(listed.Streams?.length, 1);
  const arn = listed.Streams![0]!.StreamArn!;
  const described = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
  return { arn, shardId: described.StreamDescription!.Shards![0]!.ShardId! };
}

async function iterator(table: string, type: ShardIteratorType, sequenceNumber?: string): Promise<string> {
  const { arn, shardId } = await streamOf(table);
  const out = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: type, SequenceNumber: sequenceNumber }));
  assert.ok(out.ShardIterator);
  return out.ShardIterator;
}

/** Every record from TRIM_HORIZON, `limit` a page, following NextShardIterator until a page is empty. */
async function readAll(table: string, limit?: number): Promise<{ records: _Record[]; pages: number }> {
  let shardIterator: string | undefined = await iterator(table, 'TRIM_HORIZON');
  const records: _Record[] = [];
  let pages = 0;
  while (shardIterator) {
    const page: GetRecordsCommandOutput = await streams.send(new GetRecordsCommand({ ShardIterator: shardIterator, Limit: limit }));
    pages++;
    records.push(...(page.Records ?? []));
    if (!page.Records?.length) break;
    shardIterator = page.NextShardIterator;
  }
  return { records, pages };
}

test('ListStreams (with paging) and DescribeStream through DynamoDBStreamsClient', async () => {
  await createTable('sdk-list-a', 'KEYS_ONLY');
  await createTable('sdk-list-b', 'NEW_IMAGE');
  await createTable('sdk-list-none', undefined);

  const all = await streams.send(new ListStreamsCommand({}));
  const tables = all.Streams!.map((s) => s.TableName);
  assert.ok(tables.includes('sdk-list-a') && tables.includes('sdk-list-b'));
  assert.ok(!tables.includes('sdk-list-none'), 'a table without a stream has none');

  const first = await streams.send(new ListStreamsCommand({ Limit: 1 }));
  assert.equal(first.Streams!.length, 1);
  assert.ok(first.LastEvaluatedStreamArn);
  const second = await streams.send(new ListStreamsCommand({ Limit: 1, ExclusiveStartStreamArn: first.LastEvaluatedStreamArn }));
  assert.notEqual(second.Streams![0]!.StreamArn, first.Streams![0]!.StreamArn);

  const one = await streams.send(new ListStreamsCommand({ TableName: 'sdk-list-b' }));
  const summary = one.Streams![0]!;
  assert.equal(summary.TableName, 'sdk-list-b');
  assert.equal(summary.StreamArn, `arn:aws:dynamodb:us-east-1:123456789012:table/sdk-list-b/stream/${summary.StreamLabel}`);

  const described = (await streams.send(new DescribeStreamCommand({ StreamArn: summary.StreamArn }))).StreamDescription!;
  assert.equal(described.StreamArn, summary.StreamArn);
  assert.equal(described.StreamLabel, summary.StreamLabel);
  assert.equal(described.StreamStatus, 'ENABLED');
  assert.equal(described.StreamViewType, 'NEW_IMAGE');
  assert.equal(described.TableName, 'sdk-list-b');
  assert.deepEqual(described.KeySchema, [{ AttributeName: 'pk', KeyType: 'HASH' }]);
  assert.ok(described.CreationRequestDateTime instanceof Date, 'the SDK parsed the creation time into a Date');
  assert.equal(described.Shards!.length, 1);
  assert.match(described.Shards![0]!.ShardId!, /^shardId-\d{20}-[0-9a-f]{8}$/);
});

test('GetShardIterator (every type) and GetRecords (paging, images, parsed dates) through DynamoDBStreamsClient', async () => {
  await createTable('sdk-records', 'NEW_AND_OLD_IMAGES');
  const startedAt = Date.now();
  await client.send(new PutItemCommand({ TableName: 'sdk-records', Item: { pk: { S: 'a' }, n: { N: '1' }, tags: { SS: ['x'] } } }));
  await client.send(new PutItemCommand({ TableName: 'sdk-records', Item: { pk: { S: 'b' }, bin: { B: Buffer.from([1, 2, 3]) } } }));
  await client.send(new UpdateItemCommand({ TableName: 'sdk-records', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '2' } } }));
  await client.send(new DeleteItemCommand({ TableName: 'sdk-records', Key: { pk: { S: 'b' } } }));

  const { records, pages } = await readAll('sdk-records', 1);
  assert.equal(pages, 5, 'four pages of one record, then an empty page');
  assert.deepEqual(records.map((r) => [r.eventName, r.dynamodb!.Keys!.pk!.S]), [
    ['INSERT', 'a'],
    ['INSERT', 'b'],
    ['MODIFY', 'a'],
    ['REMOVE', 'b'],
  ]);
  const [insert, insertB, modify, remove] = records;
  assert.equal(insert!.eventSource, 'aws:dynamodb');
  assert.equal(insert!.eventVersion, '1.1');
  assert.equal(insert!.awsRegion, 'us-east-1');
  assert.match(insert!.eventID!, /^[0-9a-f]{32}$/);
  assert.deepEqual(insert!.dynamodb!.NewImage, { pk: { S: 'a' }, n: { N: '1' }, tags: { SS: ['x'] } });
  assert.equal(insert!.dynamodb!.OldImage, undefined);
  assert.equal(insert!.dynamodb!.StreamViewType, 'NEW_AND_OLD_IMAGES');
  assert.ok(insert!.dynamodb!.SizeBytes! > 0);
  const at = insert!.dynamodb!.ApproximateCreationDateTime;
  assert.ok(at instanceof Date, 'ApproximateCreationDateTime is parsed into a Date');
  assert.ok(Math.abs(at.getTime() - startedAt) < 60_000, at.toISOString());
  assert.deepEqual(insertB!.dynamodb!.NewImage!.bin!.B, new Uint8Array([1, 2, 3]), 'binary values come back as bytes');
  assert.deepEqual(modify!.dynamodb!.OldImage!.n, { N: '1' });
  assert.deepEqual(modify!.dynamodb!.NewImage!.n, { N: '2' });
  assert.equal(remove!.dynamodb!.NewImage, undefined);
  assert.deepEqual(remove!.dynamodb!.OldImage!.pk, { S: 'b' });
  const sequence = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
  assert.ok(sequence.every((s, i) => i === 0 || s > sequence[i - 1]!), 'sequence numbers increase');

  const second = records[1]!.dynamodb!.SequenceNumber!;
  const at2 = await streams.send(new GetRecordsCommand({ ShardIterator: await iterator('sdk-records', 'AT_SEQUENCE_NUMBER', second) }));
  assert.deepEqual(at2.Records!.map((r) => r.dynamodb!.SequenceNumber), records.slice(1).map((r) => r.dynamodb!.SequenceNumber));
  const after2 = await streams.send(new GetRecordsCommand({ ShardIterator: await iterator('sdk-records', 'AFTER_SEQUENCE_NUMBER', second) }));
  assert.deepEqual(after2.Records!.map((r) => r.dynamodb!.SequenceNumber), records.slice(2).map((r) => r.dynamodb!.SequenceNumber));

  const latest = await iterator('sdk-records', 'LATEST');
  const nothing = await streams.send(new GetRecordsCommand({ ShardIterator: latest }));
  assert.deepEqual(nothing.Records, []);
  assert.ok(nothing.NextShardIterator);
  await client.send(new PutItemCommand({ TableName: 'sdk-records', Item: { pk: { S: 'c' } } }));
  const fresh = await streams.send(new GetRecordsCommand({ ShardIterator: nothing.NextShardIterator }));
  assert.deepEqual(fresh.Records!.map((r) => r.dynamodb!.Keys), [{ pk: { S: 'c' } }]);
});

test('Streams errors reach the SDK as its modelled exceptions', async () => {
  await createTable('sdk-errors', 'KEYS_ONLY');
  const { arn, shardId } = await streamOf('sdk-errors');
  const missing = `${arn.slice(0, arn.lastIndexOf('/') + 1)}1999-01-01T00:00:00.000`;
  await assert.rejects(streams.send(new DescribeStreamCommand({ StreamArn: missing })), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.ok(err instanceof ResourceNotFoundException, `${err.name}: ${err.message}`);
    assert.equal(err.message, `Requested resource not found: Stream: ${missing} not found`);
    assert.equal(err.$metadata?.httpStatusCode, 400);
    return true;
  });
  await assert.rejects(
    streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: 'shardId-00000000000000000000-00000000', ShardIteratorType: 'LATEST' })),
    ResourceNotFoundException,
  );
  await assert.rejects(streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER' })), { name: 'ValidationException' });
  await assert.rejects(streams.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' })), { name: 'ValidationException' });
  const valid = await iterator('sdk-errors', 'LATEST');
  await assert.rejects(streams.send(new GetRecordsCommand({ ShardIterator: valid, Limit: 1001 })), {
    name: 'ValidationException',
    message: "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000",
  });
  // ExpiredIteratorException is modelled too (its timing is covered in streams-api.test.ts); the class exists.
  assert.equal(typeof ExpiredIteratorException, 'function');
});

test('the SDK finds the endpoint in AWS_ENDPOINT_URL_DYNAMODB_STREAMS', async () => {
  await createTable('sdk-env', 'NEW_IMAGE');
  await client.send(new PutItemCommand({ TableName: 'sdk-env', Item: { pk: { S: 'e' } } }));
  const saved = { streams: process.env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS, all: process.env.AWS_ENDPOINT_URL, ignore: process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS };
  process.env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS = server.url;
  process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:1'; // the service-specific variable wins over the global one
  delete process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
  const fromEnv = new DynamoDBStreamsClient({ region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    const listed = await fromEnv.send(new ListStreamsCommand({ TableName: 'sdk-env' }));
    const arn = listed.Streams![0]!.StreamArn!;
    const shardId = (await fromEnv.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards![0]!.ShardId!;
    const it = await fromEnv.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
    const page = await fromEnv.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
    assert.deepEqual(page.Records!.map((r) => [r.eventName, r.dynamodb!.NewImage]), [['INSERT', { pk: { S: 'e' } }]]);
  } finally {
    fromEnv.destroy();
    for (const [name, value] of [
      ['AWS_ENDPOINT_URL_DYNAMODB_STREAMS', saved.streams],
      ['AWS_ENDPOINT_URL', saved.all],
      ['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', saved.ignore],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});
