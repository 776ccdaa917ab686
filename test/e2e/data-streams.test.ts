// DynamoDB streams triggering functions under `portico up`: a SAM DynamoDB event and an AWS::Lambda::EventSourceMapping
// deliver the template table's records in order and in batches, with the Lambda record shape; FilterCriteria,
// ReportBatchItemFailures, retries with BisectBatchOnFunctionError and MaximumRetryAttempts; TTL deletions arrive
// as REMOVE records by the DynamoDB service; the mappings' positions survive a restart (nothing lost, nothing
// delivered twice). The consumers (test/fixtures/apps/streams) write what they received to a sink table.
import { BatchWriteItemCommand, DeleteItemCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, ScanCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startPortico, type RunningPortico } from '../helpers/portico.js';
import { readAllRecords } from '../helpers/streams-client.js';

const APP = 'test/fixtures/apps/streams';
const ORDERS = 'streams-orders';
const JOBS = 'streams-jobs';
const SINK = 'streams-sink';

const dataDir = mkdtempSync(join(tmpdir(), 'portico-streams-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function dynamo(portico: RunningPortico): DynamoDBClient {
  return new DynamoDBClient({ endpoint: portico.awsEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
}

type Sink = Map<string, Record<string, AttributeValue>>;

async function sink(client: DynamoDBClient): Promise<Sink> {
  const items: Sink = new Map();
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: SINK, ConsistentRead: true, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) items.set(item.id!.S!, item);
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function waitFor(client: DynamoDBClient, done: (items: Sink) => boolean, what: string, timeoutMs = 30_000): Promise<Sink> {
  const started = Date.now();
  for (;;) {
    const items = await sink(client);
    if (done(items)) return items;
    if (Date.now() - started > timeoutMs) assert.fail(`timed out waiting for ${what}; sink has ${[...items.keys()].sort().join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface LambdaRecord {
  eventID: string;
  eventName: string;
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  eventSourceARN: string;
  userIdentity?: unknown;
  dynamodb: { Keys: { id: { S: string } }; NewImage?: Record<string, unknown>; OldImage?: Record<string, unknown>; SequenceNumber: string; StreamViewType: string; SizeBytes: number; ApproximateCreationDateTime: number };
}

function recorded(items: Sink): { record: LambdaRecord; batch: string[]; deliveries: number }[] {
  return [...items.entries()]
    .filter(([id]) => id.startsWith('record#'))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, item]) => ({ ...(JSON.parse(item.event!.S!) as { record: LambdaRecord; batch: string[] }), deliveries: Number(item.deliveries!.N) }));
}

const deliveries = (items: Sink, id: string): number => Number(items.get(id)?.deliveries?.N ?? 0);

test('stream records reach functions: shape, order, batches, filters, partial failures, retries, TTL, restart', async () => {
  const first = await startPortico(APP, [], {}, dataDir);
  let client = dynamo(first);
  let streamArn: string;
  try {
    const orders = (await client.send(new DescribeTableCommand({ TableName: ORDERS }))).Table!;
    assert.deepEqual(orders.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    streamArn = orders.LatestStreamArn!;
    assert.match(streamArn, new RegExp(`^${orders.TableArn}/stream/`));

    const expired = String(Math.floor(Date.now() / 1000) - 60);
    await client.send(new PutItemCommand({ TableName: ORDERS, Item: { id: { S: 'o1' }, kind: { S: 'keep-1' } } }));
    await client.send(new PutItemCommand({ TableName: ORDERS, Item: { id: { S: 'o2' }, kind: { S: 'drop' } } }));
    await client.send(new UpdateItemCommand({ TableName: ORDERS, Key: { id: { S: 'o1' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1' } } }));
    await client.send(new DeleteItemCommand({ TableName: ORDERS, Key: { id: { S: 'o2' } } }));
    await client.send(new PutItemCommand({ TableName: ORDERS, Item: { id: { S: 'o3' }, kind: { S: 'keep-3' } } }));
    await client.send(new PutItemCommand({ TableName: ORDERS, Item: { id: { S: 'o4' }, kind: { S: 'old' }, expires: { N: expired } } }));
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [JOBS]: [
            { PutRequest: { Item: { id: { S: 'j1' }, failTimes: { N: '0' } } } },
            { PutRequest: { Item: { id: { S: 'j2' }, failTimes: { N: '2' } } } },
            { PutRequest: { Item: { id: { S: 'j3' }, failTimes: { N: '0' } } } },
            { PutRequest: { Item: { id: { S: 'c1' }, group: { S: 'crash' } } } },
            { PutRequest: { Item: { id: { S: 'c2' }, group: { S: 'crash' } } } },
            { PutRequest: { Item: { id: { S: 'cp' }, group: { S: 'crash' }, poison: { BOOL: true } } } },
            { PutRequest: { Item: { id: { S: 'c3' }, group: { S: 'crash' } } } },
          ],
        },
      }),
    );

    // Seven order records: o4's TTL REMOVE comes from the sweeper within seconds.
    const items = await waitFor(client, (s) => recorded(s).length >= 7 && deliveries(s, 'partial#j2') >= 3 && deliveries(s, 'crash#c3') >= 1, 'the deliveries');
    const records = recorded(items);
    assert.deepEqual(
      records.map((r) => `${r.record.eventName} ${r.record.dynamodb.Keys.id.S}`),
      ['INSERT o1', 'INSERT o2', 'MODIFY o1', 'REMOVE o2', 'INSERT o3', 'INSERT o4', 'REMOVE o4'],
    );
    assert.ok(records.every((r) => r.deliveries === 1), 'each record delivered once');
    assert.ok(records.every((r) => r.batch.length >= 1 && r.batch.length <= 2), 'BatchSize 2');
    assert.ok(records.some((r) => r.batch.length === 2), 'records batched');
    const [insert, , modify] = records.map((r) => r.record);
    assert.deepEqual(Object.keys(insert!), ['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN']);
    assert.equal(insert!.eventVersion, '1.1');
    assert.equal(insert!.eventSource, 'aws:dynamodb');
    assert.equal(insert!.awsRegion, 'us-east-1');
    assert.equal(insert!.eventSourceARN, streamArn);
    assert.deepEqual(Object.keys(insert!.dynamodb), ['ApproximateCreationDateTime', 'Keys', 'NewImage', 'SequenceNumber', 'SizeBytes', 'StreamViewType']);
    assert.deepEqual(insert!.dynamodb.NewImage, { id: { S: 'o1' }, kind: { S: 'keep-1' } });
    assert.deepEqual(modify!.dynamodb.OldImage, { id: { S: 'o1' }, kind: { S: 'keep-1' } });
    assert.deepEqual(modify!.dynamodb.NewImage, { id: { S: 'o1' }, kind: { S: 'keep-1' }, n: { N: '1' } });
    const ttl = records[6]!.record;
    assert.deepEqual(ttl.userIdentity, { type: 'Service', principalId: 'dynamodb.amazonaws.com' });
    assert.deepEqual(ttl.dynamodb.OldImage, { id: { S: 'o4' }, kind: { S: 'old' }, expires: { N: expired } });
    assert.equal(records[3]!.record.userIdentity, undefined);

    // The Streams API sees the same records, with its own spelling of the TTL identity.
    const apiRecords = await readAllRecords(first.awsEndpoint, ORDERS);
    assert.deepEqual(apiRecords[6]!.userIdentity, { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' });

    // FilterCriteria: INSERTs whose kind starts with "keep".
    assert.deepEqual([...items.keys()].filter((id) => id.startsWith('filtered#')).sort(), ['filtered#o1', 'filtered#o3']);
    assert.equal(deliveries(items, 'filtered#o1'), 1);

    // ReportBatchItemFailures: j1 acknowledged at once; j2 failed twice, and j3 came again with it from j2 on.
    assert.equal(deliveries(items, 'partial#j1'), 1);
    assert.equal(deliveries(items, 'partial#j2'), 3);
    assert.equal(deliveries(items, 'partial#j3'), 3);
    assert.ok(!items.has('partial#c1'), 'filtered out of the partial mapping');

    // A poison record: the batch is bisected until it is alone, retried once, then skipped; the others succeed once.
    await waitFor(client, (s) => deliveries(s, 'crash#c1') === 1 && deliveries(s, 'crash#c2') === 1 && deliveries(s, 'crash#c3') === 1, 'crash deliveries');
    assert.ok(!items.has('crash#cp'));
  } finally {
    client.destroy();
    await first.stop();
  }

  const second = await startPortico(APP, [], {}, dataDir);
  client = dynamo(second);
  try {
    await client.send(new PutItemCommand({ TableName: ORDERS, Item: { id: { S: 'o5' }, kind: { S: 'keep-5' } } }));
    const items = await waitFor(client, (s) => recorded(s).length >= 8 && s.has('filtered#o5'), 'the record written after the restart');
    const records = recorded(items);
    assert.equal(records[7]!.record.dynamodb.Keys.id.S, 'o5');
    assert.ok(records.every((r) => r.deliveries === 1), 'nothing delivered twice across the restart');
    assert.equal(deliveries(items, 'filtered#o1'), 1);
    assert.equal(deliveries(items, 'partial#j2'), 3);
  } finally {
    client.destroy();
    await second.stop();
  }
});
