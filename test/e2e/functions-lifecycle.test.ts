import { execFile, spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { PORTICO_BIN, startPortico, type RunningPortico } from '../helpers/portico.js';
import { eventually, functionLogs, invokeJson, lambdaClient, payloadJson } from '../helpers/lambda.js';

const run = promisify(execFile);
let portico: RunningPortico;
let lambda: LambdaClient;
const invoke = (name: string, payload: unknown, type?: 'Event') => invokeJson(lambda, name, payload, { InvocationType: type });

before(async () => {
  portico = await startPortico('test/fixtures/apps/fn-core', ['--concurrency', '4', '--idle-timeout', '1']);
  lambda = lambdaClient(portico);
});

after(async () => {
  lambda.destroy();
  await portico.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));




function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('environment lifecycle', () => {
  test('an idle environment is reclaimed after --idle-timeout and the next invocation starts a new one', async () => {
    const first = payloadJson((await invoke('py-echo', {})).Payload);
    await sleep(2200);
    assert.equal(isAlive(first.pid as number), false);
    const second = payloadJson((await invoke('py-echo', {})).Payload);
    assert.notEqual(second.pid, first.pid);
    assert.equal(second.invocations, 1);
  });

  test('an environment killed with SIGKILL between invocations is replaced', async () => {
    const first = payloadJson((await invoke('py-echo', {})).Payload);
    process.kill(first.pid as number, 'SIGKILL');
    await sleep(100);
    const second = payloadJson((await invoke('py-echo', { after: 'kill' })).Payload);
    assert.notEqual(second.pid, first.pid);
    assert.deepEqual(second.event, { after: 'kill' });
  });

  test('the account concurrency limit, less reserved concurrency, throttles with ConcurrentInvocationLimitExceeded', async () => {
    // --concurrency 4 with py-reserved holding 1: three unreserved slots.
    const running = [1, 2, 3].map(() => invoke('py-sleep', { seconds: 0.5 }));
    await sleep(150);
    await assert.rejects(invoke('py-echo', {}), (error: { name: string; Reason?: string }) => {
      assert.equal(error.name, 'TooManyRequestsException');
      assert.equal(error.Reason, 'ConcurrentInvocationLimitExceeded');
      return true;
    });
    await Promise.all(running);
  });

  test('event invocations over the reserved concurrency wait in the queue and all run', async () => {
    const accepted = await Promise.all([1, 2, 3].map((n) => invoke('py-reserved', { seconds: 0.2, n }, 'Event')));
    assert.deepEqual(accepted.map((r) => r.StatusCode), [202, 202, 202]);
    await eventually(async () => ((await functionLogs(portico, 'py-reserved')).match(/^REPORT /gm)?.length === 3 ? true : undefined));
  });

  test('event invocations of a function with reserved concurrency 0 go to the failure path without running', async () => {
    const accepted = await invoke('py-disabled', {}, 'Event');
    assert.equal(accepted.StatusCode, 202);
    const log = await eventually(async () => {
      const text = await functionLogs(portico, 'py-disabled');
      return text.includes('failed for good') ? text : undefined;
    });
    assert.match(log, new RegExp(`Event invocation ${accepted.$metadata.requestId} failed for good: ReservedFunctionConcurrentInvocationLimitExceeded`));
    assert.doesNotMatch(log, /^START /m);
  });
});

describe('misbehaving functions', () => {
  test('a bootstrap that never polls the Runtime API times out', async () => {
    const out = await invoke('never-polls', {});
    assert.equal(out.FunctionError, 'Unhandled');
    assert.equal(payloadJson(out.Payload).errorType, 'Sandbox.Timedout');
  });

  test('a bootstrap that is not executable is Runtime.InvalidEntrypoint (permission denied)', async () => {
    const out = await invoke('not-executable', {});
    const error = payloadJson(out.Payload);
    assert.equal(error.errorType, 'Runtime.InvalidEntrypoint');
    assert.match(String(error.errorMessage), /^RequestId: \S+ Error: fork\/exec \S+\/notexec\/bootstrap: permission denied$/);
  });

  test('a function that writes megabytes to stdout completes and its log keeps every line', async () => {
    const out = await invoke('py-chatty', { kilobytes: 4096 });
    assert.equal(out.FunctionError, undefined);
    const log = await eventually(async () => {
      const text = await functionLogs(portico, 'py-chatty');
      return /^REPORT /m.test(text) ? text : undefined;
    });
    assert.equal(log.match(/^y{1023}$/gm)?.length, 4096);
  });
});

describe('portico logs', () => {
  test('prints the log group of a function named by its logical id', async () => {
    const out = await invoke('py-fail', {});
    const id = out.$metadata.requestId!;
    await eventually(async () => ((await functionLogs(portico, 'py-fail')).includes(`REPORT RequestId: ${id}`) ? true : undefined));
    const { stdout } = await run(process.execPath, [PORTICO_BIN, 'logs', 'PyFail', '--app-dir', 'test/fixtures/apps/fn-core', '--data-dir', portico.dataDir]);
    assert.match(stdout, new RegExp(`START RequestId: ${id} Version: \\$LATEST\\n`));
    assert.match(stdout, /\[ERROR\] CustomError: some error occurred\n/);
    assert.match(stdout, new RegExp(`REPORT RequestId: ${id}\\tDuration: `));
  });
});

describe('portico logs --follow', () => {
  test('keeps printing lines as new invocations write them', async () => {
    const follower = spawn(process.execPath, [PORTICO_BIN, 'logs', 'PyEcho', '--follow', '--app-dir', 'test/fixtures/apps/fn-core', '--data-dir', portico.dataDir]);
    let printed = '';
    follower.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    try {
      await sleep(300);
      const out = await invoke('py-echo', { follow: 'me' });
      const id = out.$metadata.requestId!;
      await eventually(async () => (printed.includes(`REPORT RequestId: ${id}`) ? true : undefined));
      assert.match(printed, new RegExp(`START RequestId: ${id} Version: \\$LATEST\n`));
      assert.match(printed, /echo \{"follow": "me"\}/);
    } finally {
      follower.kill();
    }
  });
});
