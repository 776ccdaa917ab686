import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FunctionSpec } from '../../../src/app/model.js';
import { EnvironmentFactory } from '../../../src/functions/environment-factory.js';
import type { StemCellPool } from '../../../src/functions/stem-cells.js';
import type { LogStore } from '../../../src/observability/log-store.js';

const servers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap').length;

test('an environment whose temporary folder cannot be made leaves no port listening and no rejection behind', async () => {
  const root = await mkdtemp(join(tmpdir(), 'portico-factory-'));
  const notADir = join(root, 'file');
  await writeFile(notADir, '');
  const noCells = {} as StemCellPool;
  const factory = new EnvironmentFactory({
    platform: { region: 'us-east-1', awsEndpointUrl: 'http://127.0.0.1:1', runtimeDir: root, credentialsFor: () => ({ accessKeyId: 'a', secretAccessKey: 's' }) },
    stemCells: { node: noCells, python: noCells },
    logs: { write: () => undefined } as unknown as LogStore,
    tmpRoot: notADir,
    transport: 'pipe',
  });
  const fn = { name: 'fn', family: 'provided', runtime: 'provided.al2023', codeDir: root, environment: {}, timeout: 3, memorySize: 128 } as unknown as FunctionSpec;
  const before = servers();
  try {
    await assert.rejects(factory.create(fn, 'r1'), { code: 'ENOTDIR' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(servers(), before);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
