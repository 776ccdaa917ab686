import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FunctionSpec } from '../../../src/app/model.js';
import { EventQueue } from '../../../src/functions/event-queue.js';
import type { FunctionInvocation, FunctionService } from '../../../src/functions/function-service.js';

test('an event whose invocation fails after close() is neither retried nor reported failed for good', async () => {
  const runs: Array<(error: Error) => void> = [];
  const functions = {
    onSlotReleased: () => undefined,
    isDisabled: () => false,
    tryInvoke: () => new Promise<FunctionInvocation>((_resolve, reject) => runs.push(reject)),
  } as unknown as FunctionService;
  const failures: string[] = [];
  const queue = new EventQueue(functions, { retryDelaysMs: [0, 0], onFailure: (_fn, requestId) => failures.push(requestId) });
  await queue.enqueue({ name: 'fn' } as FunctionSpec, '{}', {}, 'r1');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(runs.length, 1);
  queue.close();
  runs[0]!(new Error('the function service is closing'));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(runs.length, 1);
  assert.deepEqual(failures, []);
  assert.equal(queue.depth, 0);
});
