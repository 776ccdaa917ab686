// The legacy (pre-expression) parameters — Expected, ConditionalOperator, AttributeUpdates, KeyConditions,
// QueryFilter, ScanFilter, AttributesToGet — driven by the AWS SDK v3 and boto3. Expected messages: architect/dynalite
// validations/*.js, asserted against DynamoDB in its test/*.js.
import {
  BatchGetItemCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasBoto3, rejection, run, useDataService, validation } from './harness.js';

const ddb = useDataService('portico-ddb-legacy-');
const { client, createTable } = ddb;

const s = (S: string) => ({ S });
const n = (N: string) => ({ N });

test('PutItem, UpdateItem and DeleteItem with Expected and ConditionalOperator', async () => {
  await createTable('LegacyWrites');
  const db = client();
  const TableName = 'LegacyWrites';
  await db.send(new PutItemCommand({ TableName, Item: { pk: s('a'), v: n('1') }, Expected: { pk: { Exists: false } } }));
  const exists = await rejection(db.send(new PutItemCommand({ TableName, Item: { pk: s('a') }, Expected: { pk: { Exists: false } } })));
  assert.equal(exists.name, 'ConditionalCheckFailedException');
  await db.send(new PutItemCommand({ TableName, Item: { pk: s('a'), v: n('2') }, Expected: { v: { Value: n('1') } } }));
  await db.send(
    new PutItemCommand({
      TableName,
      Item: { pk: s('a'), v: n('3') },
      Expected: { v: { ComparisonOperator: 'GT', AttributeValueList: [n('100')] }, nope: { ComparisonOperator: 'NULL' } },
      ConditionalOperator: 'OR',
    }),
  );
  const and = await rejection(
    db.send(
      new UpdateItemCommand({
        TableName,
        Key: { pk: s('a') },
        AttributeUpdates: { v: { Action: 'PUT', Value: n('9') } },
        Expected: { v: { ComparisonOperator: 'BETWEEN', AttributeValueList: [n('5'), n('10')] } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    ),
  );
  assert.equal(and.name, 'ConditionalCheckFailedException');
  assert.deepEqual(and.Item, { pk: s('a'), v: n('3') });
  await db.send(new DeleteItemCommand({ TableName, Key: { pk: s('a') }, Expected: { v: { ComparisonOperator: 'IN', AttributeValueList: [n('2'), n('3')] } } }));
  assert.equal((await db.send(new GetItemCommand({ TableName, Key: { pk: s('a') } }))).Item, undefined);
});

test('UpdateItem AttributeUpdates: PUT, ADD (number, set, list), DELETE (set member, attribute), upsert', async () => {
  await createTable('LegacyUpdates');
  const db = client();
  const TableName = 'LegacyUpdates';
  await db.send(new PutItemCommand({ TableName, Item: { pk: s('u'), n: n('1'), tags: { SS: ['a', 'b'] }, list: { L: [n('1')] }, gone: s('x') } }));
  const out = await db.send(
    new UpdateItemCommand({
      TableName,
      Key: { pk: s('u') },
      AttributeUpdates: {
        n: { Action: 'ADD', Value: n('5') },
        tags: { Action: 'DELETE', Value: { SS: ['a'] } },
        list: { Action: 'ADD', Value: { L: [s('two')] } },
        gone: { Action: 'DELETE' },
        fresh: { Value: s('put by default') },
        counter: { Action: 'ADD', Value: n('1') },
        more: { Action: 'ADD', Value: { NS: ['1', '2'] } },
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  assert.deepEqual(out.Attributes, {
    pk: s('u'),
    n: n('6'),
    tags: { SS: ['b'] },
    list: { L: [n('1'), s('two')] },
    fresh: s('put by default'),
    counter: n('1'),
    more: { NS: ['1', '2'] },
  });
  await validation(
    db.send(new UpdateItemCommand({ TableName, Key: { pk: s('u') }, AttributeUpdates: { tags: { Action: 'ADD', Value: { NS: ['1'] } } } })),
    'Type mismatch for attribute to update',
  );
  await validation(
    db.send(new UpdateItemCommand({ TableName, Key: { pk: s('u') }, AttributeUpdates: { n: { Action: 'DELETE', Value: { NS: ['1'] } } } })),
    'Type mismatch for attribute to update',
  );
  const created = await db.send(new UpdateItemCommand({ TableName, Key: { pk: s('new') }, AttributeUpdates: { l: { Action: 'ADD', Value: { L: [n('1')] } } }, ReturnValues: 'ALL_NEW' }));
  assert.deepEqual(created.Attributes, { pk: s('new'), l: { L: [n('1')] } });
});

test('GetItem, BatchGetItem, Query and Scan with AttributesToGet, KeyConditions, QueryFilter and ScanFilter', async () => {
  await createTable('LegacyReads', 'N');
  const db = client();
  const TableName = 'LegacyReads';
  for (let i = 1; i <= 5; i++) {
    await db.send(new PutItemCommand({ TableName, Item: { pk: s(i <= 4 ? 'p' : 'q'), sk: n(String(i)), name: s(`item${i}`), ...(i === 3 ? { tags: { SS: ['x'] } } : {}) } }));
  }
  const got = await db.send(new GetItemCommand({ TableName, Key: { pk: s('p'), sk: n('1') }, AttributesToGet: ['name', 'missing'] }));
  assert.deepEqual(got.Item, { name: s('item1') });
  const batch = await db.send(new BatchGetItemCommand({ RequestItems: { LegacyReads: { Keys: [{ pk: s('q'), sk: n('5') }], AttributesToGet: ['sk'] } } }));
  assert.deepEqual(batch.Responses?.LegacyReads, [{ sk: n('5') }]);

  const queried = await db.send(
    new QueryCommand({
      TableName,
      KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [s('p')] }, sk: { ComparisonOperator: 'GE', AttributeValueList: [n('2')] } },
      QueryFilter: { name: { ComparisonOperator: 'IN', AttributeValueList: [s('item2'), s('item4')] } },
      AttributesToGet: ['sk'],
      ScanIndexForward: false,
    }),
  );
  assert.deepEqual(queried.Items, [{ sk: n('4') }, { sk: n('2') }]);
  assert.equal(queried.ScannedCount, 3);
  // KeyConditions may stand beside a FilterExpression (no KeyConditionExpression).
  const mixedKey = await db.send(
    new QueryCommand({
      TableName,
      KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [s('p')] } },
      FilterExpression: 'attribute_exists(tags)',
    }),
  );
  assert.deepEqual(mixedKey.Items?.map((i) => i.sk?.N), ['3']);

  const scanned = await db.send(
    new ScanCommand({
      TableName,
      ScanFilter: {
        sk: { ComparisonOperator: 'IN', AttributeValueList: [n('1'), n('5')] },
        tags: { ComparisonOperator: 'CONTAINS', AttributeValueList: [s('x')] },
      },
      ConditionalOperator: 'OR',
      AttributesToGet: ['sk'],
    }),
  );
  assert.deepEqual(scanned.Items?.map((i) => Number(i.sk?.N)).sort(), [1, 3, 5]);
  const notContains = await db.send(
    new ScanCommand({ TableName, ScanFilter: { tags: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [s('x')] }, name: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [s('item')] } } }),
  );
  assert.equal(notContains.Count, 4);
});

test('legacy parameter validation: DynamoDB messages', async () => {
  await createTable('LegacyErrors', 'N');
  const db = client();
  const TableName = 'LegacyErrors';
  const Key = { pk: s('a'), sk: n('1') };
  await validation(
    db.send(new PutItemCommand({ TableName, Item: Key, Expected: { a: { Exists: false } }, ConditionExpression: 'attribute_exists(b)' })),
    'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}',
  );
  await validation(
    db.send(new UpdateItemCommand({ TableName, Key, AttributeUpdates: { a: { Value: s('x') } }, UpdateExpression: 'SET b = :b', ExpressionAttributeValues: { ':b': s('y') } })),
    'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}',
  );
  await validation(
    db.send(new ScanCommand({ TableName, AttributesToGet: ['a'], ScanFilter: {}, FilterExpression: 'a = b', ProjectionExpression: 'c' })),
    'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet, ScanFilter} Expression parameters: {ProjectionExpression, FilterExpression}',
  );
  await validation(
    db.send(new QueryCommand({ TableName, KeyConditions: {}, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': s('a') } })),
    'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}',
  );
  await validation(
    db.send(new PutItemCommand({ TableName, Item: Key, Expected: { a: { ComparisonOperator: 'EQ', AttributeValueList: [s('x'), s('y')] } } })),
    'One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator',
  );
  await validation(
    db.send(new PutItemCommand({ TableName, Item: Key, Expected: { a: { Exists: true } } })),
    'One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: a',
  );
  await validation(
    db.send(new PutItemCommand({ TableName, Item: Key, Expected: { a: { Exists: false, Value: s('x') } } })),
    'One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: a',
  );
  await validation(
    db.send(new PutItemCommand({ TableName, Item: Key, Expected: { a: { ComparisonOperator: 'EQ', Exists: true, Value: s('x') } } })),
    'One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for Attribute: a',
  );
  await validation(
    db.send(new PutItemCommand({ TableName, Item: Key, Expected: { a: { AttributeValueList: [s('x')] } } })),
    'One or more parameter values were invalid: AttributeValueList can only be used with a ComparisonOperator for Attribute: a',
  );
  await validation(
    db.send(new PutItemCommand({ TableName, Item: Key, Expected: { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [n('5'), n('1')] } } })),
    'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
  );
  await validation(
    db.send(new ScanCommand({ TableName, ScanFilter: { a: { ComparisonOperator: 'LT', AttributeValueList: [{ SS: ['x'] }] } } })),
    'One or more parameter values were invalid: ComparisonOperator LT is not valid for SS AttributeValue type',
  );
  await validation(
    db.send(new ScanCommand({ TableName, ScanFilter: { a: { ComparisonOperator: 'IN', AttributeValueList: [s('x'), n('1')] } } })),
    'One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type',
  );
  await validation(
    db.send(new UpdateItemCommand({ TableName, Key, AttributeUpdates: { a: { Action: 'PUT' } } })),
    'One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified',
  );
  await validation(
    db.send(new UpdateItemCommand({ TableName, Key, AttributeUpdates: { a: { Action: 'ADD', Value: s('x') } } })),
    'One or more parameter values were invalid: ADD action is not supported for the type S',
  );
  await validation(
    db.send(new UpdateItemCommand({ TableName, Key, AttributeUpdates: { a: { Action: 'DELETE', Value: n('1') } } })),
    'One or more parameter values were invalid: DELETE action with value is not supported for the type N',
  );
  await validation(
    db.send(new UpdateItemCommand({ TableName, Key, AttributeUpdates: { pk: { Value: s('z') } } })),
    'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
  );
  await validation(db.send(new GetItemCommand({ TableName, Key, AttributesToGet: ['a', 'a'] })), 'One or more parameter values were invalid: Duplicate value in attribute name: a');
  await validation(
    db.send(new QueryCommand({ TableName, KeyConditions: { pk: { ComparisonOperator: 'NE', AttributeValueList: [s('a')] } } })),
    'Attempted conditional constraint is not an indexable operation',
  );
  await validation(
    db.send(
      new QueryCommand({
        TableName,
        KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [s('a')] } },
        QueryFilter: { sk: { ComparisonOperator: 'EQ', AttributeValueList: [n('1')] } },
      }),
    ),
    'QueryFilter can only contain non-primary key attributes: Primary key attribute: sk',
  );
  await validation(
    db.send(new QueryCommand({ TableName, KeyConditions: { sk: { ComparisonOperator: 'EQ', AttributeValueList: [n('1')] } } })),
    'Query condition missed key schema element: pk',
  );
  await validation(
    db.send(new ScanCommand({ TableName, ConditionalOperator: 'XOR' as 'OR' })),
    "1 validation error detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]",
  );
});

test('boto3: put_item with Expected, query with KeyConditions, update_item with AttributeUpdates', { skip: !hasBoto3 && 'boto3 not installed' }, async () => {
  const script = `
import boto3, json, sys
from botocore.config import Config
c = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test', config=Config(retries={'max_attempts': 1}))
c.create_table(TableName='LegacyBoto', AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'}], KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'}], BillingMode='PAY_PER_REQUEST')
c.put_item(TableName='LegacyBoto', Item={'pk': {'S': 'b'}, 'n': {'N': '1'}}, Expected={'pk': {'Exists': False}})
try:
    c.put_item(TableName='LegacyBoto', Item={'pk': {'S': 'b'}}, Expected={'pk': {'Exists': False}})
    failed = None
except c.exceptions.ConditionalCheckFailedException as e:
    failed = e.response['Error']['Code']
c.update_item(TableName='LegacyBoto', Key={'pk': {'S': 'b'}}, AttributeUpdates={'n': {'Action': 'ADD', 'Value': {'N': '41'}}})
items = c.query(TableName='LegacyBoto', KeyConditions={'pk': {'ComparisonOperator': 'EQ', 'AttributeValueList': [{'S': 'b'}]}}, AttributesToGet=['n'])['Items']
print(json.dumps({'failed': failed, 'items': items}))
`;
  const { stdout } = await run('python3', ['-c', script, ddb.url], {
    env: { ...process.env, AWS_CONFIG_FILE: '/nonexistent/portico', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/portico' },
  });
  assert.deepEqual(JSON.parse(stdout), { failed: 'ConditionalCheckFailedException', items: [{ n: { N: '42' } }] });
});
