import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStorage } from './storage/sqlite-storage.js';
import type { Storage } from './storage/storage.js';

/**
 * When a write is acknowledged: `full` once it is on disk (survives power loss), `normal` once it is committed
 * (survives the process being killed, not always a power loss or kernel crash).
 */
export type DataSync = 'full' | 'normal';

export const DATA_SYNC_MODES: readonly DataSync[] = ['full', 'normal'];

/** The data service's store under a data directory: `<dataDir>/data/dynamodb.sqlite`. Called at start-up only. */
export function openDataStorage(dataDir: string, sync: DataSync = 'full'): Storage {
  const dir = join(dataDir, 'data');
  mkdirSync(dir, { recursive: true });
  return SqliteStorage.open(join(dir, 'dynamodb.sqlite'), { synchronous: sync === 'full' ? 'FULL' : 'NORMAL' });
}
