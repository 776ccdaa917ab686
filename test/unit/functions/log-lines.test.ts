// The REPORT line: billed duration is the printed Duration plus the printed Init Duration, rounded up to the
// millisecond (Lambda bills INIT since August 2025), at least 1 ms.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reportLine } from '../../../src/functions/log-lines.js';

const billed = (durationMs: number, initDurationMs?: number): number => {
  const line = reportLine({ requestId: 'r', durationMs, memorySizeMb: 128, maxMemoryUsedBytes: 1, ...(initDurationMs === undefined ? {} : { initDurationMs }) });
  return Number(/Billed Duration: (\d+) ms/.exec(line)![1]);
};

test('billed duration adds the printed figures and rounds up: AWS\'s own example, and no extra millisecond from unprinted digits', () => {
  assert.equal(billed(1049.63, 1293.83), 2344);
  assert.equal(billed(10.004, 11.003), 21, 'prints 10.00 + 11.00');
  assert.equal(billed(10.006, 11.003), 22, 'prints 10.01 + 11.00');
  assert.equal(billed(0.2), 1, 'at least 1 ms');
  assert.equal(billed(3.1), 4);
});
