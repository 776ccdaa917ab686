// PartiQL SELECT from "table"."index" through the AWS SDK v3: a Query of the index when WHERE pins the index's
// partition key with `=`, a Scan of the index otherwise; the index's projection; Limit and NextToken; what
// DynamoDB refuses on an index (unknown index, consistent reads on a GSI).
import { CreateTableCommand, ExecuteStatementCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDataService, validation } from './harness.js';

const ddb = useDataService('portico-ddb-partiql-index-');
const { client } = ddb;

const s = (S: string) => ({ S });
const n = (N: string) => ({ N });
type Row = Record<string, AttributeValue>;

const ORDERS: Row[] = [
  { pk: s('o1'), sk: n('1'), owner: s('ada'), placed: n('30'), total: n('5'), note: s('x') },
  { pk: s('o2'), sk: n('1'), owner: s('ada'), placed: n('10'), total: n('7'), note: s('y') },
  { pk: s('o3'), sk: n('1'), owner: s('grace'), placed: n('20'), total: n('9'), note: s('z') },
  { pk: s('o3'), sk: n('2'), owner: s('ada'), placed: n('20'), total: n('1'), note: s('w') },
  { pk: s('o4'), sk: n('1'), note: s('not in the sparse indexes') },
];

let created: Promise<void> | undefined;
/** The table every test reads, created once by whichever test runs first. */
const ordersTable = () => (created ??= createOrders());

async function createOrders(): Promise<void> {
  const db = client();
  await db.send(
    new CreateTableCommand({
      TableName: 'PqlIdx',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'owner', AttributeType: 'S' },
        { AttributeName: 'placed', AttributeType: 'N' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byOwner',
          KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }, { AttributeName: 'placed', KeyType: 'RANGE' }],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
        },
        { IndexName: 'ownerKeys', KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      ],
      LocalSecondaryIndexes: [
        { IndexName: 'byPlaced', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'placed', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (const item of ORDERS) await db.send(new PutItemCommand({ TableName: 'PqlIdx', Item: item }));
}

async function select(Statement: string, extra: { Limit?: number; NextToken?: string; ConsistentRead?: boolean; Parameters?: AttributeValue[] } = {}) {
  await ordersTable();
  return client().send(new ExecuteStatementCommand({ Statement, ...extra }));
}

test('WHERE pinning the index partition key reads that partition in index order, with the index projection', async () => {
  const out = await select(`SELECT * FROM "PqlIdx"."byOwner" WHERE owner = ?`, { Parameters: [s('ada')] });
  assert.deepEqual(out.Items, [
    { pk: s('o2'), sk: n('1'), owner: s('ada'), placed: n('10'), total: n('7') },
    { pk: s('o3'), sk: n('2'), owner: s('ada'), placed: n('20'), total: n('1') },
    { pk: s('o1'), sk: n('1'), owner: s('ada'), placed: n('30'), total: n('5') },
  ]);
  const filtered = await select(`SELECT pk, total FROM "PqlIdx"."byOwner" WHERE owner = 'ada' AND placed >= 20 AND total > 2`);
  assert.deepEqual(filtered.Items, [{ pk: s('o1'), total: n('5') }]);
  const keysOnly = await select(`SELECT * FROM "PqlIdx"."ownerKeys" WHERE owner = 'grace'`);
  assert.deepEqual(keysOnly.Items, [{ pk: s('o3'), sk: n('1'), owner: s('grace') }]);
});

test('without the index partition key pinned, the whole (sparse) index is scanned', async () => {
  const out = await select(`SELECT pk, sk FROM "PqlIdx"."byOwner" WHERE total < 8`);
  assert.deepEqual(out.Items?.map((i) => `${i.pk?.S}/${i.sk?.N}`).sort(), ['o1/1', 'o2/1', 'o3/2']);
  const all = await select(`SELECT * FROM "PqlIdx"."ownerKeys"`);
  assert.equal(all.Items?.length, 4, 'the item without an owner is not in the index');
  assert.ok(all.Items?.every((i) => Object.keys(i).sort().join() === 'owner,pk,sk'));
});

test('an LSI: a Query of the table partition in index order', async () => {
  const out = await select(`SELECT * FROM "PqlIdx"."byPlaced" WHERE pk = 'o3'`);
  assert.deepEqual(out.Items, [
    { pk: s('o3'), sk: n('1'), placed: n('20') },
    { pk: s('o3'), sk: n('2'), placed: n('20') },
  ]);
  // A projection list on an LSI fetches attributes outside the index from the table, as a Query does.
  const fetched = await select(`SELECT note FROM "PqlIdx"."byPlaced" WHERE pk = 'o3'`);
  assert.deepEqual(fetched.Items, [{ note: s('z') }, { note: s('w') }]);
});

test('Limit and NextToken page through an index, a Query and a Scan alike', async () => {
  for (const statement of [`SELECT pk, sk FROM "PqlIdx"."byOwner" WHERE owner = 'ada'`, `SELECT pk, sk FROM "PqlIdx"."ownerKeys"`]) {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await select(statement, { Limit: 1, ...(token ? { NextToken: token } : {}) });
      seen.push(...(page.Items ?? []).map((i) => `${i.pk?.S}/${i.sk?.N}`));
      token = page.NextToken;
      pages++;
    } while (token && pages < 10);
    const all = await select(statement);
    assert.deepEqual(seen, all.Items?.map((i) => `${i.pk?.S}/${i.sk?.N}`), statement);
  }
});

test('what DynamoDB refuses on an index', async () => {
  await validation(select(`SELECT * FROM "PqlIdx"."nope"`), 'The table does not have the specified index: nope');
  await validation(select(`SELECT * FROM "PqlIdx"."byOwner" WHERE owner = 'ada'`, { ConsistentRead: true }), 'Consistent reads are not supported on global secondary indexes');
  // An LSI can be read consistently.
  assert.equal((await select(`SELECT * FROM "PqlIdx"."byPlaced" WHERE pk = 'o1'`, { ConsistentRead: true })).Items?.length, 1);
  const first = await select(`SELECT pk FROM "PqlIdx"."byOwner" WHERE owner = 'ada'`, { Limit: 1 });
  await validation(select(`SELECT pk FROM "PqlIdx"."byOwner" WHERE owner = 'grace'`, { NextToken: first.NextToken! }), 'NextToken does not match request');
});
