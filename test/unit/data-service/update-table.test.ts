// UpdateTable through the AWS SDK v3 (GSI create with backfill, delete, throughput and billing changes, streams,
// AWS's errors) and boto3 (an index created, waited for and queried from Python).
import {
  CreateTableCommand,
  DescribeTableCommand,
  PutItemCommand,
  QueryCommand,
  UpdateTableCommand,
  type GlobalSecondaryIndexDescription,
  type UpdateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { hasBoto3, rejection, run, useDataService, validation } from './harness.js';

const h = useDataService('portico-update-table-');

const byOwner = {
  IndexName: 'byOwner',
  KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' as const }],
  Projection: { ProjectionType: 'ALL' as const },
};

const update = (input: UpdateTableCommandInput) => h.client().send(new UpdateTableCommand(input));

async function indexStatus(table: string, index: string): Promise<GlobalSecondaryIndexDescription | undefined> {
  const { Table } = await h.client().send(new DescribeTableCommand({ TableName: table }));
  return Table!.GlobalSecondaryIndexes?.find((i) => i.IndexName === index);
}

async function waitActive(table: string, index: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await indexStatus(table, index))?.IndexStatus === 'ACTIVE') return;
    await sleep(10);
  }
  assert.fail(`index ${index} never became ACTIVE`);
}

const ownedBy = (table: string, owner: string) =>
  h.client().send(new QueryCommand({ TableName: table, IndexName: 'byOwner', KeyConditionExpression: '#o = :o', ExpressionAttributeNames: { '#o': 'owner' }, ExpressionAttributeValues: { ':o': { S: owner } } }));

test('GSI Create backfills existing items, then Delete removes the index', async () => {
  await h.createTable('ut_gsi', 'S');
  for (let i = 0; i < 30; i++) {
    await h.client().send(new PutItemCommand({ TableName: 'ut_gsi', Item: { pk: { S: `p${i}` }, sk: { S: 's' }, owner: { S: i % 3 === 0 ? 'ann' : 'bob' } } }));
  }
  await h.client().send(new PutItemCommand({ TableName: 'ut_gsi', Item: { pk: { S: 'wrong' }, sk: { S: 's' }, owner: { N: '1' } } }));
  const created = await update({ TableName: 'ut_gsi', AttributeDefinitions: [{ AttributeName: 'owner', AttributeType: 'S' }], GlobalSecondaryIndexUpdates: [{ Create: byOwner }] });
  const gsi = created.TableDescription!.GlobalSecondaryIndexes![0]!;
  assert.equal(gsi.IndexStatus, 'CREATING');
  assert.equal(gsi.Backfilling, true);
  assert.equal(created.TableDescription!.TableStatus, 'UPDATING');
  assert.deepEqual(created.TableDescription!.AttributeDefinitions!.map((d) => d.AttributeName), ['pk', 'sk', 'owner']);

  await waitActive('ut_gsi', 'byOwner');
  const { Table } = await h.client().send(new DescribeTableCommand({ TableName: 'ut_gsi' }));
  assert.equal(Table!.TableStatus, 'ACTIVE');
  assert.equal(Table!.GlobalSecondaryIndexes![0]!.ItemCount, 30);
  assert.equal((await ownedBy('ut_gsi', 'ann')).Count, 10);
  await h.client().send(new PutItemCommand({ TableName: 'ut_gsi', Item: { pk: { S: 'new' }, sk: { S: 's' }, owner: { S: 'ann' } } }));
  assert.equal((await ownedBy('ut_gsi', 'ann')).Count, 11);

  await validation(
    update({ TableName: 'ut_gsi', GlobalSecondaryIndexUpdates: [{ Create: byOwner }] }),
    'One or more parameter values were invalid: Duplicate index name: byOwner',
  );
  const deleted = await update({ TableName: 'ut_gsi', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byOwner' } }] });
  assert.equal(deleted.TableDescription!.GlobalSecondaryIndexes, undefined);
  await validation(ownedBy('ut_gsi', 'ann'), 'The table does not have the specified index: byOwner');
  const missing = await rejection(update({ TableName: 'ut_gsi', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byOwner' } }] }));
  assert.equal(missing.name, 'ResourceNotFoundException');
});

test('writes racing a GSI creation all end up in the index', async () => {
  await h.createTable('ut_race');
  const put = (i: number) => h.client().send(new PutItemCommand({ TableName: 'ut_race', Item: { pk: { S: `p${i}` }, owner: { S: 'ann' } } }));
  for (let i = 0; i < 20; i++) await put(i);
  await Promise.all([
    update({ TableName: 'ut_race', AttributeDefinitions: [{ AttributeName: 'owner', AttributeType: 'S' }], GlobalSecondaryIndexUpdates: [{ Create: byOwner }] }),
    ...Array.from({ length: 40 }, (_, i) => put(20 + i)),
  ]);
  await waitActive('ut_race', 'byOwner');
  assert.equal((await ownedBy('ut_race', 'ann')).Count, 60);
});

test('billing mode and throughput changes, with AWS errors', async () => {
  await h.createTable('ut_capacity');
  await validation(
    update({ TableName: 'ut_capacity' }),
    'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required',
  );
  await validation(
    update({ TableName: 'ut_capacity', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }),
    'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
  );
  await validation(update({ TableName: 'ut_capacity', BillingMode: 'PROVISIONED' }), 'One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
  const provisioned = await update({ TableName: 'ut_capacity', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 3 } });
  assert.equal(provisioned.TableDescription!.ProvisionedThroughput!.ReadCapacityUnits, 5);
  assert.equal(provisioned.TableDescription!.BillingModeSummary!.BillingMode, 'PROVISIONED');
  await validation(
    update({ TableName: 'ut_capacity', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 3 } }),
    'The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the table: 3. Requested WriteCapacityUnits: 3. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
  );
  const raised = await update({ TableName: 'ut_capacity', ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 3 } });
  assert.ok(raised.TableDescription!.ProvisionedThroughput!.LastIncreaseDateTime instanceof Date);
  const onDemand = await update({ TableName: 'ut_capacity', BillingMode: 'PAY_PER_REQUEST' });
  assert.equal(onDemand.TableDescription!.BillingModeSummary!.BillingMode, 'PAY_PER_REQUEST');
  assert.equal(onDemand.TableDescription!.ProvisionedThroughput!.ReadCapacityUnits, 0);
  const missing = await rejection(update({ TableName: 'ut_nope', BillingMode: 'PAY_PER_REQUEST' }));
  assert.equal(missing.name, 'ResourceNotFoundException');
});

test('GSI updates: AWS errors for malformed and conflicting updates', async () => {
  await h.client().send(
    new CreateTableCommand({
      TableName: 'ut_errors',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    }),
  );
  await validation(
    update({ TableName: 'ut_errors', GlobalSecondaryIndexUpdates: [{ Create: byOwner }] }),
    'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [owner], AttributeDefinitions: [pk]',
  );
  await validation(
    update({ TableName: 'ut_errors', AttributeDefinitions: [{ AttributeName: 'owner', AttributeType: 'S' }], GlobalSecondaryIndexUpdates: [{ Create: byOwner }] }),
    'One or more parameter values were invalid: ProvisionedThroughput is not specified for index: byOwner',
  );
  await validation(
    update({ TableName: 'ut_errors', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'idx' } }, { Delete: { IndexName: 'idx' } }] }),
    'One or more parameter values were invalid: Only one global secondary index update per index is allowed simultaneously. Index: idx',
  );
  const limit = await rejection(update({ TableName: 'ut_errors', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'one' } }, { Delete: { IndexName: 'two' } }] }));
  assert.equal(limit.name, 'LimitExceededException');
  assert.equal(limit.message, 'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table');
});

test('StreamSpecification is validated and kept in the table description', async () => {
  await h.createTable('ut_stream');
  const enabled = await update({ TableName: 'ut_stream', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
  assert.deepEqual(enabled.TableDescription!.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  await validation(update({ TableName: 'ut_stream', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }), 'Table already has an enabled stream: TableName: ut_stream');
  const disabled = await update({ TableName: 'ut_stream', StreamSpecification: { StreamEnabled: false } });
  assert.equal(disabled.TableDescription!.StreamSpecification, undefined);
});

test('boto3: create a GSI with update_table, wait for it, query it', { skip: !hasBoto3 && 'python3 with boto3 is not installed' }, async () => {
  const script = `
import boto3, sys, time
db = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
db.create_table(TableName='ut_boto', AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'}],
  KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'}], BillingMode='PAY_PER_REQUEST')
for i in range(5):
    db.put_item(TableName='ut_boto', Item={'pk': {'S': 'p%d' % i}, 'color': {'S': 'red' if i % 2 else 'blue'}, 'n': {'N': str(i)}})
db.update_table(TableName='ut_boto', AttributeDefinitions=[{'AttributeName': 'color', 'AttributeType': 'S'}, {'AttributeName': 'n', 'AttributeType': 'N'}],
  GlobalSecondaryIndexUpdates=[{'Create': {'IndexName': 'byColor', 'KeySchema': [{'AttributeName': 'color', 'KeyType': 'HASH'}, {'AttributeName': 'n', 'KeyType': 'RANGE'}],
  'Projection': {'ProjectionType': 'KEYS_ONLY'}}}])
for _ in range(200):
    gsis = db.describe_table(TableName='ut_boto')['Table']['GlobalSecondaryIndexes']
    if gsis[0]['IndexStatus'] == 'ACTIVE': break
    time.sleep(0.01)
page = db.query(TableName='ut_boto', IndexName='byColor', KeyConditionExpression='color = :c', ExpressionAttributeValues={':c': {'S': 'red'}}, ScanIndexForward=False, Limit=1)
print(page['Items'][0]['n']['N'], sorted(page['LastEvaluatedKey'].keys()))
try:
    db.query(TableName='ut_boto', IndexName='byColor', ConsistentRead=True, KeyConditionExpression='color = :c', ExpressionAttributeValues={':c': {'S': 'red'}})
except db.exceptions.ClientError as e:
    print(e.response['Error']['Code'], e.response['Error']['Message'])
`;
  const { stdout } = await run('python3', ['-c', script, h.url]);
  assert.deepEqual(stdout.trim().split('\n'), ["3 ['color', 'n', 'pk']", 'ValidationException Consistent reads are not supported on global secondary indexes']);
});
