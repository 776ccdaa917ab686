// A redeployed template against a table that already exists: its global secondary indexes and tags follow the
// template (an index added is created and backfilled, one removed is deleted, one whose keys or projection changed is
// replaced), as CloudFormation applies such a change with UpdateTable. Local secondary indexes cannot change after
// creation on DynamoDB either (CloudFormation replaces the table), so a difference there is only reported.
import { indexMetadata } from '../actions/index-validation.js';
import type { ValidatedTable } from '../actions/create-table.js';
import type { Storage, TableInfo } from '../storage/storage.js';
import { startBackfill } from './index-backfill.js';
import type { IndexMetadata } from './indexes.js';
import { readMetadata, type AttributeDefinition, type TableMetadata } from './tables.js';

/** What identifies an index's contents: its keys and projection (throughput changes need no rebuild). */
function shapeOf(index: IndexMetadata): string {
  return JSON.stringify([index.KeySchema, index.Projection.ProjectionType, [...(index.Projection.NonKeyAttributes ?? [])].sort()]);
}

function withDefinitions(current: readonly AttributeDefinition[], declared: readonly AttributeDefinition[]): AttributeDefinition[] {
  const out = [...current];
  for (const d of declared) if (!out.some((c) => c.AttributeName === d.AttributeName)) out.push({ AttributeName: d.AttributeName, AttributeType: d.AttributeType });
  return out;
}

export interface SyncResult {
  readonly changed: string[];
  readonly notices: string[];
}

/** Brings an existing table's GSIs and tags to what the template declares; resolves to what changed. */
export async function syncTemplateTable(storage: Storage, table: TableInfo, declared: ValidatedTable): Promise<SyncResult> {
  const m = readMetadata(table);
  const result: SyncResult = { changed: [], notices: [] };
  const wanted = (declared.globalIndexes ?? []).map((i) => indexMetadata(i, true, 'CREATING'));
  const current = m.GlobalSecondaryIndexes ?? [];
  const kept = current.filter((c) => wanted.some((w) => w.IndexName === c.IndexName && shapeOf(w) === shapeOf(c)));
  const dropped = current.filter((c) => !kept.includes(c)).map((c) => c.IndexName);
  const created = wanted.filter((w) => !kept.some((k) => k.IndexName === w.IndexName));
  const gsis = [...kept, ...created];
  const next: TableMetadata = { ...m, AttributeDefinitions: withDefinitions(m.AttributeDefinitions, declared.definitions), GlobalSecondaryIndexes: gsis };
  if (gsis.length === 0) delete next.GlobalSecondaryIndexes;
  const tags = (declared.tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value }));
  const tagsChanged = JSON.stringify(tags) !== JSON.stringify(m.Tags ?? []);
  if (tagsChanged) next.Tags = tags;
  const lsiOf = (i: IndexMetadata) => `${i.IndexName}:${shapeOf(i)}`;
  if (JSON.stringify((m.LocalSecondaryIndexes ?? []).map(lsiOf)) !== JSON.stringify((declared.localIndexes ?? []).map((i) => lsiOf(indexMetadata(i, false))))) {
    result.notices.push(`table ${table.name}: local secondary indexes cannot change after creation; delete the table and restart to recreate it`);
  }
  if (dropped.length === 0 && created.length === 0 && !tagsChanged) return result;

  await storage.updateTableMetadata(table.name, JSON.stringify(next));
  for (const name of dropped) await storage.dropIndex(table.name, name);
  for (const index of created) void startBackfill(storage, table.name, index.IndexName);
  result.changed.push(...dropped.map((n) => `deleted index ${n}`), ...created.map((i) => `created index ${i.IndexName}`), ...(tagsChanged ? ['updated tags'] : []));
  return result;
}
