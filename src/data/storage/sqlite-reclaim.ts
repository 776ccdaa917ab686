/**
 * Reclaiming a deleted table's rows. `deleteTable` only marks the table's id dropped (constant time, so a big table
 * never blocks the event loop); this deletes its items, index entries and change records in bounded transactions,
 * then forgets its statistics and trim marks.
 */
import type Database from 'better-sqlite3';
import type { Statements } from './sqlite-schema.js';

/** Deletes up to `budget` rows of dropped tables; resolves to how many went. */
export function reclaimDropped(db: Database.Database, s: Statements, budget: number): number {
  let done = 0;
  while (done < budget) {
    const dropped = s.droppedFirst.get() as { table_id: number } | undefined;
    if (!dropped) break;
    const id = dropped.table_id;
    const n = db.transaction((): number => {
      let removed = s.reclaimItems.run(id, budget - done).changes;
      if (removed < budget - done) removed += s.reclaimEntries.run(id, budget - done - removed).changes;
      if (removed < budget - done) removed += s.reclaimChanges.run(id, budget - done - removed).changes;
      if (removed < budget - done) {
        s.reclaimStats.run(id);
        s.undrop.run(id);
        s.dropTrims.run(id);
      }
      return removed;
    }).immediate();
    done += n;
    if (n === 0 && !s.droppedFirst.get()) break;
  }
  return done;
}
