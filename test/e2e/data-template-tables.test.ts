// Tables declared in the template exist when `portico up` is ready, Ref/GetAtt name them, a function reaches them
// through the SDK's default configuration (AWS_ENDPOINT_URL), and their items survive a restart on the same data dir.
import { DescribeTableCommand, DynamoDBClient, GetItemCommand, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { physicalName } from '../../src/app/sam/naming.js';
import { startPortico, type RunningPortico } from '../helpers/portico.js';

const APP = 'test/fixtures/apps/data-tables';
const NOTES_TABLE = physicalName('data-tables', 'NotesTable', 255);
const EVENTS_TABLE = 'data-tables-events';

const dataDir = mkdtempSync(join(tmpdir(), 'portico-tables-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function dynamo(portico: RunningPortico): DynamoDBClient {
  return new DynamoDBClient({ endpoint: portico.awsEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
}

interface NoteResponse {
  item: { id: string; text: string; n: number } | null;
  tableName: string;
  tableArn: string;
  eventsStreamArn: string;
}

async function call(portico: RunningPortico, method: 'GET' | 'POST', id: string, body?: string): Promise<{ status: number; json: NoteResponse }> {
  const res = await fetch(`${portico.gateway}/notes/${id}`, { method, body, headers: body ? { 'content-type': 'text/plain' } : {} });
  const text = await res.text();
  try {
    return { status: res.status, json: JSON.parse(text) as NoteResponse };
  } catch {
    assert.fail(`not JSON (${res.status}): ${text}`);
  }
}

test('template tables are created at start, used by a function, and kept with their data across a restart', async () => {
  const first = await startPortico(APP, [], {}, dataDir);
  let client = dynamo(first);
  try {
    assert.match(first.output(), new RegExp(`Tables .*${NOTES_TABLE} \\(created\\)`));

    const notes = (await client.send(new DescribeTableCommand({ TableName: NOTES_TABLE }))).Table!;
    assert.equal(notes.TableStatus, 'ACTIVE');
    assert.deepEqual(notes.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }]);
    assert.deepEqual(notes.AttributeDefinitions, [{ AttributeName: 'id', AttributeType: 'S' }]);
    assert.equal(notes.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');

    const events = (await client.send(new DescribeTableCommand({ TableName: EVENTS_TABLE }))).Table!;
    assert.deepEqual(events.KeySchema, [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'at', KeyType: 'RANGE' },
    ]);
    assert.deepEqual(events.AttributeDefinitions, [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'at', AttributeType: 'N' },
      { AttributeName: 'kind', AttributeType: 'S' },
    ]);
    assert.equal(events.GlobalSecondaryIndexes![0]!.IndexName, 'byKind');
    assert.equal(events.GlobalSecondaryIndexes![0]!.IndexStatus, 'ACTIVE');
    const tags = await client.send(new ListTagsOfResourceCommand({ ResourceArn: events.TableArn! }));
    assert.deepEqual(tags.Tags, [{ Key: 'app', Value: 'data-tables' }]);

    const missing = await call(first, 'GET', 'n1');
    assert.equal(missing.status, 404, JSON.stringify(missing.json));
    assert.equal(missing.json.item, null);

    const put = await call(first, 'POST', 'n1', 'hello tables');
    assert.equal(put.status, 200, JSON.stringify(put.json));
    assert.deepEqual(put.json.item, { id: 'n1', text: 'hello tables', n: 42 });
    // Ref and GetAtt resolve to the table that exists.
    assert.equal(put.json.tableName, NOTES_TABLE);
    assert.equal(put.json.tableArn, notes.TableArn);
    assert.equal(put.json.eventsStreamArn.startsWith(`${events.TableArn}/stream/`), true, put.json.eventsStreamArn);

    // The function wrote to the table the test sees, not to some other store.
    const stored = await client.send(new GetItemCommand({ TableName: NOTES_TABLE, Key: { id: { S: 'n1' } }, ConsistentRead: true }));
    assert.deepEqual(stored.Item, { id: { S: 'n1' }, text: { S: 'hello tables' }, n: { N: '42' } });
  } finally {
    client.destroy();
    await first.stop();
  }

  const second = await startPortico(APP, [], {}, dataDir);
  client = dynamo(second);
  try {
    assert.match(second.output(), new RegExp(`Tables .*${NOTES_TABLE} \\(kept\\)`));
    assert.doesNotMatch(second.output(), /\(created\)/);
    const again = await call(second, 'GET', 'n1');
    assert.equal(again.status, 200, JSON.stringify(again.json));
    assert.deepEqual(again.json.item, { id: 'n1', text: 'hello tables', n: 42 });
    const events = (await client.send(new DescribeTableCommand({ TableName: EVENTS_TABLE }))).Table!;
    assert.equal(events.TableName, EVENTS_TABLE);
  } finally {
    client.destroy();
    await second.stop();
  }
});
