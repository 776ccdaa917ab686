// UpdateItem, Query and Scan driven by real clients: the AWS SDK v3 (low-level, DocumentClient, paginators) and
// boto3 (Key/Attr conditions). Expected messages: DynamoDB API reference and architect/dynalite test/updateItem.js,
// test/query.js, test/scan.js.
import {
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand as DocQueryCommand, UpdateCommand, paginateQuery, paginateScan } from '@aws-sdk/lib-dynamodb';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasBoto3, rejection, run, useDataService, validation } from './harness.js';

const ddb = useDataService('portico-ddb-qsu-');
const { client, doc, createTable } = ddb;

const sks = (items: Record<string, AttributeValue>[] | undefined) => (items ?? []).map((i) => i.sk?.N ?? i.sk?.S);

// ---------------------------------------------------------------- UpdateItem

test('UpdateItem: upsert, SET/ADD/REMOVE/DELETE and every ReturnValues', async () => {
  await createTable('Upd');
  const db = client();
  const created = await db.send(
    new UpdateItemCommand({
      TableName: 'Upd',
      Key: { pk: { S: 'a' } },
      UpdateExpression: 'SET #n = :n, tags = :t ADD hits :one',
      ExpressionAttributeNames: { '#n': 'name' },
      ExpressionAttributeValues: { ':n': { S: 'ada' }, ':t': { SS: ['x', 'y', 'z'] }, ':one': { N: '1' } },
      ReturnValues: 'ALL_NEW',
    }),
  );
  assert.deepEqual(created.Attributes, { pk: { S: 'a' }, name: { S: 'ada' }, tags: { SS: ['x', 'y', 'z'] }, hits: { N: '1' } });

  const updatedOld = await db.send(
    new UpdateItemCommand({
      TableName: 'Upd',
      Key: { pk: { S: 'a' } },
      UpdateExpression: 'ADD hits :five DELETE tags :x REMOVE #n',
      ExpressionAttributeNames: { '#n': 'name' },
      ExpressionAttributeValues: { ':five': { N: '5' }, ':x': { SS: ['x'] } },
      ReturnValues: 'UPDATED_OLD',
    }),
  );
  assert.deepEqual(updatedOld.Attributes, { hits: { N: '1' }, tags: { SS: ['x', 'y', 'z'] }, name: { S: 'ada' } });

  const updatedNew = await db.send(
    new UpdateItemCommand({
      TableName: 'Upd',
      Key: { pk: { S: 'a' } },
      UpdateExpression: 'SET hits = hits + :two, extra = if_not_exists(extra, :e)',
      ExpressionAttributeValues: { ':two': { N: '2' }, ':e': { BOOL: true } },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  assert.deepEqual(updatedNew.Attributes, { hits: { N: '8' }, extra: { BOOL: true } });

  const allOld = await db.send(
    new UpdateItemCommand({ TableName: 'Upd', Key: { pk: { S: 'a' } }, UpdateExpression: 'REMOVE extra', ReturnValues: 'ALL_OLD' }),
  );
  assert.deepEqual(allOld.Attributes, { pk: { S: 'a' }, tags: { SS: ['y', 'z'] }, hits: { N: '8' }, extra: { BOOL: true } });

  const none = await db.send(new UpdateItemCommand({ TableName: 'Upd', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET z = :z', ExpressionAttributeValues: { ':z': { N: '0' } } }));
  assert.equal(none.Attributes, undefined);

  // No UpdateExpression: the item is created with its key only.
  await db.send(new UpdateItemCommand({ TableName: 'Upd', Key: { pk: { S: 'bare' } } }));
  assert.deepEqual((await db.send(new GetItemCommand({ TableName: 'Upd', Key: { pk: { S: 'bare' } } }))).Item, { pk: { S: 'bare' } });

  const got = await db.send(new GetItemCommand({ TableName: 'Upd', Key: { pk: { S: 'a' } } }));
  assert.deepEqual(got.Item, { pk: { S: 'a' }, tags: { SS: ['y', 'z'] }, hits: { N: '8' }, z: { N: '0' } });
});

test('UpdateItem: condition, key attributes, placeholders, size, runtime errors', async () => {
  await createTable('UpdErr', 'N');
  const db = client();
  const key = { pk: { S: 'k' }, sk: { N: '1' } };
  await db.send(new PutItemCommand({ TableName: 'UpdErr', Item: { ...key, v: { N: '1' } } }));

  const failed = await rejection(
    db.send(
      new UpdateItemCommand({
        TableName: 'UpdErr',
        Key: key,
        UpdateExpression: 'SET v = :v',
        ConditionExpression: 'v = :old',
        ExpressionAttributeValues: { ':v': { N: '3' }, ':old': { N: '2' } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    ),
  );
  assert.equal(failed.name, 'ConditionalCheckFailedException');
  assert.equal(failed.message, 'The conditional request failed');
  assert.deepEqual(failed.Item, { ...key, v: { N: '1' } });
  // The failed condition wrote nothing.
  assert.deepEqual((await db.send(new GetItemCommand({ TableName: 'UpdErr', Key: key }))).Item, { ...key, v: { N: '1' } });

  // attribute_not_exists on a missing item passes and creates it.
  await db.send(
    new UpdateItemCommand({
      TableName: 'UpdErr',
      Key: { pk: { S: 'k' }, sk: { N: '2' } },
      UpdateExpression: 'SET v = :v',
      ConditionExpression: 'attribute_not_exists(pk)',
      ExpressionAttributeValues: { ':v': { N: '9' } },
    }),
  );
  assert.deepEqual((await db.send(new GetItemCommand({ TableName: 'UpdErr', Key: { pk: { S: 'k' }, sk: { N: '2' } } }))).Item, { pk: { S: 'k' }, sk: { N: '2' }, v: { N: '9' } });

  await validation(
    db.send(new UpdateItemCommand({ TableName: 'UpdErr', Key: key, UpdateExpression: 'SET sk = :v', ExpressionAttributeValues: { ':v': { N: '5' } } })),
    'One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key',
  );
  await validation(
    db.send(new UpdateItemCommand({ TableName: 'UpdErr', Key: key, UpdateExpression: 'REMOVE pk' })),
    'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
  );
  await validation(
    db.send(new UpdateItemCommand({ TableName: 'UpdErr', Key: key, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '5' }, ':extra': { N: '6' } } })),
    'Value provided in ExpressionAttributeValues unused in expressions: keys: {:extra}',
  );
  await validation(
    db.send(new UpdateItemCommand({ TableName: 'UpdErr', Key: key, UpdateExpression: 'SET v = :nope', ExpressionAttributeValues: { ':v': { N: '5' } } })),
    'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :nope',
  );
  await validation(
    db.send(new UpdateItemCommand({ TableName: 'UpdErr', Key: key, UpdateExpression: 'SET #a = :v', ExpressionAttributeNames: { '#a': 'a', '#b': 'b' }, ExpressionAttributeValues: { ':v': { N: '5' } } })),
    'Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}',
  );
  await validation(
    db.send(new UpdateItemCommand({ TableName: 'UpdErr', Key: key, UpdateExpression: 'SET v = nothere + :v', ExpressionAttributeValues: { ':v': { N: '5' } } })),
    'The provided expression refers to an attribute that does not exist in the item',
  );
  await validation(
    db.send(new UpdateItemCommand({ TableName: 'UpdErr', Key: key, UpdateExpression: 'SET big = :b', ExpressionAttributeValues: { ':b': { S: 'x'.repeat(400 * 1024) } } })),
    'Item size to update has exceeded the maximum allowed size',
  );
  // Nothing above changed the item.
  assert.deepEqual((await db.send(new GetItemCommand({ TableName: 'UpdErr', Key: key }))).Item, { ...key, v: { N: '1' } });
});

test('UpdateItem through the DocumentClient', async () => {
  await createTable('UpdDoc');
  const d = doc();
  const first = await d.send(
    new UpdateCommand({
      TableName: 'UpdDoc',
      Key: { pk: 'u1' },
      UpdateExpression: 'SET profile = :p, #c = list_append(if_not_exists(#c, :empty), :item)',
      ExpressionAttributeNames: { '#c': 'cart' },
      ExpressionAttributeValues: { ':p': { age: 36, langs: ['en'] }, ':empty': [], ':item': ['apple'] },
      ReturnValues: 'ALL_NEW',
    }),
  );
  assert.deepEqual(first.Attributes, { pk: 'u1', profile: { age: 36, langs: ['en'] }, cart: ['apple'] });
  const second = await d.send(
    new UpdateCommand({
      TableName: 'UpdDoc',
      Key: { pk: 'u1' },
      UpdateExpression: 'SET profile.age = profile.age + :one, #c = list_append(#c, :item)',
      ExpressionAttributeNames: { '#c': 'cart' },
      ExpressionAttributeValues: { ':one': 1, ':item': ['pear'] },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  assert.deepEqual(second.Attributes, { profile: { age: 37 }, cart: ['apple', 'pear'] });
});

// ---------------------------------------------------------------- Query

async function seedNumbers(table: string) {
  await createTable(table, 'N');
  const db = client();
  for (let i = 1; i <= 10; i++) {
    await db.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'p' }, sk: { N: String(i) }, even: { BOOL: i % 2 === 0 }, data: { S: `d${i}` } } }));
  }
  await db.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'other' }, sk: { N: '1' } } }));
}

test('Query: key conditions map onto the sort key range', async () => {
  await seedNumbers('QueryT');
  const db = client();
  const q = async (cond: string, values: Record<string, AttributeValue>, extra: Record<string, unknown> = {}) =>
    db.send(new QueryCommand({ TableName: 'QueryT', KeyConditionExpression: cond, ExpressionAttributeValues: { ':p': { S: 'p' }, ...values }, ...extra }));

  const all = await q('pk = :p', {});
  assert.deepEqual(sks(all.Items), ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  assert.equal(all.Count, 10);
  assert.equal(all.ScannedCount, 10);
  assert.equal(all.LastEvaluatedKey, undefined);
  assert.deepEqual(sks((await q('pk = :p AND sk = :v', { ':v': { N: '4' } })).Items), ['4']);
  assert.deepEqual(sks((await q('pk = :p AND sk < :v', { ':v': { N: '3' } })).Items), ['1', '2']);
  assert.deepEqual(sks((await q('pk = :p AND sk <= :v', { ':v': { N: '3' } })).Items), ['1', '2', '3']);
  assert.deepEqual(sks((await q('pk = :p AND sk > :v', { ':v': { N: '8' } })).Items), ['9', '10']);
  assert.deepEqual(sks((await q('pk = :p AND :v <= sk', { ':v': { N: '8' } })).Items), ['8', '9', '10']);
  assert.deepEqual(sks((await q('sk BETWEEN :a AND :b AND pk = :p', { ':a': { N: '3' }, ':b': { N: '5' } })).Items), ['3', '4', '5']);
  assert.deepEqual(sks((await q('pk = :p AND sk > :v', { ':v': { N: '6' } }, { ScanIndexForward: false })).Items), ['10', '9', '8', '7']);
  const other = await db.send(new QueryCommand({ TableName: 'QueryT', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'other' } } }));
  assert.deepEqual(other.Items, [{ pk: { S: 'other' }, sk: { N: '1' } }]);
});

test('Query: begins_with on a string sort key', async () => {
  await createTable('QueryS', 'S');
  const db = client();
  for (const sk of ['a', 'ab', 'abc', 'abd', 'ac', 'b', 'a\u{ff}']) await db.send(new PutItemCommand({ TableName: 'QueryS', Item: { pk: { S: 'p' }, sk: { S: sk } } }));
  const r = await db.send(
    new QueryCommand({ TableName: 'QueryS', KeyConditionExpression: 'pk = :p AND begins_with(sk, :pre)', ExpressionAttributeValues: { ':p': { S: 'p' }, ':pre': { S: 'ab' } } }),
  );
  assert.deepEqual(sks(r.Items), ['ab', 'abc', 'abd']);
  const a = await db.send(
    new QueryCommand({ TableName: 'QueryS', KeyConditionExpression: 'pk = :p AND begins_with(sk, :pre)', ExpressionAttributeValues: { ':p': { S: 'p' }, ':pre': { S: 'a' } } }),
  );
  assert.deepEqual(sks(a.Items), ['a', 'ab', 'abc', 'abd', 'ac', 'a\u{ff}']);
});

test('Query: Limit, LastEvaluatedKey, filter after limit, Select, projection', async () => {
  await seedNumbers('QueryL');
  const db = client();
  const base = { TableName: 'QueryL', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } as Record<string, AttributeValue> };
  const page1 = await db.send(new QueryCommand({ ...base, Limit: 4 }));
  assert.deepEqual(sks(page1.Items), ['1', '2', '3', '4']);
  assert.deepEqual(page1.LastEvaluatedKey, { pk: { S: 'p' }, sk: { N: '4' } });
  const page2 = await db.send(new QueryCommand({ ...base, Limit: 6, ExclusiveStartKey: page1.LastEvaluatedKey }));
  assert.deepEqual(sks(page2.Items), ['5', '6', '7', '8', '9', '10']);
  // A page holding exactly Limit items at the end of the range still has a LastEvaluatedKey; the next one is empty.
  assert.deepEqual(page2.LastEvaluatedKey, { pk: { S: 'p' }, sk: { N: '10' } });
  const page3 = await db.send(new QueryCommand({ ...base, Limit: 6, ExclusiveStartKey: page2.LastEvaluatedKey }));
  assert.deepEqual(page3.Items, []);
  assert.equal(page3.LastEvaluatedKey, undefined);

  const back = await db.send(new QueryCommand({ ...base, Limit: 2, ScanIndexForward: false, ExclusiveStartKey: { pk: { S: 'p' }, sk: { N: '5' } } }));
  assert.deepEqual(sks(back.Items), ['4', '3']);

  // Filter after Limit: 5 evaluated, 2 match.
  const filtered = await db.send(
    new QueryCommand({ ...base, Limit: 5, FilterExpression: 'even = :t', ExpressionAttributeValues: { ':p': { S: 'p' }, ':t': { BOOL: true } } }),
  );
  assert.equal(filtered.Count, 2);
  assert.equal(filtered.ScannedCount, 5);
  assert.deepEqual(sks(filtered.Items), ['2', '4']);
  assert.deepEqual(filtered.LastEvaluatedKey, { pk: { S: 'p' }, sk: { N: '5' } });

  const count = await db.send(new QueryCommand({ ...base, Select: 'COUNT', FilterExpression: 'even = :f', ExpressionAttributeValues: { ':p': { S: 'p' }, ':f': { BOOL: false } } }));
  assert.equal(count.Items, undefined);
  assert.equal(count.Count, 5);
  assert.equal(count.ScannedCount, 10);

  const projected = await db.send(
    new QueryCommand({ ...base, Limit: 2, Select: 'SPECIFIC_ATTRIBUTES', ProjectionExpression: '#d, sk', ExpressionAttributeNames: { '#d': 'data' }, ConsistentRead: true }),
  );
  assert.deepEqual(projected.Items, [
    { data: { S: 'd1' }, sk: { N: '1' } },
    { data: { S: 'd2' }, sk: { N: '2' } },
  ]);
  const capacity = await db.send(new QueryCommand({ ...base, ReturnConsumedCapacity: 'TOTAL' }));
  assert.deepEqual(capacity.ConsumedCapacity, { TableName: 'QueryL', CapacityUnits: 0.5 });
});

test('Query: validation messages', async () => {
  await createTable('QueryE', 'N');
  const db = client();
  const p = { ':p': { S: 'p' } };
  await validation(
    db.send(new QueryCommand({ TableName: 'QueryE', KeyConditionExpression: 'sk = :v', ExpressionAttributeValues: { ':v': { N: '1' } } })),
    'Query condition missed key schema element: pk',
  );
  await validation(
    db.send(new QueryCommand({ TableName: 'QueryE', IndexName: 'byOther', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: p })),
    'The table does not have the specified index: byOther',
  );
  await validation(
    db.send(new QueryCommand({ TableName: 'QueryE', KeyConditionExpression: 'pk = :p', FilterExpression: 'sk > :v', ExpressionAttributeValues: { ...p, ':v': { N: '1' } } })),
    'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk',
  );
  await validation(db.send(new QueryCommand({ TableName: 'QueryE' })), 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  await validation(
    db.send(new QueryCommand({ TableName: 'QueryE', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: p, Select: 'SPECIFIC_ATTRIBUTES' })),
    '1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES',
  );
  await validation(
    db.send(new QueryCommand({ TableName: 'QueryE', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: p, Select: 'ALL_ATTRIBUTES', ProjectionExpression: 'a' })),
    'Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES',
  );
  await validation(
    db.send(new QueryCommand({ TableName: 'QueryE', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: p, Limit: 0 })),
    "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
  await validation(
    db.send(new QueryCommand({ TableName: 'QueryE', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { N: '1' } } })),
    'One or more parameter values were invalid: Condition parameter type does not match schema type',
  );
  await validation(
    db.send(new QueryCommand({ TableName: 'QueryE', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: p, ExclusiveStartKey: { pk: { S: 'q' }, sk: { N: '1' } } })),
    'The provided starting key is outside query boundaries based on provided conditions',
  );
  await validation(
    db.send(
      new QueryCommand({
        TableName: 'QueryE',
        KeyConditionExpression: 'pk = :p AND sk > :v',
        ExpressionAttributeValues: { ...p, ':v': { N: '5' } },
        ExclusiveStartKey: { pk: { S: 'p' }, sk: { N: '5' } },
      }),
    ),
    'The provided starting key does not match the range key predicate',
  );
  await validation(
    db.send(
      new QueryCommand({
        TableName: 'QueryE',
        KeyConditionExpression: 'pk = :p AND sk BETWEEN :b AND :a',
        ExpressionAttributeValues: { ...p, ':a': { N: '1' }, ':b': { N: '2' } },
      }),
    ),
    'Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}',
  );
  await validation(
    db.send(new QueryCommand({ TableName: 'QueryE', KeyConditionExpression: 'pk = :p AND begins_with(sk, :v)', ExpressionAttributeValues: { ...p, ':v': { N: '1' } } })),
    'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
  );
  await validation(
    db.send(new QueryCommand({ TableName: 'QueryE', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: p, ExclusiveStartKey: { pk: { S: 'p' } } })),
    'The provided starting key is invalid: The provided key element does not match the schema',
  );
  await validation(
    db.send(new QueryCommand({ TableName: 'QueryE', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: '' } } })),
    'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
  );
  await validation(
    db.send(new QueryCommand({ TableName: 'QueryE', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ...p, ':unused': { S: 'x' } } })),
    'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}',
  );
});

test('Query and Scan: pages stop at 1 MB', async () => {
  await createTable('Big', 'N');
  const d = doc();
  for (let i = 1; i <= 4; i++) await d.send(new PutCommand({ TableName: 'Big', Item: { pk: 'p', sk: i, blob: 'x'.repeat(390 * 1024) } }));
  const first = await client().send(new QueryCommand({ TableName: 'Big', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Select: 'COUNT' }));
  assert.equal(first.Count, 3);
  assert.deepEqual(first.LastEvaluatedKey, { pk: { S: 'p' }, sk: { N: '3' } });
  const scanned = await client().send(new ScanCommand({ TableName: 'Big', Select: 'COUNT' }));
  assert.equal(scanned.ScannedCount, 3);
  assert.deepEqual(scanned.LastEvaluatedKey, { pk: { S: 'p' }, sk: { N: '3' } });
  const rest = await client().send(new ScanCommand({ TableName: 'Big', Select: 'COUNT', ExclusiveStartKey: scanned.LastEvaluatedKey }));
  assert.equal(rest.Count, 1);
  assert.equal(rest.LastEvaluatedKey, undefined);
});

test('DocumentClient: QueryCommand and paginateQuery / paginateScan', async () => {
  await createTable('Pag', 'N');
  const d = doc();
  for (let i = 0; i < 7; i++) await d.send(new PutCommand({ TableName: 'Pag', Item: { pk: i < 5 ? 'a' : 'b', sk: i, tag: i % 3 === 0 ? 'x' : 'y' } }));
  const q = await d.send(new DocQueryCommand({ TableName: 'Pag', KeyConditionExpression: 'pk = :a AND sk >= :two', ExpressionAttributeValues: { ':a': 'a', ':two': 2 } }));
  assert.deepEqual(q.Items, [
    { pk: 'a', sk: 2, tag: 'y' },
    { pk: 'a', sk: 3, tag: 'x' },
    { pk: 'a', sk: 4, tag: 'y' },
  ]);

  const pages: number[][] = [];
  for await (const page of paginateQuery({ client: d, pageSize: 2 }, { TableName: 'Pag', KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': 'a' } })) {
    pages.push((page.Items ?? []).map((i) => i.sk as number));
  }
  assert.deepEqual(pages, [[0, 1], [2, 3], [4]]);

  const scanned: unknown[] = [];
  let scanPages = 0;
  for await (const page of paginateScan({ client: d, pageSize: 3 }, { TableName: 'Pag', FilterExpression: 'tag = :x', ExpressionAttributeValues: { ':x': 'x' } })) {
    scanPages++;
    scanned.push(...(page.Items ?? []));
  }
  assert.equal(scanPages, 3); // 7 items, 3 per page: 3 + 3 + 1
  assert.deepEqual(
    scanned.map((i) => (i as { sk: number }).sk).sort((x, y) => x - y),
    [0, 3, 6],
  );
});

// ---------------------------------------------------------------- Scan

test('Scan: filter, projection, Limit, segments and their validation', async () => {
  await createTable('ScanT');
  const db = client();
  for (let i = 0; i < 40; i++) await db.send(new PutItemCommand({ TableName: 'ScanT', Item: { pk: { S: `k${i}` }, n: { N: String(i) } } }));
  const all = await db.send(new ScanCommand({ TableName: 'ScanT' }));
  assert.equal(all.Count, 40);
  assert.equal(all.LastEvaluatedKey, undefined);
  const filtered = await db.send(new ScanCommand({ TableName: 'ScanT', FilterExpression: 'n >= :v', ProjectionExpression: 'n', ExpressionAttributeValues: { ':v': { N: '37' } } }));
  assert.deepEqual(
    (filtered.Items ?? []).map((i) => i.n?.N).sort(),
    ['37', '38', '39'],
  );
  assert.equal(filtered.ScannedCount, 40);
  assert.ok((filtered.Items ?? []).every((i) => Object.keys(i).join() === 'n'));

  const limited = await db.send(new ScanCommand({ TableName: 'ScanT', Limit: 10 }));
  assert.equal(limited.Count, 10);
  assert.deepEqual(limited.LastEvaluatedKey, { pk: limited.Items?.[9]?.pk });
  const next = await db.send(new ScanCommand({ TableName: 'ScanT', Limit: 100, ExclusiveStartKey: limited.LastEvaluatedKey }));
  assert.equal(next.Count, 30);
  assert.equal(new Set([...(limited.Items ?? []), ...(next.Items ?? [])].map((i) => i.pk?.S)).size, 40);

  const seen: string[] = [];
  for (let s = 0; s < 4; s++) {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: 'ScanT', Segment: s, TotalSegments: 4, ExclusiveStartKey: start }));
      seen.push(...(page.Items ?? []).map((i) => i.pk!.S!));
      start = page.LastEvaluatedKey;
    } while (start);
  }
  assert.equal(seen.length, 40);
  assert.equal(new Set(seen).size, 40);

  await validation(
    db.send(new ScanCommand({ TableName: 'ScanT', Segment: 1, TotalSegments: 1 })),
    'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 1 is not less than TotalSegments: 1',
  );
  await validation(
    db.send(new ScanCommand({ TableName: 'ScanT', TotalSegments: 2 })),
    'The Segment parameter is required but was not present in the request when parameter TotalSegments is present',
  );
  await validation(
    db.send(new ScanCommand({ TableName: 'ScanT', Segment: 1 })),
    'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
  );
  await validation(
    db.send(new ScanCommand({ TableName: 'ScanT', Segment: 0, TotalSegments: 1000001 })),
    "1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000",
  );
  await validation(db.send(new ScanCommand({ TableName: 'ScanT', Select: 'SPECIFIC_ATTRIBUTES' })), 'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES');
  await validation(db.send(new ScanCommand({ TableName: 'ScanT', IndexName: 'idx' })), 'The table does not have the specified index: idx');
  const missing = await rejection(db.send(new ScanCommand({ TableName: 'NoSuchTable' })));
  assert.equal(missing.name, 'ResourceNotFoundException');
  assert.equal(missing.message, 'Requested resource not found');
});

// ---------------------------------------------------------------- boto3

test('boto3: Query with Key/Attr conditions, update_item', { skip: !hasBoto3 && 'boto3 not installed' }, async () => {
  const script = `
import boto3, json, sys
from decimal import Decimal
from botocore.config import Config
from boto3.dynamodb.conditions import Key, Attr
r = boto3.resource('dynamodb', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test', config=Config(retries={'max_attempts': 1}))
t = r.create_table(TableName='BotoQ', AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'}, {'AttributeName': 'sk', 'AttributeType': 'S'}], KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'}, {'AttributeName': 'sk', 'KeyType': 'RANGE'}], BillingMode='PAY_PER_REQUEST')
for i in range(6):
    t.put_item(Item={'pk': 'user', 'sk': 'order#%d' % i, 'total': i * 10})
t.put_item(Item={'pk': 'user', 'sk': 'profile', 'total': 0})
q = t.query(KeyConditionExpression=Key('pk').eq('user') & Key('sk').begins_with('order#'), FilterExpression=Attr('total').gte(20), ScanIndexForward=False)
b = t.query(KeyConditionExpression=Key('pk').eq('user') & Key('sk').between('order#1', 'order#3'))
u = t.update_item(Key={'pk': 'user', 'sk': 'profile'}, UpdateExpression='ADD #t :n', ExpressionAttributeNames={'#t': 'total'}, ExpressionAttributeValues={':n': Decimal(5)}, ReturnValues='UPDATED_NEW')
try:
    t.query(KeyConditionExpression=Key('sk').eq('profile'))
    err = None
except r.meta.client.exceptions.ClientError as e:
    err = e.response['Error']['Message']
print(json.dumps({'sks': [i['sk'] for i in q['Items']], 'count': q['Count'], 'scanned': q['ScannedCount'], 'between': [i['sk'] for i in b['Items']], 'updated': int(u['Attributes']['total']), 'err': err}))
`;
  const { stdout } = await run('python3', ['-c', script, ddb.url], {
    env: { ...process.env, AWS_CONFIG_FILE: '/nonexistent/portico', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/portico' },
  });
  assert.deepEqual(JSON.parse(stdout), {
    sks: ['order#5', 'order#4', 'order#3', 'order#2'],
    count: 4,
    scanned: 6,
    between: ['order#1', 'order#2', 'order#3'],
    updated: 5,
    err: 'Query condition missed key schema element: pk',
  });
});
