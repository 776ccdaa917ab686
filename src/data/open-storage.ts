import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStorage } from './storage/sqlite-storage.js';
import type { Storage } from './storage/storage.js';

/** The data service's store under a data directory: `<dataDir>/data/dynamodb.sqlite`. Called at start-up only. */
export function openDataStorage(dataDir: string): Storage {
  const dir = join(dataDir, 'data');
  mkdirSync(dir, { recursive: true });
  return SqliteStorage.open(join(dir, 'dynamodb.sqlite'));
}
