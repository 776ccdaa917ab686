// DynamoDB Streams: StreamSpecification on CreateTable and DescribeTable, the change records every kind of write
// appends (per view type, none for a write that changes nothing or is rolled back), the Streams API (ListStreams,
// DescribeStream, GetShardIterator with each iterator type, GetRecords paging) and its errors, TTL deletions with the
// service's identity, and trimming. The Streams API is driven with signed requests (test/helpers/streams-client.ts).
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ensureTables } from '../../../src/data/service/ensure-tables.js';
import { readMetadata } from '../../../src/data/service/tables.js';
import { TtlSweeper } from '../../../src/data/service/ttl-sweeper.js';
import { applyStreamRequest, checkStreamRequest } from '../../../src/data/streams/stream-settings.js';
import { decodeIterator, encodeIterator } from '../../../src/data/streams/shard-iterator.js';
import type { Storage } from '../../../src/data/storage/storage.js';
import { readAllRecords, streamsCall, StreamsError } from '../../helpers/streams-client.js';
import { hasBoto3, rejection, run, tableSpec, useDirectDataService, validation, type RunningDynamo } from './harness.js';

let storage: Storage;
let server: RunningDynamo;
let client: DynamoDBClient;
useDirectDataService('portico-streams-', (service) => ({ storage, server, client } = service));

async function createTable(name: string, viewType?: string): Promise<Record<string, unknown>> {
  const out = await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...(viewType ? { StreamSpecification: { StreamEnabled: true, StreamViewType: viewType as 'KEYS_ONLY' } } : {}),
    }),
  );
  return out.TableDescription as Record<string, unknown>;
}

const call = (op: string, input: Record<string, unknown>) => streamsCall(server.url, op, input);

async function streamError(promise: Promise<unknown>): Promise<StreamsError> {
  try {
    await promise;
  } catch (err) {
    return err as StreamsError;
  }
  assert.fail('expected the call to be rejected');
}

async function shardOf(arn: string): Promise<string> {
  const out = (await call('DescribeStream', { StreamArn: arn })) as { StreamDescription: { Shards: { ShardId: string }[] } };
  return out.StreamDescription.Shards[0]!.ShardId;
}

async function iterator(arn: string, type: string, sequenceNumber?: string): Promise<string> {
  const out = await call('GetShardIterator', { StreamArn: arn, ShardId: await shardOf(arn), ShardIteratorType: type, ...(sequenceNumber ? { SequenceNumber: sequenceNumber } : {}) });
  return out.ShardIterator as string;
}

interface StreamRecord {
  eventID: string;
  eventName: string;
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  userIdentity?: unknown;
  dynamodb: { ApproximateCreationDateTime: number; Keys: unknown; NewImage?: unknown; OldImage?: unknown; SequenceNumber: string; SizeBytes: number; StreamViewType: string };
}

test('CreateTable with a stream: DescribeTable shows it; every write appends a record; no-op writes append none', async () => {
  const created = await createTable('streams-main', 'NEW_AND_OLD_IMAGES');
  assert.deepEqual(created.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  const described = (await client.send(new DescribeTableCommand({ TableName: 'streams-main' }))).Table!;
  assert.match(described.LatestStreamLabel!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
  assert.equal(described.LatestStreamArn, `arn:aws:dynamodb:us-east-1:123456789012:table/streams-main/stream/${described.LatestStreamLabel}`);

  const item = { pk: { S: 'a' }, v: { N: '1' } };
  await client.send(new PutItemCommand({ TableName: 'streams-main', Item: item }));
  await client.send(new PutItemCommand({ TableName: 'streams-main', Item: { v: { N: '1' }, pk: { S: 'a' } } })); // unchanged
  await client.send(new PutItemCommand({ TableName: 'streams-main', Item: { pk: { S: 's' }, tags: { SS: ['x', 'y'] } } }));
  await client.send(new PutItemCommand({ TableName: 'streams-main', Item: { pk: { S: 's' }, tags: { SS: ['y', 'x'] } } })); // the same set
  await client.send(new UpdateItemCommand({ TableName: 'streams-main', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } }));
  await client.send(new UpdateItemCommand({ TableName: 'streams-main', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } })); // unchanged
  await client.send(new DeleteItemCommand({ TableName: 'streams-main', Key: { pk: { S: 'a' } } }));
  await client.send(new DeleteItemCommand({ TableName: 'streams-main', Key: { pk: { S: 'missing' } } })); // nothing deleted
  await client.send(
    new BatchWriteItemCommand({ RequestItems: { 'streams-main': [{ PutRequest: { Item: { pk: { S: 'b' } } } }, { PutRequest: { Item: { pk: { S: 'c' } } } }] } }),
  );
  await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'streams-main', Item: { pk: { S: 'd' } } } }, { Delete: { TableName: 'streams-main', Key: { pk: { S: 'b' } } } }] }));
  // A cancelled transaction writes nothing, so no record either.
  await rejection(
    client.send(
      new TransactWriteItemsCommand({
        TransactItems: [{ Put: { TableName: 'streams-main', Item: { pk: { S: 'e' } } } }, { ConditionCheck: { TableName: 'streams-main', Key: { pk: { S: 'zz' } }, ConditionExpression: 'attribute_exists(pk)' } }],
      }),
    ),
  );

  const records = (await readAllRecords(server.url, 'streams-main')) as unknown as StreamRecord[];
  assert.deepEqual(
    records.map((r) => [r.eventName, r.dynamodb.Keys]),
    [
      ['INSERT', { pk: { S: 'a' } }],
      ['INSERT', { pk: { S: 's' } }],
      ['MODIFY', { pk: { S: 'a' } }],
      ['REMOVE', { pk: { S: 'a' } }],
      ['INSERT', { pk: { S: 'b' } }],
      ['INSERT', { pk: { S: 'c' } }],
      ['INSERT', { pk: { S: 'd' } }],
      ['REMOVE', { pk: { S: 'b' } }],
    ],
  );
  const [insert, , modify, remove] = records;
  assert.deepEqual(Object.keys(insert!), ['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb']);
  assert.equal(insert!.eventVersion, '1.1');
  assert.equal(insert!.eventSource, 'aws:dynamodb');
  assert.equal(insert!.awsRegion, 'us-east-1');
  assert.match(insert!.eventID, /^[0-9a-f]{32}$/);
  assert.deepEqual(insert!.dynamodb.NewImage, item);
  assert.equal(insert!.dynamodb.OldImage, undefined);
  assert.equal(insert!.dynamodb.StreamViewType, 'NEW_AND_OLD_IMAGES');
  assert.ok(Number.isInteger(insert!.dynamodb.ApproximateCreationDateTime) && Math.abs(insert!.dynamodb.ApproximateCreationDateTime - Date.now() / 1000) < 60);
  assert.ok(insert!.dynamodb.SizeBytes > 0);
  assert.deepEqual(modify!.dynamodb.OldImage, item);
  assert.deepEqual(modify!.dynamodb.NewImage, { pk: { S: 'a' }, v: { N: '2' } });
  assert.deepEqual(remove!.dynamodb.OldImage, { pk: { S: 'a' }, v: { N: '2' } });
  assert.equal(remove!.dynamodb.NewImage, undefined);
  const sequence = records.map((r) => r.dynamodb.SequenceNumber);
  assert.ok(sequence.every((s) => /^\d{21,}$/.test(s)));
  assert.ok(sequence.every((s, i) => i === 0 || BigInt(s) > BigInt(sequence[i - 1]!)));
});

test('each view type carries the images it names', async () => {
  const expected: Record<string, [boolean, boolean]> = { KEYS_ONLY: [false, false], NEW_IMAGE: [true, false], OLD_IMAGE: [false, true], NEW_AND_OLD_IMAGES: [true, true] };
  for (const [view, [hasNew, hasOld]] of Object.entries(expected)) {
    const name = `streams-view-${view.toLowerCase().replace(/_/g, '-')}`;
    await createTable(name, view);
    await client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'k' }, v: { S: 'one' } } }));
    await client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'k' }, v: { S: 'two' } } }));
    const [, modify] = (await readAllRecords(server.url, name)) as unknown as StreamRecord[];
    assert.equal(modify!.eventName, 'MODIFY');
    assert.deepEqual(modify!.dynamodb.Keys, { pk: { S: 'k' } });
    assert.equal(modify!.dynamodb.StreamViewType, view);
    assert.deepEqual(modify!.dynamodb.NewImage, hasNew ? { pk: { S: 'k' }, v: { S: 'two' } } : undefined, view);
    assert.deepEqual(modify!.dynamodb.OldImage, hasOld ? { pk: { S: 'k' }, v: { S: 'one' } } : undefined, view);
  }
});

test('ListStreams, DescribeStream and the iterator types', async () => {
  await createTable('streams-iter', 'KEYS_ONLY');
  await createTable('streams-none');
  const all = (await call('ListStreams', {})) as { Streams: { StreamArn: string; TableName: string; StreamLabel: string }[] };
  assert.ok(all.Streams.some((s) => s.TableName === 'streams-iter'));
  assert.ok(!all.Streams.some((s) => s.TableName === 'streams-none'));
  const paged = (await call('ListStreams', { Limit: 1 })) as { Streams: unknown[]; LastEvaluatedStreamArn?: string };
  assert.equal(paged.Streams.length, 1);
  assert.ok(paged.LastEvaluatedStreamArn);
  const next = (await call('ListStreams', { Limit: 1, ExclusiveStartStreamArn: paged.LastEvaluatedStreamArn })) as { Streams: { StreamArn: string }[] };
  assert.notEqual(next.Streams[0]!.StreamArn, paged.LastEvaluatedStreamArn);
  const one = (await call('ListStreams', { TableName: 'streams-iter' })) as { Streams: { StreamArn: string; TableName: string; StreamLabel: string }[] };
  assert.equal(one.Streams.length, 1);
  const arn = one.Streams[0]!.StreamArn;
  assert.equal(arn, `arn:aws:dynamodb:us-east-1:123456789012:table/streams-iter/stream/${one.Streams[0]!.StreamLabel}`);

  for (const pk of ['1', '2', '3']) await client.send(new PutItemCommand({ TableName: 'streams-iter', Item: { pk: { S: pk } } }));
  const described = (await call('DescribeStream', { StreamArn: arn })) as { StreamDescription: Record<string, unknown> & { Shards: { ShardId: string; SequenceNumberRange: Record<string, string> }[] } };
  const d = described.StreamDescription;
  assert.equal(d.StreamStatus, 'ENABLED');
  assert.equal(d.StreamViewType, 'KEYS_ONLY');
  assert.equal(d.TableName, 'streams-iter');
  assert.deepEqual(d.KeySchema, [{ AttributeName: 'pk', KeyType: 'HASH' }]);
  assert.match(d.Shards[0]!.ShardId, /^shardId-\d{20}-[0-9a-f]{8}$/);
  assert.equal(d.Shards[0]!.SequenceNumberRange.EndingSequenceNumber, undefined);

  const first = (await call('GetRecords', { ShardIterator: await iterator(arn, 'TRIM_HORIZON'), Limit: 2 })) as { Records: StreamRecord[]; NextShardIterator: string };
  assert.deepEqual(first.Records.map((r) => r.dynamodb.Keys), [{ pk: { S: '1' } }, { pk: { S: '2' } }]);
  assert.equal(d.Shards[0]!.SequenceNumberRange.StartingSequenceNumber, first.Records[0]!.dynamodb.SequenceNumber);
  const rest = (await call('GetRecords', { ShardIterator: first.NextShardIterator })) as { Records: StreamRecord[]; NextShardIterator: string };
  assert.deepEqual(rest.Records.map((r) => r.dynamodb.Keys), [{ pk: { S: '3' } }]);
  const empty = (await call('GetRecords', { ShardIterator: rest.NextShardIterator })) as { Records: StreamRecord[]; NextShardIterator: string };
  assert.deepEqual(empty.Records, []);
  assert.ok(empty.NextShardIterator);

  const second = first.Records[1]!.dynamodb.SequenceNumber;
  const at = (await call('GetRecords', { ShardIterator: await iterator(arn, 'AT_SEQUENCE_NUMBER', second) })) as { Records: StreamRecord[] };
  assert.deepEqual(at.Records.map((r) => r.dynamodb.Keys), [{ pk: { S: '2' } }, { pk: { S: '3' } }]);
  const afterIt = (await call('GetRecords', { ShardIterator: await iterator(arn, 'AFTER_SEQUENCE_NUMBER', second) })) as { Records: StreamRecord[] };
  assert.deepEqual(afterIt.Records.map((r) => r.dynamodb.Keys), [{ pk: { S: '3' } }]);

  const latest = await iterator(arn, 'LATEST');
  assert.deepEqual(((await call('GetRecords', { ShardIterator: latest })) as { Records: unknown[] }).Records, []);
  await client.send(new PutItemCommand({ TableName: 'streams-iter', Item: { pk: { S: '4' } } }));
  const fresh = (await call('GetRecords', { ShardIterator: latest })) as { Records: StreamRecord[] };
  assert.deepEqual(fresh.Records.map((r) => r.dynamodb.Keys), [{ pk: { S: '4' } }]);
});

test('Streams API errors', async () => {
  await createTable('streams-errors', 'NEW_IMAGE');
  const arn = `arn:aws:dynamodb:us-east-1:123456789012:table/streams-errors/stream/1999-01-01T00:00:00.000`;
  const notFound = await streamError(call('DescribeStream', { StreamArn: arn }));
  assert.equal(notFound.status, 400);
  assert.equal(notFound.type, 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException');
  assert.equal(notFound.message, `Requested resource not found: Stream: ${arn} not found`);

  const real = ((await call('ListStreams', { TableName: 'streams-errors' })) as { Streams: { StreamArn: string }[] }).Streams[0]!.StreamArn;
  const shardId = await shardOf(real);
  const badType = await streamError(call('GetShardIterator', { StreamArn: real, ShardId: shardId, ShardIteratorType: 'OLDEST' }));
  assert.equal(badType.name, 'ValidationException');
  assert.equal(
    badType.message,
    "1 validation error detected: Value 'OLDEST' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]",
  );
  const noSeq = await streamError(call('GetShardIterator', { StreamArn: real, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER' }));
  assert.equal(noSeq.name, 'ValidationException');
  const badShard = await streamError(call('GetShardIterator', { StreamArn: real, ShardId: 'shardId-00000000000000000000-00000000', ShardIteratorType: 'LATEST' }));
  assert.equal(badShard.name, 'ResourceNotFoundException');

  const garbage = await streamError(call('GetRecords', { ShardIterator: 'not-an-iterator' }));
  assert.equal(garbage.name, 'ValidationException');
  const limit = await streamError(call('GetRecords', { ShardIterator: await iterator(real, 'LATEST'), Limit: 1001 }));
  assert.equal(limit.message, "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000");

  const unknownOp = await streamError(call('DescribeTable', { TableName: 'streams-errors' }));
  assert.equal(unknownOp.type, 'com.amazon.coral.service#UnknownOperationException');

  await validation(
    client.send(
      new CreateTableCommand({
        TableName: 'streams-bad',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'ALL' as 'KEYS_ONLY' },
      }),
    ),
    "1 validation error detected: Value 'ALL' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]",
  );
});

test('iterators expire after 15 minutes', () => {
  const issued = new Date('2026-01-01T00:00:00Z');
  const text = encodeIterator({ arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/x', shardId: 's', after: 7 }, issued);
  assert.equal(decodeIterator(text, new Date(issued.getTime() + 14 * 60_000)).after, 7);
  assert.throws(() => decodeIterator(text, new Date(issued.getTime() + 16 * 60_000)), (err: Error & { code?: string }) => err.code === 'ExpiredIteratorException');
});

test('trimmed records: TRIM_HORIZON moves on, an old position is TrimmedDataAccessException', async () => {
  await createTable('streams-trim', 'KEYS_ONLY');
  await client.send(new PutItemCommand({ TableName: 'streams-trim', Item: { pk: { S: 'old' } } }));
  const arn = ((await call('ListStreams', { TableName: 'streams-trim' })) as { Streams: { StreamArn: string }[] }).Streams[0]!.StreamArn;
  const stale = await iterator(arn, 'TRIM_HORIZON');
  const [oldRecord] = (await readAllRecords(server.url, 'streams-trim')) as unknown as StreamRecord[];
  while ((await storage.trimChanges(0, Date.now() + 1000)) > 0);
  await client.send(new PutItemCommand({ TableName: 'streams-trim', Item: { pk: { S: 'new' } } }));
  assert.equal((await streamError(call('GetRecords', { ShardIterator: stale }))).name, 'TrimmedDataAccessException');
  assert.equal((await streamError(iterator(arn, 'AT_SEQUENCE_NUMBER', oldRecord!.dynamodb.SequenceNumber))).name, 'TrimmedDataAccessException');
  const records = (await readAllRecords(server.url, 'streams-trim')) as unknown as StreamRecord[];
  assert.deepEqual(records.map((r) => r.dynamodb.Keys), [{ pk: { S: 'new' } }]);
});

test('a TTL deletion reaches the stream as a REMOVE by the DynamoDB service', async () => {
  await createTable('streams-ttl', 'NEW_AND_OLD_IMAGES');
  await client.send(new UpdateTimeToLiveCommand({ TableName: 'streams-ttl', TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true } }));
  const expires = Math.floor(Date.now() / 1000) - 10;
  await client.send(new PutItemCommand({ TableName: 'streams-ttl', Item: { pk: { S: 'gone' }, expires: { N: String(expires) } } }));
  await client.send(new DeleteItemCommand({ TableName: 'streams-ttl', Key: { pk: { S: 'nobody' } } }));
  assert.equal(await new TtlSweeper(storage).sweep(), 1);
  const [insert, remove] = (await readAllRecords(server.url, 'streams-ttl')) as unknown as StreamRecord[];
  assert.equal(insert!.userIdentity, undefined);
  assert.equal(remove!.eventName, 'REMOVE');
  assert.deepEqual(remove!.userIdentity, { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' });
  assert.deepEqual(remove!.dynamodb.OldImage, { pk: { S: 'gone' }, expires: { N: String(expires) } });
});

test('boto3 dynamodbstreams reads the stream (AWS_ENDPOINT_URL_DYNAMODB_STREAMS, botocore parsing and errors)', { skip: !hasBoto3 && 'boto3 not installed' }, async () => {
  await createTable('streams-boto', 'NEW_IMAGE');
  await client.send(new PutItemCommand({ TableName: 'streams-boto', Item: { pk: { S: 'x' }, n: { N: '7' } } }));
  const script = `
import boto3, json
from botocore.config import Config
s = boto3.client('dynamodbstreams', region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test', config=Config(retries={'max_attempts': 1}))
arn = s.list_streams(TableName='streams-boto')['Streams'][0]['StreamArn']
shard = s.describe_stream(StreamArn=arn)['StreamDescription']['Shards'][0]['ShardId']
it = s.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType='TRIM_HORIZON')['ShardIterator']
page = s.get_records(ShardIterator=it)
r = page['Records'][0]
try:
    s.describe_stream(StreamArn=arn + 'x')
    code = None
except s.exceptions.ResourceNotFoundException as e:
    code = e.response['Error']['Code']
print(json.dumps({'name': r['eventName'], 'image': r['dynamodb']['NewImage'], 'at': r['dynamodb']['ApproximateCreationDateTime'].isoformat(), 'next': bool(page.get('NextShardIterator')), 'code': code}))
`;
  const { stdout } = await run('python3', ['-c', script], {
    env: { ...process.env, AWS_ENDPOINT_URL_DYNAMODB_STREAMS: server.url, AWS_CONFIG_FILE: '/nonexistent/portico', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/portico' },
  });
  const result = JSON.parse(stdout) as { name: string; image: unknown; at: string; next: boolean; code: string };
  assert.equal(result.name, 'INSERT');
  assert.deepEqual(result.image, { pk: { S: 'x' }, n: { N: '7' } });
  assert.ok(Math.abs(Date.parse(result.at) - Date.now()) < 60_000, result.at);
  assert.equal(result.next, true);
  assert.equal(result.code, 'ResourceNotFoundException');
});

test('UpdateTable helpers: enable, refuse a second enable, disable (records stay readable, shard closed), re-enable', async () => {
  await createTable('streams-update');
  const update = async (enabled: boolean, viewType?: 'NEW_IMAGE') => {
    const request = { enabled, viewType };
    checkStreamRequest(request);
    const table = (await storage.getTable('streams-update'))!;
    await storage.updateTableMetadata('streams-update', JSON.stringify(applyStreamRequest(readMetadata(table), request, 'streams-update', new Date())));
  };
  assert.throws(() => checkStreamRequest({ enabled: true, viewType: undefined }), /If stream is being enabled then UpdateViewType is required/);
  assert.throws(() => checkStreamRequest({ enabled: false, viewType: 'KEYS_ONLY' }), /If stream is being disabled, then UpdateViewType must not be specified/);
  await assert.rejects(update(false), /Table has no stream to disable: TableName: streams-update/);
  await update(true, 'NEW_IMAGE');
  await assert.rejects(update(true, 'NEW_IMAGE'), /Table already has an enabled stream: TableName: streams-update/);
  await client.send(new PutItemCommand({ TableName: 'streams-update', Item: { pk: { S: 'a' } } }));
  const arn = ((await call('ListStreams', { TableName: 'streams-update' })) as { Streams: { StreamArn: string }[] }).Streams[0]!.StreamArn;
  const iteratorBefore = await iterator(arn, 'TRIM_HORIZON');
  await update(false);
  await client.send(new PutItemCommand({ TableName: 'streams-update', Item: { pk: { S: 'b' } } }));
  const described = (await client.send(new DescribeTableCommand({ TableName: 'streams-update' }))).Table!;
  assert.equal(described.StreamSpecification, undefined);
  assert.equal(described.LatestStreamArn, arn);
  const stream = (await call('DescribeStream', { StreamArn: arn })) as { StreamDescription: { StreamStatus: string; Shards: { SequenceNumberRange: { EndingSequenceNumber?: string } }[] } };
  assert.equal(stream.StreamDescription.StreamStatus, 'DISABLED');
  assert.ok(stream.StreamDescription.Shards[0]!.SequenceNumberRange.EndingSequenceNumber);
  const page = (await call('GetRecords', { ShardIterator: iteratorBefore })) as { Records: StreamRecord[]; NextShardIterator?: string };
  assert.deepEqual(page.Records.map((r) => r.dynamodb.Keys), [{ pk: { S: 'a' } }]);
  assert.equal(page.NextShardIterator, undefined, 'the closed shard is read to its end');
  await new Promise((resolve) => setTimeout(resolve, 2));
  await update(true, 'NEW_IMAGE');
  const renewed = (await client.send(new DescribeTableCommand({ TableName: 'streams-update' }))).Table!;
  assert.notEqual(renewed.LatestStreamArn, arn);
});

test('template tables: the stream gets the ARN !GetAtt gave; an existing table gets the stream the template adds', async () => {
  const streamArn = 'arn:aws:dynamodb:us-east-1:123456789012:table/streams-template/stream/2024-01-01T00:00:00.000';
  const spec = tableSpec('streams-template', { type: 'AWS::DynamoDB::Table', streamViewType: 'NEW_IMAGE', streamArn });
  await ensureTables(storage, [spec], 'us-east-1');
  let described = (await client.send(new DescribeTableCommand({ TableName: 'streams-template' }))).Table!;
  assert.equal(described.LatestStreamArn, streamArn);
  assert.deepEqual(described.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });

  await createTable('streams-template-later');
  const laterArn = 'arn:aws:dynamodb:us-east-1:123456789012:table/streams-template-later/stream/2024-01-01T00:00:00.000';
  const report = await ensureTables(storage, [tableSpec('streams-template-later', { streamViewType: 'KEYS_ONLY', streamArn: laterArn })], 'us-east-1');
  assert.ok(!report.notices.some((n) => /its stream/.test(n)), report.notices.join('\n'));
  described = (await client.send(new DescribeTableCommand({ TableName: 'streams-template-later' }))).Table!;
  assert.equal(described.LatestStreamArn, laterArn);
  const changed = await ensureTables(storage, [tableSpec('streams-template-later', { streamViewType: 'NEW_IMAGE', streamArn: laterArn })], 'us-east-1');
  assert.match(changed.notices.join('\n'), /keeps its stream of view type KEYS_ONLY; the template declares NEW_IMAGE/);
});
