/**
 * Child process of durability.test.ts: opens the storage given on the command line and writes items 0, 1, 2, …
 * forever, printing `written N` on stdout (synchronously) right after each write's promise resolves. The parent
 * SIGKILLs it at some point and checks that every reported write is there. Does nothing unless run with the marker
 * argument, so loading it as a module (for instance by a test runner) has no effect.
 */
import { writeSync } from 'node:fs';
import { SqliteStorage } from '../../../src/data/storage/sqlite-storage.js';
import { encodeString } from '../../../src/data/storage/key-encoding.js';

const [marker, path, mode] = process.argv.slice(2);
if (marker === '--durability-child' && path) {
  const st = SqliteStorage.open(path, { synchronous: mode === 'NORMAL' ? 'NORMAL' : 'FULL' });
  if (!(await st.getTable('D'))) await st.createTable('D', { partitionKey: { name: 'id', type: 'S' } }, '{}');
  for (let i = 0; ; i++) {
    await st.transaction(async (tx) => {
      await tx.putItem('D', { pk: encodeString(`item-${i}`), sk: Buffer.alloc(0) }, JSON.stringify({ i }));
      await tx.appendChange('D', JSON.stringify({ i }));
    });
    writeSync(1, `written ${i}\n`);
  }
}
