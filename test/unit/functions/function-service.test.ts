import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FunctionSpec } from '../../../src/app/model.js';
import { FunctionService } from '../../../src/functions/function-service.js';
import type { StemCellPool } from '../../../src/functions/stem-cells.js';
import { LogStore } from '../../../src/observability/log-store.js';

/** A custom runtime that takes its first invocation and never answers it. */
const BOOTSTRAP = `#!${process.execPath}
fetch('http://' + process.env.AWS_LAMBDA_RUNTIME_API + '/2018-06-01/runtime/invocation/next').then(() => setInterval(() => {}, 1e9));
`;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('close() also kills the environments of a deployment that was replaced while they were busy', { timeout: 20_000 }, async () => {
  const root = await mkdtemp(join(tmpdir(), 'portico-service-'));
  const codeDir = join(root, 'code');
  await mkdir(codeDir);
  await writeFile(join(codeDir, 'bootstrap'), BOOTSTRAP);
  await chmod(join(codeDir, 'bootstrap'), 0o755);
  const fn: FunctionSpec = {
    logicalId: 'Slow', name: 'slow', runtime: 'provided.al2023', family: 'provided', handler: undefined, codeDir,
    timeout: 60, memorySize: 128, reservedConcurrency: undefined, environment: {}, architectures: [], description: '',
    arn: 'arn:aws:lambda:us-east-1:123456789012:function:slow',
  };
  const noCells = { close: () => undefined } as unknown as StemCellPool;
  const logs = new LogStore(join(root, 'logs'));
  const service = new FunctionService(
    {
      platform: { region: 'us-east-1', awsEndpointUrl: 'http://127.0.0.1:1', runtimeDir: root, credentialsFor: () => ({ accessKeyId: 'a', secretAccessKey: 's' }) },
      stemCells: { node: noCells, python: noCells },
      logs,
      tmpRoot: join(root, 'tmp'),
      transport: 'pipe',
      accountConcurrency: 10,
      idleTimeoutMs: 60_000,
    },
    logs,
  );
  try {
    service.deploy([fn]);
    const running = service.invoke(fn, '{}');
    let pids: number[] = [];
    while (pids.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      pids = service.pids('slow');
    }
    service.deploy([]);
    service.close();
    const result = await running;
    assert.equal(result.kind, 'error');
    assert.match(result.payload, /Runtime\.ExitError/);
    assert.equal(isRunning(pids[0]!), false);
  } finally {
    service.close();
    await logs.close();
    await rm(root, { recursive: true, force: true });
  }
});
