import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FunctionSpec } from '../../../src/app/model.js';
import { ConcurrencyLimiter } from '../../../src/functions/concurrency.js';

function spec(name: string, reservedConcurrency?: number): FunctionSpec {
  return { name, reservedConcurrency } as unknown as FunctionSpec;
}

test('a slot taken from the unreserved pool goes back to it when a redeploy reserves the function meanwhile', () => {
  const limiter = new ConcurrencyLimiter(3);
  limiter.configure([spec('f'), spec('g')]);
  assert.equal(limiter.tryAcquire('f'), undefined);
  limiter.configure([spec('f', 1), spec('g')]);
  limiter.release('f');
  // 3 - 1 reserved = 2 unreserved slots, all free again.
  assert.equal(limiter.tryAcquire('g'), undefined);
  assert.equal(limiter.tryAcquire('g'), undefined);
  assert.equal(limiter.tryAcquire('g'), 'ConcurrentInvocationLimitExceeded');
  assert.equal(limiter.tryAcquire('f'), undefined);
  assert.equal(limiter.tryAcquire('f'), 'ReservedFunctionConcurrentInvocationLimitExceeded');
});

test('a reserved slot does not free an unreserved one when a redeploy removes the reservation meanwhile', () => {
  const limiter = new ConcurrencyLimiter(2);
  limiter.configure([spec('f', 1), spec('g')]);
  assert.equal(limiter.tryAcquire('f'), undefined);
  assert.equal(limiter.tryAcquire('g'), undefined);
  limiter.configure([spec('f'), spec('g')]);
  limiter.release('f');
  // g still holds one of the 2 unreserved slots: only one more fits.
  assert.equal(limiter.tryAcquire('g'), undefined);
  assert.equal(limiter.tryAcquire('g'), 'ConcurrentInvocationLimitExceeded');
});
