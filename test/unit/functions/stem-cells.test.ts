import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StemCellPool } from '../../../src/functions/stem-cells.js';

test('a stem cell that never says ready is killed after the boot limit instead of holding take() forever', { timeout: 10_000 }, async () => {
  const spec = { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1e9)'], env: {}, cwd: process.cwd(), controlPipe: true };
  const pool = new StemCellPool(spec, 0, 200);
  try {
    await assert.rejects(pool.take(), /exited while starting/);
  } finally {
    pool.close();
  }
});
