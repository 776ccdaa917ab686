// The DynamoDB JSON 1.0 front driven by real clients: the AWS SDK v3 (low-level and DocumentClient), boto3 (which
// checks x-amz-crc32), and raw signed requests for the protocol errors.
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';
import { signRequest } from '../aws/signing.js';
import { hasBoto3, rejection, run, useDataService } from './harness.js';

const ddb = useDataService('portico-ddb-');
const { client } = ddb;

async function rawCall(target: string, body: string, secret = 'test') {
  const signed = await signRequest({
    path: '/',
    method: 'POST',
    body,
    host: `127.0.0.1:${ddb.port}`,
    service: 'dynamodb',
    secretAccessKey: secret,
    headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' },
  });
  const headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== 'host'));
  const res = await fetch(`${ddb.url}${signed.url}`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as Record<string, unknown> };
}

async function createSimple(name: string, withSort = false) {
  return client().send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, ...(withSort ? [{ AttributeName: 'sk', AttributeType: 'N' as const }] : [])],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, ...(withSort ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : [])],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

test('CreateTable, DescribeTable, ListTables and DeleteTable answer as DynamoDB', async () => {
  const created = await createSimple('Things', true);
  assert.equal(created.TableDescription?.TableStatus, 'ACTIVE');
  assert.equal(created.TableDescription?.TableArn, 'arn:aws:dynamodb:us-east-1:123456789012:table/Things');
  const described = await client().send(new DescribeTableCommand({ TableName: 'Things' }));
  const t = described.Table!;
  assert.equal(t.TableName, 'Things');
  assert.deepEqual(t.KeySchema, [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ]);
  assert.deepEqual(t.AttributeDefinitions, [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
  ]);
  assert.equal(t.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
  assert.deepEqual(t.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
  assert.ok(t.CreationDateTime instanceof Date && Math.abs(t.CreationDateTime.getTime() - Date.now()) < 60_000);
  assert.equal(t.ItemCount, 0);
  assert.match(t.TableId ?? '', /^[0-9a-f-]{36}$/);

  const again = await rejection(createSimple('Things'));
  assert.equal(again.name, 'ResourceInUseException');
  assert.equal(again.message, 'Table already exists: Things');

  await client().send(
    new CreateTableCommand({
      TableName: 'Prov1',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7 },
    }),
  );
  const prov = await client().send(new DescribeTableCommand({ TableName: 'Prov1' }));
  assert.deepEqual(prov.Table?.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 5, WriteCapacityUnits: 7 });
  assert.equal(prov.Table?.BillingModeSummary, undefined);

  const page = await client().send(new ListTablesCommand({ Limit: 1 }));
  assert.deepEqual(page.TableNames, ['Prov1']);
  assert.equal(page.LastEvaluatedTableName, 'Prov1');
  const rest = await client().send(new ListTablesCommand({ ExclusiveStartTableName: 'Prov1' }));
  assert.ok(rest.TableNames?.includes('Things') && !rest.TableNames.includes('Prov1'));
  assert.equal(rest.LastEvaluatedTableName, undefined);

  await client().send(new PutItemCommand({ TableName: 'Prov1', Item: { id: { N: '1' } } }));
  const deleted = await client().send(new DeleteTableCommand({ TableName: 'Prov1' }));
  assert.equal(deleted.TableDescription?.TableStatus, 'DELETING');
  assert.equal(deleted.TableDescription?.ItemCount, 1, 'the count as it stood');
  const gone = await rejection(client().send(new DescribeTableCommand({ TableName: 'Prov1' })));
  assert.equal(gone.name, 'ResourceNotFoundException');
  assert.equal(gone.message, 'Requested resource not found: Table: Prov1 not found');
  const goneDelete = await rejection(client().send(new DeleteTableCommand({ TableName: 'Prov1' })));
  assert.equal(goneDelete.message, 'Requested resource not found: Table: Prov1 not found');
});

test('CreateTable validation messages', async () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [
      { TableName: 'ab', AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' },
      "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
    ],
    [
      { TableName: 'abc', AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'a', KeyType: 'RANGE' }], BillingMode: 'PAY_PER_REQUEST' },
      'Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
    ],
    [
      { TableName: 'abc', AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'b', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' },
      'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [b], AttributeDefinitions: [a]',
    ],
    [
      {
        TableName: 'abc',
        AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }, { AttributeName: 'b', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      },
      'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    ],
    [
      { TableName: 'abc', AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }] },
      'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    ],
    [
      { AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'X' }], KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' },
      "2 validation errors detected: Value 'X' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]; Value null at 'tableName' failed to satisfy constraint: Member must not be null",
    ],
  ];
  for (const [body, message] of cases) {
    const res = await rawCall('DynamoDB_20120810.CreateTable', JSON.stringify(body));
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { __type: 'com.amazon.coral.validate#ValidationException', message });
  }
});

test('PutItem, GetItem and DeleteItem with the low-level client', async () => {
  await createSimple('Items');
  const db = client();
  const put = await db.send(new PutItemCommand({ TableName: 'Items', Item: { pk: { S: 'a' }, n: { N: '01.50' }, m: { M: { x: { S: 'y' }, z: { BOOL: true } } } } }));
  assert.equal(put.Attributes, undefined);
  const got = await db.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'a' } }, ConsistentRead: true }));
  assert.deepEqual(got.Item, { pk: { S: 'a' }, n: { N: '1.5' }, m: { M: { x: { S: 'y' }, z: { BOOL: true } } } });

  const projected = await db.send(
    new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'a' } }, ProjectionExpression: '#m.x, n', ExpressionAttributeNames: { '#m': 'm' } }),
  );
  assert.deepEqual(projected.Item, { n: { N: '1.5' }, m: { M: { x: { S: 'y' } } } });

  const replaced = await db.send(new PutItemCommand({ TableName: 'Items', Item: { pk: { S: 'a' }, v: { N: '2' } }, ReturnValues: 'ALL_OLD' }));
  assert.deepEqual(replaced.Attributes?.n, { N: '1.5' });

  const failed = await rejection(
    db.send(
      new PutItemCommand({
        TableName: 'Items',
        Item: { pk: { S: 'a' } },
        ConditionExpression: 'attribute_not_exists(pk) OR v = :v',
        ExpressionAttributeValues: { ':v': { N: '3' } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    ),
  );
  assert.ok(failed instanceof ConditionalCheckFailedException);
  assert.equal(failed.message, 'The conditional request failed');
  assert.equal(failed.$metadata.httpStatusCode, 400);
  assert.deepEqual(failed.Item, { pk: { S: 'a' }, v: { N: '2' } });
  const unchanged = await db.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'a' } } }));
  assert.deepEqual(unchanged.Item, { pk: { S: 'a' }, v: { N: '2' } });

  await db.send(new PutItemCommand({ TableName: 'Items', Item: { pk: { S: 'a' }, v: { N: '4' } }, ConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } }));
  const removed = await db.send(new DeleteItemCommand({ TableName: 'Items', Key: { pk: { S: 'a' } }, ReturnValues: 'ALL_OLD' }));
  assert.deepEqual(removed.Attributes, { pk: { S: 'a' }, v: { N: '4' } });
  const none = await db.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'a' } } }));
  assert.equal(none.Item, undefined);
  const deleteMissing = await db.send(new DeleteItemCommand({ TableName: 'Items', Key: { pk: { S: 'a' } }, ReturnValues: 'ALL_OLD' }));
  assert.equal(deleteMissing.Attributes, undefined);
  const conditionalDelete = await rejection(db.send(new DeleteItemCommand({ TableName: 'Items', Key: { pk: { S: 'a' } }, ConditionExpression: 'attribute_exists(pk)' })));
  assert.equal(conditionalDelete.name, 'ConditionalCheckFailedException');
});

test('item errors: unknown table, key mismatch, missing key, bad values, unused placeholders', async () => {
  await createSimple('Errs', true);
  const db = client();
  const expect = async (promise: Promise<unknown>, name: string, message: string) => {
    const err = await rejection(promise);
    assert.equal(err.name, name);
    assert.equal(err.message, message);
    assert.equal(err.$metadata.httpStatusCode, 400);
  };
  await expect(db.send(new GetItemCommand({ TableName: 'Nope', Key: { pk: { S: 'a' } } })), 'ResourceNotFoundException', 'Requested resource not found');
  await expect(db.send(new GetItemCommand({ TableName: 'Errs', Key: { pk: { S: 'a' } } })), 'ValidationException', 'The provided key element does not match the schema');
  await expect(db.send(new GetItemCommand({ TableName: 'Errs', Key: { pk: { S: 'a' }, sk: { S: '1' } } })), 'ValidationException', 'The provided key element does not match the schema');
  await expect(
    db.send(new DeleteItemCommand({ TableName: 'Errs', Key: { pk: { S: 'a' }, sk: { N: '1' }, x: { S: 'b' } } })),
    'ValidationException',
    'The provided key element does not match the schema',
  );
  await expect(db.send(new PutItemCommand({ TableName: 'Errs', Item: { pk: { S: 'a' } } })), 'ValidationException', 'One or more parameter values were invalid: Missing the key sk in the item');
  await expect(
    db.send(new PutItemCommand({ TableName: 'Errs', Item: { pk: { N: '1' }, sk: { N: '1' } } })),
    'ValidationException',
    'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N',
  );
  await expect(
    db.send(new PutItemCommand({ TableName: 'Errs', Item: { pk: { S: '' }, sk: { N: '1' } } })),
    'ValidationException',
    'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
  );
  await expect(
    db.send(new PutItemCommand({ TableName: 'Errs', Item: { pk: { S: 'a' }, sk: { N: '1' }, s: { SS: [] } } })),
    'ValidationException',
    'One or more parameter values were invalid: An string set  may not be empty',
  );
  await expect(
    db.send(new PutItemCommand({ TableName: 'Errs', Item: { pk: { S: 'a' }, sk: { N: '1' } }, ReturnValues: 'ALL_NEW' })),
    'ValidationException',
    'ReturnValues can only be ALL_OLD or NONE',
  );
  await expect(
    db.send(
      new PutItemCommand({
        TableName: 'Errs',
        Item: { pk: { S: 'a' }, sk: { N: '1' } },
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':unused': { S: 'x' } },
      }),
    ),
    'ValidationException',
    'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}',
  );
  await expect(
    db.send(new PutItemCommand({ TableName: 'Errs', Item: { pk: { S: 'a' }, sk: { N: '1' } }, ExpressionAttributeNames: { '#a': 'a' } })),
    'ValidationException',
    'ExpressionAttributeNames can only be specified when using expressions',
  );
  await expect(
    db.send(new PutItemCommand({ TableName: 'Errs', Item: { pk: { S: 'a' }, sk: { N: '1' }, big: { S: 'x'.repeat(400 * 1024) } } })),
    'ValidationException',
    'Item size has exceeded the maximum allowed size',
  );
});

test('DynamoDBDocumentClient round trip', async () => {
  await createSimple('Docs');
  const doc = DynamoDBDocumentClient.from(client());
  await doc.send(new PutCommand({ TableName: 'Docs', Item: { pk: 'k1', count: 3, tags: new Set(['a', 'b']), nested: { list: [1, 'two', null] } } }));
  const got = await doc.send(new GetCommand({ TableName: 'Docs', Key: { pk: 'k1' } }));
  assert.deepEqual(got.Item, { pk: 'k1', count: 3, tags: new Set(['a', 'b']), nested: { list: [1, 'two', null] } });
  const old = await doc.send(new DeleteCommand({ TableName: 'Docs', Key: { pk: 'k1' }, ReturnValues: 'ALL_OLD' }));
  assert.equal(old.Attributes?.count, 3);
});

test('protocol errors: non-JSON body, unknown operation, auth error status 400, x-amz-crc32 on every answer', async () => {
  const notJson = await rawCall('DynamoDB_20120810.ListTables', 'not json');
  assert.equal(notJson.status, 400);
  assert.deepEqual(notJson.json, { __type: 'com.amazon.coral.service#SerializationException' });
  assert.equal(notJson.headers.get('content-type'), 'application/x-amz-json-1.0');
  assert.equal(notJson.headers.get('x-amz-crc32'), String(crc32(Buffer.from(notJson.text))));

  const array = await rawCall('DynamoDB_20120810.ListTables', '[]');
  assert.deepEqual(array.json, { __type: 'com.amazon.coral.service#SerializationException' });

  const unknown = await rawCall('DynamoDB_20120810.FlyToTheMoon', '{}');
  assert.equal(unknown.status, 400);
  assert.deepEqual(unknown.json, { __type: 'com.amazon.coral.service#UnknownOperationException' });

  const ok = await rawCall('DynamoDB_20120810.ListTables', '{}');
  assert.equal(ok.status, 200);
  assert.ok(Array.isArray(ok.json.TableNames));
  assert.equal(ok.headers.get('x-amz-crc32'), String(crc32(Buffer.from(ok.text))));

  const missing = await rawCall('DynamoDB_20120810.DescribeTable', '{"TableName":"NoSuchTable"}');
  assert.deepEqual(missing.json, {
    __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
    message: 'Requested resource not found: Table: NoSuchTable not found',
  });

  const badType = await rawCall('DynamoDB_20120810.DescribeTable', '{"TableName":5}');
  assert.equal(badType.status, 400);
  assert.equal(badType.json.__type, 'com.amazon.coral.service#SerializationException');

  const badSecret = await rawCall('DynamoDB_20120810.ListTables', '{}', 'wrong-secret');
  assert.equal(badSecret.status, 400);
  assert.match(String(badSecret.json.__type), /InvalidSignatureException|UnrecognizedClientException/);
});

test('boto3: create, put, get, conditional failure, crc32 checked', { skip: !hasBoto3 && 'boto3 not installed' }, async () => {
  const script = `
import boto3, json, sys
from botocore.config import Config
c = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test', config=Config(retries={'max_attempts': 1}))
c.create_table(TableName='Boto', AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}], KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}], BillingMode='PAY_PER_REQUEST')
c.get_waiter('table_exists').wait(TableName='Boto', WaiterConfig={'Delay': 1, 'MaxAttempts': 2})
c.put_item(TableName='Boto', Item={'id': {'S': 'x'}, 'n': {'N': '42'}})
got = c.get_item(TableName='Boto', Key={'id': {'S': 'x'}})
try:
    c.put_item(TableName='Boto', Item={'id': {'S': 'x'}}, ConditionExpression='attribute_not_exists(id)')
    code = None
except c.exceptions.ConditionalCheckFailedException as e:
    code = e.response['Error']['Code']
print(json.dumps({'item': got['Item'], 'code': code, 'crc': got['ResponseMetadata']['HTTPHeaders'].get('x-amz-crc32')}))
`;
  const { stdout } = await run('python3', ['-c', script, ddb.url], {
    env: { ...process.env, AWS_CONFIG_FILE: '/nonexistent/portico', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/portico' },
  });
  const result = JSON.parse(stdout) as { item: unknown; code: string; crc: string };
  assert.deepEqual(result.item, { id: { S: 'x' }, n: { N: '42' } });
  assert.equal(result.code, 'ConditionalCheckFailedException');
  assert.match(result.crc, /^\d+$/);
});

test('items and tables survive closing and reopening the storage', async () => {
  await createSimple('Durable', true);
  const db = client();
  await db.send(new PutItemCommand({ TableName: 'Durable', Item: { pk: { S: 'p' }, sk: { N: '-1.25' }, v: { S: 'kept' } } }));
  await ddb.reopenStorage();
  const got = await db.send(new GetItemCommand({ TableName: 'Durable', Key: { pk: { S: 'p' }, sk: { N: '-1.25' } } }));
  assert.deepEqual(got.Item, { pk: { S: 'p' }, sk: { N: '-1.25' }, v: { S: 'kept' } });
  const described = await db.send(new DescribeTableCommand({ TableName: 'Durable' }));
  assert.equal(described.Table?.KeySchema?.[1]?.AttributeName, 'sk');
});
