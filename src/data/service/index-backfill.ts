// Backfilling a global secondary index created by UpdateTable. The index is in the metadata as CREATING from the
// start, so every write from then on maintains it; the backfill walks the table a bounded page at a time and rewrites
// each item's index entries in a short transaction (re-reading the item there, so a concurrent write is never undone),
// then flips the index to ACTIVE. Reads of a CREATING index see what is indexed so far, as on DynamoDB where such an
// index cannot be queried until it is ACTIVE. An index left CREATING by a restart is finished by `resumeBackfills`.
import type { ItemKey, Storage } from '../storage/storage.js';
import type { Item } from '../types/attribute-value.js';
import { indexEntriesOf } from './indexes.js';
import { readMetadata } from './tables.js';

const PAGE_ITEMS = 500;

/** The table's id while `name` is an index being created on it (a deleted or re-created table ends the backfill). */
async function creatingOn(storage: Storage, table: string, name: string): Promise<string | undefined> {
  const info = await storage.getTable(table);
  if (!info) return undefined;
  const m = readMetadata(info);
  return (m.GlobalSecondaryIndexes ?? []).some((i) => i.IndexName === name && i.IndexStatus === 'CREATING') ? m.TableId : undefined;
}

async function indexPage(storage: Storage, table: string, keys: readonly ItemKey[]): Promise<void> {
  await storage.transaction(async (tx) => {
    const info = await tx.getTable(table);
    if (!info) return;
    for (const key of keys) {
      const current = await tx.getItem(table, key);
      if (current !== undefined) await tx.putItem(table, key, current, indexEntriesOf(info, JSON.parse(current) as Item));
    }
  });
}

/** Indexes every item of `table` for the index `name`, then marks the index ACTIVE. */
export async function backfillIndex(storage: Storage, table: string, name: string): Promise<void> {
  const tableId = await creatingOn(storage, table, name);
  let startAfter: ItemKey | undefined;
  do {
    if (tableId === undefined || (await creatingOn(storage, table, name)) !== tableId) return;
    const page = await storage.scan({ table, limit: PAGE_ITEMS, ...(startAfter ? { startAfter } : {}) });
    await indexPage(storage, table, page.items);
    startAfter = page.lastKey;
  } while (startAfter !== undefined);
  const info = await storage.getTable(table);
  if (!info) return;
  const metadata = readMetadata(info);
  if (metadata.TableId !== tableId) return;
  const indexes = (metadata.GlobalSecondaryIndexes ?? []).map((i) => (i.IndexName === name && i.IndexStatus === 'CREATING' ? { ...i, IndexStatus: 'ACTIVE' as const } : i));
  await storage.updateTableMetadata(table, JSON.stringify({ ...metadata, GlobalSecondaryIndexes: indexes }));
}

// Backfills in progress per storage, so that a resume at start and a template sync never walk the same index twice.
const running = new WeakMap<Storage, Map<string, Promise<void>>>();

/**
 * Runs a backfill in the background (or joins the one already running for that index); a failure (storage closed at
 * shutdown, table deleted) is logged, not thrown.
 */
export function startBackfill(storage: Storage, table: string, name: string, logger: { error(message: string): void } = console): Promise<void> {
  let byIndex = running.get(storage);
  if (!byIndex) running.set(storage, (byIndex = new Map()));
  const id = `${table}\u0000${name}`;
  const current = byIndex.get(id);
  if (current) return current;
  const done = backfillIndex(storage, table, name)
    .catch((err: unknown) => logger.error(`dynamodb: backfill of index ${name} on ${table} stopped: ${err instanceof Error ? err.message : String(err)}`))
    .finally(() => byIndex.delete(id));
  byIndex.set(id, done);
  return done;
}

/** Restarts the backfill of every index a previous run left CREATING. */
export async function resumeBackfills(storage: Storage, logger?: { error(message: string): void }): Promise<void> {
  let startAfter: string | undefined;
  do {
    const page = await storage.listTables(startAfter !== undefined ? { startAfter } : {});
    for (const info of page.tables) {
      for (const index of readMetadata(info).GlobalSecondaryIndexes ?? []) {
        if (index.IndexStatus === 'CREATING') void startBackfill(storage, info.name, index.IndexName, logger);
      }
    }
    startAfter = page.lastName;
  } while (startAfter !== undefined);
}
