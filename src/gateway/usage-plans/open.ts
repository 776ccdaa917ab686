import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenBucketStore } from '../policies/token-bucket-store.js';
import { KeyCrypto } from './key-crypto.js';
import { UsagePlanRegistry } from './registry.js';
import { SqliteUsagePlanStore } from './sqlite-store.js';
import { LocalUsageCounters } from './usage-counters.js';

/**
 * The installation's API keys and usage plans under a data directory: `<dataDir>/gateway/usage-plans.sqlite` and the
 * key secret `<dataDir>/gateway/api-key.secret`. Called at start-up only (synchronous I/O).
 */
export function openUsagePlans(dataDir: string, buckets: TokenBucketStore): UsagePlanRegistry {
  const dir = join(dataDir, 'gateway');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const store = new SqliteUsagePlanStore(join(dir, 'usage-plans.sqlite'));
  const snapshot = store.load();
  const counters = new LocalUsageCounters(store, snapshot.usage, snapshot.adjustments);
  return new UsagePlanRegistry(store, snapshot, KeyCrypto.open(join(dir, 'api-key.secret')), counters, buckets);
}
