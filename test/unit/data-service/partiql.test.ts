// ExecuteStatement and BatchExecuteStatement driven by real clients: the AWS SDK v3 (low-level and lib-dynamodb) and
// boto3. Expected messages: DynamoDB Local's PartiQL messages and behaviour recorded against DynamoDB (see
// src/data/partiql/messages.ts).
import {
  BatchExecuteStatementCommand,
  CreateTableCommand,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  QueryCommand,
  type TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { readAllRecords } from '../../helpers/streams-client.js';
import { ExecuteStatementCommand as DocExecuteStatementCommand } from '@aws-sdk/lib-dynamodb';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasBoto3, rejection, run, useDataService, validation } from './harness.js';

const ddb = useDataService('portico-ddb-partiql-');
const { client, doc, createTable } = ddb;

const s = (S: string) => ({ S });
const n = (N: string) => ({ N });

test('INSERT, SELECT, UPDATE and DELETE with literals and ? parameters', async () => {
  await createTable('PqlItems', 'N');
  const db = client();
  await db.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "PqlItems" VALUE {'pk': 'a', 'sk': 1, 'tags': <<'x', 'y'>>, 'm': {'k': [1, 'two', TRUE, NULL]}}` }));
  await db.send(new ExecuteStatementCommand({ Statement: 'INSERT INTO PqlItems VALUE {\'pk\': ?, \'sk\': ?, \'v\': ?}', Parameters: [s('a'), n('2'), n('1.50')] }));
  await db.send(new ExecuteStatementCommand({ Statement: `insert into "PqlItems" value {'pk': 'b', 'sk': 1, 'v': 7} -- a comment` }));
  await db.send(new ExecuteStatementCommand({ Statement: 'INSERT INTO "PqlItems" VALUE ?', Parameters: [{ M: { pk: s('c'), sk: n('1') } }] }));
  await db.send(new ExecuteStatementCommand({ Statement: `DELETE FROM "PqlItems" WHERE pk = 'c' AND sk = 1;` }));

  const all = await db.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "PqlItems" WHERE pk = 'a'` }));
  assert.deepEqual(all.Items, [
    { pk: s('a'), sk: n('1'), tags: { SS: ['x', 'y'] }, m: { M: { k: { L: [n('1'), s('two'), { BOOL: true }, { NULL: true }] } } } },
    { pk: s('a'), sk: n('2'), v: n('1.5') },
  ]);
  const projected = await db.send(new ExecuteStatementCommand({ Statement: `SELECT sk, m.k[1] FROM "PqlItems" WHERE pk = ? AND sk BETWEEN 1 AND 1`, Parameters: [s('a')] }));
  assert.deepEqual(projected.Items, [{ sk: n('1'), m: { M: { k: { L: [s('two')] } } } }]);
  const filtered = await db.send(
    new ExecuteStatementCommand({ Statement: `SELECT pk, sk FROM "PqlItems" WHERE (v > 1 OR begins_with(pk, 'b')) AND v IS NOT MISSING AND sk IN (1, 2, 3)` }),
  );
  assert.deepEqual(
    filtered.Items?.map((i) => `${i.pk?.S}${i.sk?.N}`).sort(),
    ['a2', 'b1'],
  );
  const missing = await db.send(new ExecuteStatementCommand({ Statement: `SELECT pk FROM "PqlItems" WHERE v IS MISSING AND contains(tags, 'y')` }));
  assert.deepEqual(missing.Items, [{ pk: s('a') }]);

  const updated = await db.send(
    new ExecuteStatementCommand({ Statement: `UPDATE "PqlItems" SET v = v + 1 SET tags = set_add(tags, <<'z'>>) REMOVE nope WHERE pk = 'b' AND sk = 1 RETURNING ALL NEW *` }),
  );
  assert.deepEqual(updated.Items, [{ pk: s('b'), sk: n('1'), v: n('8'), tags: { SS: ['z'] } }]);
  const modified = await db.send(new ExecuteStatementCommand({ Statement: `UPDATE "PqlItems" SET v = 9 WHERE pk = 'b' AND sk = 1 RETURNING MODIFIED OLD *` }));
  assert.deepEqual(modified.Items, [{ v: n('8') }]);
  const plain = await db.send(new ExecuteStatementCommand({ Statement: `UPDATE "PqlItems" SET w = 'x' WHERE pk = 'b' AND sk = 1` }));
  assert.deepEqual(plain.Items, []);

  const deleted = await db.send(new ExecuteStatementCommand({ Statement: `DELETE FROM "PqlItems" WHERE pk = 'b' AND sk = 1 RETURNING ALL OLD *` }));
  assert.equal(deleted.Items?.[0]?.w?.S, 'x');
  assert.equal((await db.send(new GetItemCommand({ TableName: 'PqlItems', Key: { pk: s('b'), sk: n('1') } }))).Item, undefined);
  // Deleting a missing item is no error.
  assert.deepEqual((await db.send(new ExecuteStatementCommand({ Statement: `DELETE FROM "PqlItems" WHERE pk = 'b' AND sk = 1` }))).Items, []);
});

test('literals: quotes, negative and exponent numbers, comments, quoted names, nested paths, IS and NOT', async () => {
  await createTable('PqlLit');
  const db = client();
  await db.send(
    new ExecuteStatementCommand({
      Statement: `/* lead */ INSERT INTO "PqlLit" VALUE {'pk': 'it''s', 'neg': -2.50, 'exp': 1.5e3, "odd name": {'inner': ['x', <<3, 1>>]}, 'nil': NULL}`,
    }),
  );
  const out = await db.send(
    new ExecuteStatementCommand({
      Statement: `SELECT "odd name".inner[1], neg FROM PqlLit WHERE pk = 'it''s' AND neg != 0 AND NOT exp < 1000 AND nil IS NULL AND "odd name" IS STRUCT AND gone IS MISSING`,
    }),
  );
  assert.deepEqual(out.Items, [{ 'odd name': { M: { inner: { L: [{ NS: ['3', '1'] }] } } }, neg: n('-2.5') }]);
  const none = await db.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM PqlLit WHERE neg NOT BETWEEN -3 AND 0 OR exp NOT IN [1500]` }));
  assert.deepEqual(none.Items, []);
});

test('INSERT of an existing key, UPDATE of a missing item and failing WHERE conditions', async () => {
  await createTable('PqlCond');
  const db = client();
  await db.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "PqlCond" VALUE {'pk': 'k', 'v': 1}` }));
  const dup = await rejection(db.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "PqlCond" VALUE {'pk': 'k'}` })));
  assert.equal(dup.name, 'DuplicateItemException');
  assert.equal(dup.message, 'Duplicate primary key exists in table');

  const absent = await rejection(db.send(new ExecuteStatementCommand({ Statement: `UPDATE "PqlCond" SET v = 2 WHERE pk = 'nope'` })));
  assert.equal(absent.name, 'ConditionalCheckFailedException');
  assert.equal((await db.send(new GetItemCommand({ TableName: 'PqlCond', Key: { pk: s('nope') } }))).Item, undefined);

  const failed = await rejection(
    db.send(new ExecuteStatementCommand({ Statement: `DELETE FROM "PqlCond" WHERE pk = 'k' AND v = 2`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
  );
  assert.equal(failed.name, 'ConditionalCheckFailedException');
  assert.deepEqual(failed.Item, { pk: s('k'), v: n('1') });
});

test('statement errors: DynamoDB messages', async () => {
  await createTable('PqlErr', 'S');
  const db = client();
  const exec = (Statement: string, Parameters?: { S: string }[]) => db.send(new ExecuteStatementCommand({ Statement, ...(Parameters ? { Parameters } : {}) }));
  await validation(exec(`EXPLAIN SELECT * FROM "PqlErr"`), "Statement wasn't well formed, can't be processed: Expected data manipulation");
  await validation(exec(`SELECT * FROM "PqlErr" WHERE pk = ? AND sk = ?`, [s('a')]), "Number of parameters in request and statement don't match.");
  await validation(exec(`UPDATE "PqlErr" SET v = 1 WHERE pk = 'a'`), 'Where clause does not contain a mandatory equality on all key attributes');
  await validation(exec(`DELETE FROM "PqlErr" WHERE pk = 'a' OR sk = 'b'`), 'Where clause does not contain a mandatory equality on all key attributes');
  await validation(exec(`UPDATE "PqlErr" SET v = 1 WHERE pk = 1 AND sk = 'b'`), "Key attribute's data type should match its data type in table's schema: Key pk");
  await validation(exec(`INSERT INTO "PqlErr" VALUE {'pk': 'a'}`), 'Key attribute should be present in the item: Key sk');
  await validation(exec(`INSERT INTO "PqlErr" VALUE {'pk': 'a', 'sk': 'b', 's': <<>>}`), 'Empty bags are not supported');
  await validation(exec(`INSERT INTO "PqlErr" VALUE {'pk': 'a', 'sk': 'b', 's': <<1, 'x'>>}`), 'Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags');
  await validation(
    db.send(new ExecuteStatementCommand({ Statement: 'INSERT INTO "PqlErr" VALUE ?', Parameters: [s('x')] })),
    'Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.',
  );
  await validation(exec(`SELECT *, pk FROM "PqlErr"`), "Other attributes should not be present in the projection when '*' is used.");
  await validation(exec(`SELECT * FROM "PqlErr" WHERE v = MISSING`), 'MISSING must be compared using IS operator');
  await validation(exec(`SELECT * FROM "PqlErr" WHERE frobnicate(v)`), 'Unrecognized function: frobnicate');
  await validation(exec(`DELETE FROM "PqlErr" WHERE pk = 'a' AND sk = 'b' RETURNING ALL NEW *`), 'Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements.');
  await validation(exec(`UPDATE "PqlErr" SET pk = 'z' WHERE pk = 'a' AND sk = 'b'`), 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key');
  await validation(exec(`SELECT * FROM`), "Statement wasn't well formed, can't be processed: SELECT * FROM");
  await validation(exec(`SELECT * FROM "PqlErr" WHERE v = 'unterminated`), `Statement wasn't well formed, can't be processed: SELECT * FROM "PqlErr" WHERE v = 'unterminated`);
  const deep = `SELECT * FROM "PqlErr" WHERE ${'('.repeat(500)}v = 1${')'.repeat(500)}`;
  await validation(exec(deep), `Statement wasn't well formed, can't be processed: ${deep}`);
  // Malformed input of every kind is a ValidationException, never a crash or a hang.
  const garbage = ["'", '"', '/*', 'SELECT', 'SELECT * FROM "PqlErr" WHERE a IN ()', 'UPDATE "PqlErr"', 'INSERT INTO "PqlErr" VALUE', 'DELETE', '?', '<<', '{', '[',
    'SELECT * FROM "PqlErr" WHERE NOT', 'SELECT * FROM "PqlErr" WHERE a = {\'k\': ', 'INSERT INTO "PqlErr" VALUE {\'pk\': <<?>>}', 'SELECT * FROM "PqlErr"."i"."j"', '\u00e9\u0000'];
  for (const statement of garbage) assert.equal((await rejection(exec(statement))).name, 'ValidationException', statement);
  const unknown = await rejection(exec(`SELECT * FROM "NoSuchPqlTable"`));
  assert.equal(unknown.name, 'ResourceNotFoundException');
  await validation(
    db.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "PqlErr"`, Limit: 0 })),
    "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
  await validation(db.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "PqlErr"`, NextToken: 'garbage' })), 'Invalid NextToken');
});

test('SELECT pages with Limit and NextToken, over a Scan and a Query; tokens are bound to the statement', async () => {
  await createTable('PqlPages', 'N');
  const db = client();
  for (let i = 0; i < 7; i++) {
    await db.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "PqlPages" VALUE {'pk': ?, 'sk': ?, 'odd': ?}`, Parameters: [s(i < 5 ? 'p' : 'q'), n(String(i)), { BOOL: i % 2 === 1 }] }));
  }
  const collect = async (Statement: string, Limit: number) => {
    const pages: string[][] = [];
    let NextToken: string | undefined;
    do {
      const page = await db.send(new ExecuteStatementCommand({ Statement, Limit, ...(NextToken ? { NextToken } : {}) }));
      pages.push((page.Items ?? []).map((i) => `${i.pk?.S}${i.sk?.N}`));
      NextToken = page.NextToken;
    } while (NextToken);
    return pages;
  };
  assert.deepEqual(await collect(`SELECT * FROM "PqlPages" WHERE pk = 'p'`, 2), [['p0', 'p1'], ['p2', 'p3'], ['p4']]);
  // A page of exactly Limit items carries a token; the next one is then empty, as on DynamoDB.
  assert.deepEqual(await collect(`SELECT * FROM "PqlPages" WHERE pk = 'p'`, 5), [['p0', 'p1', 'p2', 'p3', 'p4'], []]);
  const filtered = await collect(`SELECT * FROM "PqlPages" WHERE pk = 'p' AND odd = true`, 2);
  assert.deepEqual(filtered.flat(), ['p1', 'p3']);
  assert.deepEqual((await collect(`SELECT * FROM "PqlPages"`, 3)).flat().sort(), ['p0', 'p1', 'p2', 'p3', 'p4', 'q5', 'q6']);

  const first = await db.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "PqlPages" WHERE pk = 'p'`, Limit: 1 }));
  await validation(db.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "PqlPages" WHERE pk = 'q'`, Limit: 1, NextToken: first.NextToken })), 'NextToken does not match request');
});

test('lib-dynamodb ExecuteStatementCommand marshalls parameters and items', async () => {
  await createTable('PqlDoc');
  const d = doc();
  await d.send(new DocExecuteStatementCommand({ Statement: `INSERT INTO "PqlDoc" VALUE {'pk': ?, 'n': ?, 'list': ?, 'map': ?}`, Parameters: ['doc', 42, [1, 'a'], { nested: true }] }));
  const out = await d.send(new DocExecuteStatementCommand({ Statement: `SELECT * FROM "PqlDoc" WHERE pk = ?`, Parameters: ['doc'] }));
  assert.deepEqual(out.Items, [{ pk: 'doc', n: 42, list: [1, 'a'], map: { nested: true } }]);
});

test('BatchExecuteStatement: per-statement results and errors, all reads or all writes', async () => {
  await createTable('PqlBatch');
  const db = client();
  const writes = await db.send(
    new BatchExecuteStatementCommand({
      Statements: [
        { Statement: `INSERT INTO "PqlBatch" VALUE {'pk': 'a', 'v': 1}` },
        { Statement: `INSERT INTO "PqlBatch" VALUE {'pk': ?, 'v': 2}`, Parameters: [s('b')] },
        { Statement: `INSERT INTO "PqlBatch" VALUE {'pk': 'a'}` },
        { Statement: `UPDATE "PqlBatch" SET v = 5 WHERE pk = 'b' AND v = 99`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
        { Statement: `UPDATE "PqlBatch" SET v = 5 WHERE v = 1` },
        { Statement: `FROB` },
      ],
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
  assert.deepEqual(writes.ConsumedCapacity, [{ TableName: 'PqlBatch', CapacityUnits: 2 }]);
  assert.deepEqual(writes.Responses, [
    { TableName: 'PqlBatch' },
    { TableName: 'PqlBatch' },
    { TableName: 'PqlBatch', Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } },
    { TableName: 'PqlBatch', Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: s('b'), v: n('2') } } },
    { Error: { Code: 'ValidationError', Message: 'Where clause does not contain a mandatory equality on all key attributes' } },
    { Error: { Code: 'ValidationError', Message: "Statement wasn't well formed, can't be processed: Expected data manipulation" } },
  ]);
  const reads = await db.send(
    new BatchExecuteStatementCommand({
      Statements: [
        { Statement: `SELECT v FROM "PqlBatch" WHERE pk = 'a'` },
        { Statement: `SELECT * FROM "PqlBatch" WHERE pk = 'zzz'` },
        { Statement: `SELECT * FROM "PqlBatch" WHERE v = 1` },
      ],
    }),
  );
  assert.deepEqual(reads.Responses, [
    { TableName: 'PqlBatch', Item: { v: n('1') } },
    { TableName: 'PqlBatch' },
    { Error: { Code: 'ValidationError', Message: 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.' } },
  ]);
  await validation(
    db.send(new BatchExecuteStatementCommand({ Statements: [{ Statement: `SELECT * FROM "PqlBatch" WHERE pk = 'a'` }, { Statement: `DELETE FROM "PqlBatch" WHERE pk = 'a'` }] })),
    'Read and write requests together in the same batch is not supported.',
  );
  const many = Array.from({ length: 26 }, (_, i) => ({ Statement: `SELECT * FROM "PqlBatch" WHERE pk = '${i}'` }));
  const tooMany = await rejection(db.send(new BatchExecuteStatementCommand({ Statements: many })));
  assert.equal(tooMany.name, 'ValidationException');
  assert.match(tooMany.message, /^1 validation error detected: Value '.*' at 'statements' failed to satisfy constraint: Member must have length less than or equal to 25$/);
});

test('ExecuteTransaction: writes all or nothing with cancellation reasons in order; reads by key', async () => {
  await createTable('PqlTx');
  const db = client();
  await db.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "PqlTx" VALUE {'pk': 'old', 'v': 1}` }));
  const done = await db.send(
    new ExecuteTransactionCommand({
      TransactStatements: [
        { Statement: `INSERT INTO "PqlTx" VALUE {'pk': ?, 'v': 1}`, Parameters: [s('t1')] },
        { Statement: `UPDATE "PqlTx" SET v = v + 1 WHERE pk = 'old' AND v = 1` },
      ],
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
  // Transactional writes cost two units each.
  assert.deepEqual(done.ConsumedCapacity, [{ TableName: 'PqlTx', CapacityUnits: 4 }]);
  const cancelled = (await rejection(
    db.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `INSERT INTO "PqlTx" VALUE {'pk': 't2'}` },
          { Statement: `UPDATE "PqlTx" SET v = 9 WHERE pk = 'old' AND v = 1`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
          { Statement: `INSERT INTO "PqlTx" VALUE {'pk': 't1'}` },
          { Statement: `DELETE FROM "PqlTx" WHERE pk = 'missing'` },
        ],
      }),
    ),
  )) as unknown as TransactionCanceledException;
  assert.equal(cancelled.name, 'TransactionCanceledException');
  assert.deepEqual(cancelled.CancellationReasons, [
    { Code: 'None' },
    { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: s('old'), v: n('2') } },
    { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' },
    { Code: 'None' },
  ]);
  assert.equal((await db.send(new GetItemCommand({ TableName: 'PqlTx', Key: { pk: s('t2') } }))).Item, undefined);

  // The same ClientRequestToken and statements run once; other statements with it are refused.
  const once = { TransactStatements: [{ Statement: `UPDATE "PqlTx" SET v = v + 1 WHERE pk = 'old'` }], ClientRequestToken: 'pql-token-1' };
  await db.send(new ExecuteTransactionCommand(once));
  await db.send(new ExecuteTransactionCommand(once));
  const mismatch = await rejection(db.send(new ExecuteTransactionCommand({ ...once, TransactStatements: [{ Statement: `DELETE FROM "PqlTx" WHERE pk = 'old'` }] })));
  assert.equal(mismatch.name, 'IdempotentParameterMismatchException');
  await db.send(new ExecuteStatementCommand({ Statement: `UPDATE "PqlTx" SET v = v - 1 WHERE pk = 'old'` }));

  const reads = await db.send(
    new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `SELECT v FROM "PqlTx" WHERE pk = 'old'` }, { Statement: `SELECT * FROM "PqlTx" WHERE pk = 'nope'` }] }),
  );
  assert.deepEqual(reads.Responses, [{ Item: { v: n('2') } }, {}]);
  await validation(
    db.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `SELECT * FROM "PqlTx" WHERE pk = 'old'` }, { Statement: `DELETE FROM "PqlTx" WHERE pk = 'x'` }] })),
    'ExecuteTransaction API does not support both read and write operations in the same request.',
  );
  await validation(
    db.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `SELECT * FROM "PqlTx" WHERE v = 2` }] })),
    'Select statements within ExecuteTransaction must specify the primary key in the where clause.',
  );
  await validation(
    db.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `DELETE FROM "PqlTx" WHERE pk = 'x'` }, { Statement: `UPDATE "PqlTx" SET a = 1 WHERE pk = 'x'` }] })),
    'Transaction request cannot include multiple operations on one item',
  );
});

test('boto3: execute_statement with parameters, pagination and a DuplicateItemException', { skip: !hasBoto3 && 'boto3 not installed' }, async () => {
  const script = `
import boto3, json, sys
from botocore.config import Config
c = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test', config=Config(retries={'max_attempts': 1}))
c.create_table(TableName='PqlBoto', AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'}, {'AttributeName': 'sk', 'AttributeType': 'N'}], KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'}, {'AttributeName': 'sk', 'KeyType': 'RANGE'}], BillingMode='PAY_PER_REQUEST')
for i in range(5):
    c.execute_statement(Statement='INSERT INTO "PqlBoto" VALUE {\\'pk\\': ?, \\'sk\\': ?}', Parameters=[{'S': 'p'}, {'N': str(i)}])
seen, kw = [], {}
while True:
    page = c.execute_statement(Statement='SELECT sk FROM "PqlBoto" WHERE pk = ?', Parameters=[{'S': 'p'}], Limit=2, **kw)
    seen += [int(i['sk']['N']) for i in page['Items']]
    if 'NextToken' not in page: break
    kw = {'NextToken': page['NextToken']}
try:
    c.execute_statement(Statement='INSERT INTO "PqlBoto" VALUE {\\'pk\\': \\'p\\', \\'sk\\': 0}')
    err = None
except c.exceptions.DuplicateItemException as e:
    err = [e.response['Error']['Code'], e.response['Error']['Message']]
print(json.dumps({'seen': seen, 'err': err}))
`;
  const { stdout } = await run('python3', ['-c', script, ddb.url], {
    env: { ...process.env, AWS_CONFIG_FILE: '/nonexistent/portico', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/portico' },
  });
  assert.deepEqual(JSON.parse(stdout), { seen: [0, 1, 2, 3, 4], err: ['DuplicateItemException', 'Duplicate primary key exists in table'] });
});

test('PartiQL writes keep secondary indexes and reach the table stream like the item operations', async () => {
  const db = client();
  await db.send(
    new CreateTableCommand({
      TableName: 'PqlIndexed',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'owner', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byOwner', KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  await db.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "PqlIndexed" VALUE {'pk': 'a', 'owner': 'ada'}` }));
  await db.send(new ExecuteStatementCommand({ Statement: `UPDATE "PqlIndexed" SET owner = 'grace' WHERE pk = 'a'` }));
  const byOwner = (owner: string) =>
    db.send(new QueryCommand({ TableName: 'PqlIndexed', IndexName: 'byOwner', KeyConditionExpression: '#o = :o', ExpressionAttributeNames: { '#o': 'owner' }, ExpressionAttributeValues: { ':o': s(owner) } }));
  assert.deepEqual((await byOwner('ada')).Items, []);
  assert.deepEqual((await byOwner('grace')).Items, [{ pk: s('a'), owner: s('grace') }]);
  const wrongType = await rejection(db.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "PqlIndexed" VALUE {'pk': 'b', 'owner': 5}` })));
  assert.match(wrongType.message, /Type mismatch for Index Key owner Expected: S Actual: N IndexName: byOwner/);
  await db.send(new ExecuteStatementCommand({ Statement: `DELETE FROM "PqlIndexed" WHERE pk = 'a'` }));
  assert.deepEqual((await byOwner('grace')).Items, []);
  const records = await readAllRecords(ddb.url, 'PqlIndexed');
  assert.deepEqual(
    records.map((r) => r.eventName),
    ['INSERT', 'MODIFY', 'REMOVE'],
  );
});
