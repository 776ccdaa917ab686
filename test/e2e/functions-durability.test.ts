import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, functionLogs, invokeJson, lambdaClient } from '../helpers/lambda.js';
import { startPortico } from '../helpers/portico.js';

const dataDir = mkdtempSync(join(tmpdir(), 'portico-durable-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('an event invocation acknowledged with 202 survives kill -9 of Portico and runs after the restart', async () => {
  // --concurrency 2 leaves one unreserved slot (py-reserved holds the other): a sleeping py-sleep takes it, so the
  // event for py-recorder has to wait in the queue.
  const first = await startPortico('test/fixtures/apps/fn-core', ['--concurrency', '2'], {}, dataDir);
  const lambda = lambdaClient(first);
  const busy = invokeJson(lambda, 'py-sleep', { seconds: 5 }).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const accepted = await invokeJson(lambda, 'py-recorder', { marker: 'survivor' }, { InvocationType: 'Event' });
  assert.equal(accepted.StatusCode, 202);
  const environments = childPids(first.process.pid!);
  assert.ok(environments.length >= 2, 'environments and stem cells are running');
  first.process.kill('SIGKILL');
  await new Promise((resolve) => first.process.once('exit', resolve));
  // The kernel ends every environment with Portico (parent-death signal), even when Portico itself is SIGKILLed.
  await eventually(async () => (environments.every((pid) => !isAlive(pid)) ? true : undefined), 5000);
  lambda.destroy();
  await busy;
  assert.doesNotMatch(await functionLogs(first, 'py-recorder'), /survivor/);

  const second = await startPortico('test/fixtures/apps/fn-core', [], {}, dataDir);
  try {
    const log = await eventually(async () => {
      const text = await functionLogs(second, 'py-recorder');
      return text.includes('recorded {"marker": "survivor"}') ? text : undefined;
    });
    assert.match(log, new RegExp(`END RequestId: ${accepted.$metadata.requestId}\\n`));
  } finally {
    await second.stop();
  }
});

function childPids(pid: number): number[] {
  const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  return out.split('\n').map((line) => Number(line.trim())).filter((n) => n > 0);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
