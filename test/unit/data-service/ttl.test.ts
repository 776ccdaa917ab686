// Time to Live: UpdateTimeToLive / DescribeTimeToLive through the SDK, template tables with TTL, and the sweeper
// run directly with an injected clock.
import { CreateTableCommand, DescribeTimeToLiveCommand, GetItemCommand, PutItemCommand, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TableSpec } from '../../../src/app/model.js';
import { ensureTables } from '../../../src/data/service/ensure-tables.js';
import { TtlSweeper } from '../../../src/data/service/ttl-sweeper.js';
import type { Storage } from '../../../src/data/storage/storage.js';
import { tableSpec, rejection, useDirectDataService, validation } from './harness.js';

let storage: Storage;
let client: DynamoDBClient;
useDirectDataService('portico-ttl-', (service) => ({ storage, client } = service));

async function createTable(name: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

const describeTtl = async (name: string) => (await client.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription;
const updateTtl = (name: string, Enabled: boolean, AttributeName = 'expires') =>
  client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled, AttributeName } }));

test('UpdateTimeToLive enables and disables TTL; DescribeTimeToLive reports it', async () => {
  await createTable('ttl-update');
  assert.deepEqual(await describeTtl('ttl-update'), { TimeToLiveStatus: 'DISABLED' });

  const enabled = await updateTtl('ttl-update', true);
  assert.deepEqual(enabled.TimeToLiveSpecification, { Enabled: true, AttributeName: 'expires' });
  assert.deepEqual(await describeTtl('ttl-update'), { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' });

  const disabled = await updateTtl('ttl-update', false);
  assert.deepEqual(disabled.TimeToLiveSpecification, { Enabled: false, AttributeName: 'expires' });
  assert.deepEqual(await describeTtl('ttl-update'), { TimeToLiveStatus: 'DISABLED' });

  // Re-enabling on another attribute is allowed once disabled.
  await updateTtl('ttl-update', true, 'deadline');
  assert.deepEqual(await describeTtl('ttl-update'), { TimeToLiveStatus: 'ENABLED', AttributeName: 'deadline' });
});

test('UpdateTimeToLive refuses to repeat the current state and unknown tables', async () => {
  await createTable('ttl-errors');
  await validation(updateTtl('ttl-errors', false), 'TimeToLive is already disabled');
  await updateTtl('ttl-errors', true);
  await validation(updateTtl('ttl-errors', true), 'TimeToLive is already enabled');
  await validation(updateTtl('ttl-errors', true, 'other'), 'TimeToLive is already enabled');
  await validation(updateTtl('ttl-errors', false, 'other'), 'TimeToLive is active on a different AttributeName: current AttributeName is expires');
  assert.deepEqual(await describeTtl('ttl-errors'), { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' }, 'unchanged by the refusals');

  for (const call of [updateTtl('ttl-missing', true), client.send(new DescribeTimeToLiveCommand({ TableName: 'ttl-missing' }))]) {
    const err = await rejection(call);
    assert.equal(err.name, 'ResourceNotFoundException');
    assert.equal(err.message, 'Requested resource not found: Table: ttl-missing not found');
  }
  await validation(
    client.send(new UpdateTimeToLiveCommand({ TableName: 'ttl-errors', TimeToLiveSpecification: { Enabled: true, AttributeName: '' } })),
    "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
});

test('the sweeper deletes expired items only: Number in the past, not more than five years ago', async () => {
  await createTable('ttl-sweep');
  await updateTtl('ttl-sweep', true);
  await createTable('ttl-off'); // TTL never enabled: its items stay whatever they hold.
  const now = new Date('2030-06-01T00:00:00Z');
  const nowSec = now.getTime() / 1000;
  const items: Record<string, Record<string, { S: string } | { N: string }>> = {
    expired: { pk: { S: 'expired' }, expires: { N: String(nowSec - 60) } },
    future: { pk: { S: 'future' }, expires: { N: String(nowSec + 3600) } },
    none: { pk: { S: 'none' } },
    string: { pk: { S: 'string' }, expires: { S: String(nowSec - 60) } },
    ancient: { pk: { S: 'ancient' }, expires: { N: String(nowSec - 6 * 365 * 24 * 3600) } },
  };
  for (const item of Object.values(items)) await client.send(new PutItemCommand({ TableName: 'ttl-sweep', Item: item }));
  await client.send(new PutItemCommand({ TableName: 'ttl-off', Item: items.expired! }));

  const present = async (table: string, pk: string) => (await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } } }))).Item !== undefined;
  assert.equal(await present('ttl-sweep', 'expired'), true, 'expired items still show up until swept');

  // A page of 2 examined items forces several pages over the 5 items.
  const sweeper = new TtlSweeper(storage, { now: () => now, pageExamined: 2 });
  assert.equal(await sweeper.sweep(), 1);
  assert.equal(await present('ttl-sweep', 'expired'), false, 'the expired item is deleted');
  for (const kept of ['future', 'none', 'string', 'ancient']) assert.equal(await present('ttl-sweep', kept), true, `${kept} is kept`);
  assert.equal(await present('ttl-off', 'expired'), true, 'a table without TTL is not swept');

  // Later, the future item expires too.
  const later = new TtlSweeper(storage, { now: () => new Date(now.getTime() + 2 * 3600_000) });
  assert.equal(await later.sweep(), 1);
  assert.equal(await present('ttl-sweep', 'future'), false);
  await sweeper.stop();
  await later.stop();
});

test('start/stop: the timer sweeps and stops', async () => {
  await createTable('ttl-timer');
  await updateTtl('ttl-timer', true);
  await client.send(new PutItemCommand({ TableName: 'ttl-timer', Item: { pk: { S: 'a' }, expires: { N: '1000' } } }));
  const sweeper = new TtlSweeper(storage, { intervalMs: 10, now: () => new Date(2000 * 1000) });
  sweeper.start();
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && (await client.send(new GetItemCommand({ TableName: 'ttl-timer', Key: { pk: { S: 'a' } } }))).Item) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await sweeper.stop();
  assert.equal((await client.send(new GetItemCommand({ TableName: 'ttl-timer', Key: { pk: { S: 'a' } } }))).Item, undefined);
});

test('template tables declaring TimeToLiveSpecification get TTL enabled at creation', async () => {
  const spec = (name: string, timeToLive: TableSpec['timeToLive']): TableSpec =>
    tableSpec(name, { logicalId: 'Sessions', type: 'AWS::DynamoDB::Table', timeToLive });
  const report = await ensureTables(storage, [spec('tpl-ttl', { attributeName: 'expiresAt', enabled: true }), spec('tpl-nottl', { attributeName: 'x', enabled: false })], 'us-east-1');
  assert.deepEqual(report.created, ['tpl-ttl', 'tpl-nottl']);
  assert.deepEqual(report.notices, []);
  assert.deepEqual(await describeTtl('tpl-ttl'), { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  assert.deepEqual(await describeTtl('tpl-nottl'), { TimeToLiveStatus: 'DISABLED' });
});
