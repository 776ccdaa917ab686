// BatchGetItem, BatchWriteItem, TransactGetItems and TransactWriteItems driven by real clients: the AWS SDK v3
// (low-level and DocumentClient) and boto3 (batch_writer, transact_write_items). Expected messages: architect/dynalite
// test/batchGetItem.js and test/batchWriteItem.js, localstack's AWS-validated TransactWriteItems snapshot.
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  GetItemCommand,
  TransactWriteItemsCommand,
  type TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, GetCommand, TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { dynamoClient, openTestStorage, hasBoto3, rejection, run, startDynamoServer, useDataService, validation } from './harness.js';

const ddb = useDataService('portico-ddb-batch-');
const { client, doc, createTable } = ddb;

// ---------------------------------------------------------------- BatchWriteItem / BatchGetItem

test('BatchWriteItem puts and deletes across tables; BatchGetItem reads them back per table with projections', async () => {
  await createTable('BatchA');
  await createTable('BatchB', 'N');
  const d = doc();
  await d.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 'BatchA', Item: { pk: 'gone', v: 0 } } }] }));
  const written = await d.send(
    new BatchWriteCommand({
      RequestItems: {
        BatchA: [{ PutRequest: { Item: { pk: 'a1', v: 1, extra: 'x' } } }, { PutRequest: { Item: { pk: 'a2', v: 2 } } }, { DeleteRequest: { Key: { pk: 'gone' } } }],
        BatchB: [{ PutRequest: { Item: { pk: 'b', sk: 1, name: 'one' } } }],
      },
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
  assert.deepEqual(written.UnprocessedItems, {});
  assert.deepEqual(written.ConsumedCapacity, [
    { TableName: 'BatchA', CapacityUnits: 3 },
    { TableName: 'BatchB', CapacityUnits: 1 },
  ]);
  assert.equal((await d.send(new GetCommand({ TableName: 'BatchA', Key: { pk: 'gone' } }))).Item, undefined);

  const read = await d.send(
    new BatchGetCommand({
      RequestItems: {
        BatchA: { Keys: [{ pk: 'a1' }, { pk: 'a2' }, { pk: 'missing' }], ProjectionExpression: '#v, pk', ExpressionAttributeNames: { '#v': 'v' }, ConsistentRead: true },
        BatchB: { Keys: [{ pk: 'b', sk: 1 }] },
      },
    }),
  );
  assert.deepEqual(
    [...(read.Responses?.BatchA ?? [])].sort((x, y) => String(x.pk).localeCompare(String(y.pk))),
    [
      { pk: 'a1', v: 1 },
      { pk: 'a2', v: 2 },
    ],
  );
  assert.deepEqual(read.Responses?.BatchB, [{ pk: 'b', sk: 1, name: 'one' }]);
  assert.deepEqual(read.UnprocessedKeys, {});
});

test('BatchGetItem: 100-key limit, duplicates, unknown table, key schema', async () => {
  await createTable('BatchG');
  const db = client();
  const keys = (n: number) => Array.from({ length: n }, (_, i) => ({ pk: { S: `k${i}` } }));
  await validation(
    db.send(new BatchGetItemCommand({ RequestItems: { BatchG: { Keys: keys(60) }, BatchA: { Keys: keys(41) } } })),
    'Too many items requested for the BatchGetItem call',
  );
  await validation(
    db.send(new BatchGetItemCommand({ RequestItems: { BatchG: { Keys: [{ pk: { S: 'x' } }, { pk: { S: 'x' } }] } } })),
    'Provided list of item keys contains duplicates',
  );
  await validation(db.send(new BatchGetItemCommand({ RequestItems: { BatchG: { Keys: [{ nope: { S: 'x' } }] } } })), 'The provided key element does not match the schema');
  const exact = await db.send(new BatchGetItemCommand({ RequestItems: { BatchG: { Keys: keys(100) } } }));
  assert.deepEqual(exact.Responses, { BatchG: [] });
  const missing = await rejection(db.send(new BatchGetItemCommand({ RequestItems: { NoSuchBatch: { Keys: keys(1) } } })));
  assert.equal(missing.name, 'ResourceNotFoundException');
  assert.equal(missing.message, 'Requested resource not found');
});

test('BatchWriteItem: 25-request limit, duplicates, key and size errors, nothing written when any request is invalid', async () => {
  await createTable('BatchW');
  const db = client();
  const puts = (n: number) => Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: { pk: { S: `p${i}` } } } }));
  const over = await rejection(db.send(new BatchWriteItemCommand({ RequestItems: { BatchW: puts(26) } })));
  assert.equal(over.name, 'ValidationException');
  assert.match(over.message, /^1 validation error detected: Value '\{BatchW=\[.+\]\}' at 'requestItems' failed to satisfy constraint: /);
  assert.ok(
    over.message.endsWith('Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]'),
    over.message,
  );
  await validation(
    db.send(new BatchWriteItemCommand({ RequestItems: { BatchW: [{ PutRequest: { Item: { pk: { S: 'd' } } } }, { DeleteRequest: { Key: { pk: { S: 'd' } } } }] } })),
    'Provided list of item keys contains duplicates',
  );
  await validation(
    db.send(new BatchWriteItemCommand({ RequestItems: { BatchW: [{ PutRequest: { Item: { other: { S: 'd' } } } }] } })),
    'The provided key element does not match the schema',
  );
  await validation(
    db.send(new BatchWriteItemCommand({ RequestItems: { BatchW: [{ PutRequest: { Item: { pk: { S: 'ok' } } } }, { PutRequest: { Item: { pk: { S: 'big' }, blob: { S: 'x'.repeat(400 * 1024) } } } }] } })),
    'Item size has exceeded the maximum allowed size',
  );
  const missing = await rejection(db.send(new BatchWriteItemCommand({ RequestItems: { BatchW: puts(1), NoSuchBatch: puts(1) } })));
  assert.equal(missing.name, 'ResourceNotFoundException');
  // None of the rejected batches wrote anything.
  for (const pk of ['d', 'ok', 'p0']) assert.equal((await db.send(new GetItemCommand({ TableName: 'BatchW', Key: { pk: { S: pk } } }))).Item, undefined, pk);
});

test('BatchGetItem: past the 16 MB response cap the remaining keys come back in UnprocessedKeys', async () => {
  await createTable('BatchBig');
  const d = doc();
  const pad = 'x'.repeat(400 * 1024 - 64);
  const pks = Array.from({ length: 42 }, (_, i) => `big${String(i).padStart(2, '0')}`);
  for (const chunk of [pks.slice(0, 21), pks.slice(21)]) {
    await d.send(new BatchWriteCommand({ RequestItems: { BatchBig: chunk.map((pk) => ({ PutRequest: { Item: { pk, pad } } })) } }));
  }
  const read = await d.send(new BatchGetCommand({ RequestItems: { BatchBig: { Keys: pks.map((pk) => ({ pk })), ConsistentRead: true } } }));
  // 40 items of ~400 KB fit in 16 MB (16,777,216 bytes); the 41st would not.
  assert.equal(read.Responses?.BatchBig?.length, 40);
  assert.deepEqual(read.UnprocessedKeys, { BatchBig: { Keys: [{ pk: 'big40' }, { pk: 'big41' }], ConsistentRead: true } });
  const rest = await d.send(new BatchGetCommand({ RequestItems: read.UnprocessedKeys! }));
  assert.deepEqual(rest.Responses?.BatchBig?.map((i) => i.pk as string).sort(), ['big40', 'big41']);
  assert.deepEqual(rest.UnprocessedKeys, {});
});

// ---------------------------------------------------------------- TransactWriteItems / TransactGetItems

test('TransactWriteItems: Put/Update/Delete/ConditionCheck applied together; TransactGetItems answers in order', async () => {
  await createTable('TxOk');
  const d = doc();
  await d.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 'TxOk', Item: { pk: 'acct', balance: 100 } } }, { Put: { TableName: 'TxOk', Item: { pk: 'old' } } }] }));
  await d.send(
    new TransactWriteCommand({
      TransactItems: [
        { ConditionCheck: { TableName: 'TxOk', Key: { pk: 'old' }, ConditionExpression: 'attribute_exists(pk)' } },
        { Update: { TableName: 'TxOk', Key: { pk: 'acct' }, UpdateExpression: 'SET balance = balance - :amt', ConditionExpression: 'balance >= :amt', ExpressionAttributeValues: { ':amt': 30 } } },
        { Put: { TableName: 'TxOk', Item: { pk: 'log1', amount: 30 }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Delete: { TableName: 'TxOk', Key: { pk: 'nothing-here' } } },
      ],
    }),
  );
  const got = await d.send(
    new TransactGetCommand({
      TransactItems: [
        { Get: { TableName: 'TxOk', Key: { pk: 'acct' } } },
        { Get: { TableName: 'TxOk', Key: { pk: 'missing' } } },
        { Get: { TableName: 'TxOk', Key: { pk: 'log1' }, ProjectionExpression: '#a', ExpressionAttributeNames: { '#a': 'amount' } } },
      ],
    }),
  );
  assert.deepEqual(got.Responses, [{ Item: { pk: 'acct', balance: 70 } }, {}, { Item: { amount: 30 } }]);
});

test('TransactWriteItems: a failed condition cancels everything with reasons in order', async () => {
  await createTable('TxFail');
  const d = doc();
  await d.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 'TxFail', Item: { pk: 'a', n: 1 } } }] }));
  const err = (await rejection(
    client().send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'TxFail', Item: { pk: { S: 'new' } } } },
          { ConditionCheck: { TableName: 'TxFail', Key: { pk: { S: 'a' } }, ConditionExpression: 'n = :two', ExpressionAttributeValues: { ':two': { N: '2' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
          { Delete: { TableName: 'TxFail', Key: { pk: { S: 'b' } }, ConditionExpression: 'attribute_exists(pk)' } },
        ],
      }),
    ),
  )) as unknown as TransactionCanceledException;
  assert.equal(err.name, 'TransactionCanceledException');
  assert.equal(err.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, ConditionalCheckFailed]');
  assert.deepEqual(err.CancellationReasons, [
    { Code: 'None' },
    { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 'a' }, n: { N: '1' } } },
    { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
  ]);
  assert.equal((await d.send(new GetCommand({ TableName: 'TxFail', Key: { pk: 'new' } }))).Item, undefined);

  await validation(
    d.send(
      new TransactWriteCommand({
        TransactItems: [{ Put: { TableName: 'TxFail', Item: { pk: 'a' } } }, { ConditionCheck: { TableName: 'TxFail', Key: { pk: 'a' }, ConditionExpression: 'attribute_exists(pk)' } }],
      }),
    ),
    'Transaction request cannot include multiple operations on one item',
  );
  const tooMany = await rejection(
    d.send(new TransactWriteCommand({ TransactItems: Array.from({ length: 101 }, (_, i) => ({ Put: { TableName: 'TxFail', Item: { pk: `m${i}` } } })) })),
  );
  assert.equal(tooMany.name, 'ValidationException');
  assert.match(tooMany.message, /^1 validation error detected: Value .* at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/);
  const missing = await rejection(d.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 'NoSuchTx', Item: { pk: 'a' } } }] })));
  assert.equal(missing.name, 'ResourceNotFoundException');
});

test('TransactWriteItems: ClientRequestToken replays without re-applying; a different request is a mismatch', async () => {
  await createTable('TxIdem');
  const d = doc();
  await d.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 'TxIdem', Item: { pk: 'c', n: 0 } } }] }));
  const bump = (token: string, by: number) =>
    new TransactWriteCommand({
      ClientRequestToken: token,
      TransactItems: [{ Update: { TableName: 'TxIdem', Key: { pk: 'c' }, UpdateExpression: 'ADD n :by', ExpressionAttributeValues: { ':by': by } } }],
    });
  await d.send(bump('token-1', 1));
  await d.send(bump('token-1', 1));
  assert.deepEqual((await d.send(new GetCommand({ TableName: 'TxIdem', Key: { pk: 'c' } }))).Item, { pk: 'c', n: 1 });
  const mismatch = await rejection(d.send(bump('token-1', 5)));
  assert.equal(mismatch.name, 'IdempotentParameterMismatchException');
  await d.send(bump('token-2', 1));
  assert.deepEqual((await d.send(new GetCommand({ TableName: 'TxIdem', Key: { pk: 'c' } }))).Item, { pk: 'c', n: 2 });
  // A retry that arrives while the first call is still running (waiting for the lock or its fsync) is not applied again.
  await Promise.all([d.send(bump('token-3', 1)), d.send(bump('token-3', 1)), d.send(bump('token-3', 1))]);
  assert.deepEqual((await d.send(new GetCommand({ TableName: 'TxIdem', Key: { pk: 'c' } }))).Item, { pk: 'c', n: 3 });
});

test('TransactWriteItems: a ClientRequestToken is forgotten 10 minutes after its request completed', async () => {
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const clockStorage = openTestStorage(join(ddb.dir, 'clock.sqlite'));
  const clockServer = await startDynamoServer(clockStorage, { now: () => new Date(clock) });
  try {
    const raw = dynamoClient(clockServer.url);
    const d = DynamoDBDocumentClient.from(raw);
    await raw.send(
      new CreateTableCommand({ TableName: 'TxClock', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }),
    );
    const bump = new TransactWriteCommand({
      ClientRequestToken: 'clock-token',
      TransactItems: [{ Update: { TableName: 'TxClock', Key: { pk: 'c' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } }],
    });
    await d.send(bump);
    clock += 10 * 60 * 1000;
    await d.send(bump); // still inside the window: not applied again
    assert.deepEqual((await d.send(new GetCommand({ TableName: 'TxClock', Key: { pk: 'c' } }))).Item, { pk: 'c', n: 1 });
    clock += 1;
    await d.send(bump); // past the window: a new request
    assert.deepEqual((await d.send(new GetCommand({ TableName: 'TxClock', Key: { pk: 'c' } }))).Item, { pk: 'c', n: 2 });
  } finally {
    await clockServer.close();
    await clockStorage.close();
  }
});

// ---------------------------------------------------------------- boto3

test('boto3: batch_writer and transact_write_items with a failing condition', { skip: !hasBoto3 && 'boto3 not installed' }, async () => {
  const script = `
import boto3, json, sys
from botocore.config import Config
cfg = Config(retries={'max_attempts': 1})
kw = dict(endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test', config=cfg)
r = boto3.resource('dynamodb', **kw)
c = boto3.client('dynamodb', **kw)
t = r.create_table(TableName='BotoBatch', AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'}], KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'}], BillingMode='PAY_PER_REQUEST')
with t.batch_writer() as batch:
    for i in range(30):
        batch.put_item(Item={'pk': 'item%02d' % i, 'n': i})
count = t.scan(Select='COUNT')['Count']
try:
    c.transact_write_items(TransactItems=[
        {'Put': {'TableName': 'BotoBatch', 'Item': {'pk': {'S': 'fresh'}}}},
        {'ConditionCheck': {'TableName': 'BotoBatch', 'Key': {'pk': {'S': 'item00'}}, 'ConditionExpression': 'attribute_not_exists(pk)', 'ReturnValuesOnConditionCheckFailure': 'ALL_OLD'}},
    ])
    out = None
except c.exceptions.TransactionCanceledException as e:
    out = {'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'], 'reasons': e.response['CancellationReasons']}
fresh = 'Item' in c.get_item(TableName='BotoBatch', Key={'pk': {'S': 'fresh'}})
print(json.dumps({'count': count, 'err': out, 'fresh': fresh}))
`;
  const { stdout } = await run('python3', ['-c', script, ddb.url], {
    env: { ...process.env, AWS_CONFIG_FILE: '/nonexistent/portico', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/portico' },
  });
  assert.deepEqual(JSON.parse(stdout), {
    count: 30,
    err: {
      code: 'TransactionCanceledException',
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
      reasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 'item00' }, n: { N: '0' } } }],
    },
    fresh: false,
  });
});
