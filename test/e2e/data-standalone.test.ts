import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import { awsEnv, PORTICO_BIN } from '../helpers/portico.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'portico-dynamodb-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** Starts `portico dynamodb` on a free port and resolves with its endpoint once it prints it. */
async function startDynamoDb(...extra: string[]): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, [PORTICO_BIN, 'dynamodb', '--port', '0', '--data-dir', dataDir, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let printed = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      const match = /DynamoDB endpoint (http:\/\/\S+)/.exec(printed);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`portico dynamodb exited with ${code}: ${printed}`)));
  });
  return { child, endpoint };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

async function aws(endpoint: string, ...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run('aws', ['dynamodb', ...args, '--output', 'json'], { env: { ...process.env, ...awsEnv(endpoint) } });
  return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
}

test('portico dynamodb serves the AWS CLI alone, like DynamoDB Local, and keeps its data across restarts', async () => {
  const first = await startDynamoDb();
  try {
    await aws(first.endpoint, 'create-table', '--table-name', 'notes', '--attribute-definitions', 'AttributeName=id,AttributeType=S',
      '--key-schema', 'AttributeName=id,KeyType=HASH', '--billing-mode', 'PAY_PER_REQUEST');
    await aws(first.endpoint, 'put-item', '--table-name', 'notes', '--item', '{"id":{"S":"1"},"text":{"S":"kept"}}');
  } finally {
    assert.equal(await stop(first.child), 0);
  }
  const second = await startDynamoDb();
  try {
    const got = await aws(second.endpoint, 'get-item', '--table-name', 'notes', '--key', '{"id":{"S":"1"}}');
    assert.deepEqual(got.Item, { id: { S: '1' }, text: { S: 'kept' } });
    const tables = await aws(second.endpoint, 'list-tables');
    assert.deepEqual(tables.TableNames, ['notes']);
  } finally {
    assert.equal(await stop(second.child), 0);
  }
});

test('--sync normal serves and keeps data across a clean restart; an unknown --sync mode is refused with the choices', async () => {
  const normal = await startDynamoDb('--sync', 'normal');
  try {
    await aws(normal.endpoint, 'put-item', '--table-name', 'notes', '--item', '{"id":{"S":"2"},"text":{"S":"normal"}}');
  } finally {
    assert.equal(await stop(normal.child), 0);
  }
  const full = await startDynamoDb();
  try {
    const got = await aws(full.endpoint, 'get-item', '--table-name', 'notes', '--key', '{"id":{"S":"2"}}');
    assert.deepEqual(got.Item, { id: { S: '2' }, text: { S: 'normal' } });
  } finally {
    assert.equal(await stop(full.child), 0);
  }
  const refused = await run(process.execPath, [PORTICO_BIN, 'dynamodb', '--sync', 'sometimes', '--data-dir', dataDir]).catch((error: { code: number; stderr: string }) => error);
  assert.ok('code' in refused && refused.code !== 0);
  assert.match((refused as { stderr: string }).stderr, /--sync <mode>' argument 'sometimes' is invalid\. Allowed choices are full, normal/);
});
