import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStorage } from '../../../src/data/storage/sqlite-storage.js';
import { encodeString } from '../../../src/data/storage/key-encoding.js';

const dir = mkdtempSync(join(tmpdir(), 'portico-durability-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const child = fileURLToPath(new URL('./durability-child.js', import.meta.url));

/**
 * Runs the child until it has reported `killAfter` writes, SIGKILLs it the moment that report arrives, and resolves
 * to the highest write number it reported.
 */
function writeThenKill(path: string, mode: string, killAfter: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, '--durability-child', path, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let highest = -1;
    let killed = false;
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      out += chunk;
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) {
        const m = /^written (\d+)$/.exec(line);
        if (m) highest = Math.max(highest, Number(m[1]));
      }
      if (!killed && highest + 1 >= killAfter) {
        killed = true;
        proc.kill('SIGKILL');
      }
    });
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited ${code} ${signal}: ${err}`));
      else resolve(highest);
    });
  });
}

for (const mode of ['FULL', 'NORMAL'] as const) {
  test(`durability (${mode}): every write reported before SIGKILL is there when the file is opened again`, async () => {
    const path = join(dir, `kill-${mode}.sqlite`);
    let expected = 0;
    for (const killAfter of [1, 40, 200]) {
      const highest = await writeThenKill(path, mode, killAfter);
      assert.ok(highest + 1 >= killAfter, `child reported ${highest + 1} writes`);
      const st = SqliteStorage.open(path);
      try {
        for (let i = 0; i <= highest; i++) {
          assert.equal(await st.getItem('D', { pk: encodeString(`item-${i}`), sk: Buffer.alloc(0) }), JSON.stringify({ i }), `item ${i} lost`);
        }
        const changes = await st.readChanges('D', 0);
        assert.ok(changes.length >= highest + 1 + expected, `change log has ${changes.length}`);
        expected = changes.length;
        // The database is consistent after the kill.
        assert.equal((await st.scan({ table: 'D', limit: 10_000 })).items.length >= highest + 1, true);
      } finally {
        await st.close();
      }
    }
  });
}
