import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FunctionSpec } from '../../../src/app/model.js';
import type { Environment } from '../../../src/functions/environment.js';
import type { EnvironmentFactory } from '../../../src/functions/environment-factory.js';
import { FunctionPool } from '../../../src/functions/function-pool.js';

const fn = { name: 'fn', family: 'provided', codeDir: '/nowhere' } as unknown as FunctionSpec;

function fakeEnvironment(state: Environment['state'] = 'idle') {
  const deathListeners: Array<() => void> = [];
  const environment = {
    state,
    pid: 1,
    lastUsed: Date.now(),
    kills: 0,
    kill() {
      this.kills++;
      if (this.state === 'dead') return;
      this.state = 'dead';
      for (const listener of deathListeners.splice(0)) listener();
    },
    onDeath(listener: () => void) {
      if (this.state === 'dead') listener();
      else deathListeners.push(listener);
    },
  };
  return environment;
}

/** A factory whose environments are handed out by the test, one per `create` call. */
function controlledFactory() {
  const starts: Array<(environment: Environment) => void> = [];
  const factory = {
    create: () => new Promise<Environment>((resolve) => starts.push(resolve)),
  } as unknown as EnvironmentFactory;
  return { factory, starts };
}

test('killAll refuses the invocations waiting for an environment, and kills one that finishes starting later', async () => {
  const { factory, starts } = controlledFactory();
  const pool = new FunctionPool(fn, factory);
  const waiting = pool.acquire('r1');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(starts.length, 1);
  pool.killAll();
  await assert.rejects(waiting, /closing/);
  await assert.rejects(pool.acquire('r2'), /closing/);
  const late = fakeEnvironment();
  starts[0]!(late as unknown as Environment);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(late.state, 'dead');
  assert.equal(pool.size, 0);
});

test('an environment that died before it reached the pool is neither handed out nor kept', async () => {
  const { factory, starts } = controlledFactory();
  const pool = new FunctionPool(fn, factory);
  const first = pool.acquire('r1');
  await new Promise((resolve) => setImmediate(resolve));
  starts[0]!(fakeEnvironment('dead') as unknown as Environment);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(pool.size, 0);
  // The waiter is still served: a new start replaced the dead one.
  assert.equal(starts.length, 2);
  const healthy = fakeEnvironment();
  starts[1]!(healthy as unknown as Environment);
  assert.equal(await first, healthy as unknown as Environment);
  assert.equal(healthy.state, 'busy');
  pool.killAll();
});

test('a failed cold start is reported to the invocation that triggered it', async () => {
  const starts: Array<{ requestId: string; fail: (error: Error) => void }> = [];
  const factory = {
    create: (_fn: FunctionSpec, requestId: string) =>
      new Promise<Environment>((_resolve, reject) => starts.push({ requestId, fail: reject })),
  } as unknown as EnvironmentFactory;
  const pool = new FunctionPool(fn, factory);
  const first = pool.acquire('r1');
  const second = pool.acquire('r2');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(starts.map((s) => s.requestId), ['r1', 'r2']);
  starts[1]!.fail(new Error('init failed for r2'));
  await assert.rejects(second, /init failed for r2/);
  starts[0]!.fail(new Error('init failed for r1'));
  await assert.rejects(first, /init failed for r1/);
  pool.killAll();
});
