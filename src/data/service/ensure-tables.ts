// Tables declared in the template exist once Portico is ready: each missing one is created through CreateTable's
// own validation and metadata code (indexes and tags included); existing ones keep their items (a redeploy never drops
// data) while their global secondary indexes and tags follow the template (template-sync.ts). An existing table whose
// key schema differs from the template is kept as it is, with a notice.
import type { TableIndexSpec, TableSpec } from '../../app/model.js';
import { storeTable, validateCreateTable } from '../actions/create-table.js';
import { syncTemplateTable } from './template-sync.js';
import { readMetadata } from './tables.js';
import { StorageError, type KeySchema, type Storage, type TableInfo } from '../storage/storage.js';
import { activeStream, enableStream, type StreamViewType } from '../streams/stream-settings.js';

export interface EnsureTablesReport {
  /** Names of the tables created now. */
  readonly created: string[];
  /** Names of the declared tables that already existed (kept with their data). */
  readonly existing: string[];
  /** Changes made to existing tables to follow the template ("<table>: created index <name>" …). */
  readonly updated: string[];
  /** Differences between the template and existing tables, worth printing. */
  readonly notices: string[];
}

function indexRequest(index: TableIndexSpec): Record<string, unknown> {
  return {
    IndexName: index.indexName,
    KeySchema: index.keySchema.map((k) => ({ AttributeName: k.attributeName, KeyType: k.keyType })),
    Projection: { ProjectionType: index.projectionType, ...(index.nonKeyAttributes.length > 0 ? { NonKeyAttributes: index.nonKeyAttributes } : {}) },
    ...(index.provisionedThroughput
      ? { ProvisionedThroughput: { ReadCapacityUnits: index.provisionedThroughput.readCapacityUnits, WriteCapacityUnits: index.provisionedThroughput.writeCapacityUnits } }
      : {}),
  };
}

/**
 * The CreateTable request a declared table amounts to. Only attributes some key uses are defined (CloudFormation
 * requires exactly those, CreateTable refuses the others).
 */
export function createTableRequest(table: TableSpec): Record<string, unknown> {
  const indexes = [...table.globalSecondaryIndexes, ...table.localSecondaryIndexes];
  const keyNames = new Set([...table.keySchema, ...indexes.flatMap((i) => i.keySchema)].map((k) => k.attributeName));
  return {
    TableName: table.name,
    KeySchema: table.keySchema.map((k) => ({ AttributeName: k.attributeName, KeyType: k.keyType })),
    AttributeDefinitions: table.attributeDefinitions
      .filter((d) => keyNames.has(d.attributeName))
      .map((d) => ({ AttributeName: d.attributeName, AttributeType: d.attributeType })),
    BillingMode: table.billingMode,
    ...(table.provisionedThroughput
      ? {
          ProvisionedThroughput: {
            ReadCapacityUnits: table.provisionedThroughput.readCapacityUnits,
            WriteCapacityUnits: table.provisionedThroughput.writeCapacityUnits,
          },
        }
      : {}),
    ...(table.streamViewType ? { StreamSpecification: { StreamEnabled: true, StreamViewType: table.streamViewType } } : {}),
    ...(table.globalSecondaryIndexes.length > 0 ? { GlobalSecondaryIndexes: table.globalSecondaryIndexes.map(indexRequest) } : {}),
    ...(table.localSecondaryIndexes.length > 0 ? { LocalSecondaryIndexes: table.localSecondaryIndexes.map(indexRequest) } : {}),
    ...(table.tags && table.tags.length > 0 ? { Tags: table.tags.map((t) => ({ Key: t.key, Value: t.value })) } : {}),
  };
}

function describeKeys(schema: KeySchema): string {
  const { partitionKey, sortKey } = schema;
  return sortKey ? `${partitionKey.name} (${partitionKey.type}) + ${sortKey.name} (${sortKey.type})` : `${partitionKey.name} (${partitionKey.type})`;
}

function declaredKeys(table: TableSpec): KeySchema {
  const type = (name: string) => table.attributeDefinitions.find((d) => d.attributeName === name)!.attributeType;
  const [hash, range] = table.keySchema;
  return {
    partitionKey: { name: hash!.attributeName, type: type(hash!.attributeName) },
    ...(range ? { sortKey: { name: range.attributeName, type: type(range.attributeName) } } : {}),
  };
}


/** The label of the stream `!GetAtt Table.StreamArn` names, so that the stream created has that ARN. */
function templateStreamLabel(table: TableSpec): string | undefined {
  return table.streamArn?.split('/stream/')[1];
}

/**
 * A stream the template declares on an existing table is enabled (as a stack update would); one enabled with another
 * view type is kept, with a notice (AWS cannot change a stream's view type either, only replace the stream).
 */
async function ensureStream(storage: Storage, existing: TableInfo, table: TableSpec, now: Date): Promise<string | undefined> {
  if (!table.streamViewType) return undefined;
  const metadata = readMetadata(existing);
  const stream = activeStream(metadata);
  if (!stream) {
    const enabled = enableStream(metadata, table.streamViewType as StreamViewType, now, templateStreamLabel(table));
    await storage.updateTableMetadata(table.name, JSON.stringify(enabled));
    return undefined;
  }
  if (stream.viewType === table.streamViewType) return undefined;
  return `table ${table.name} (${table.logicalId}) keeps its stream of view type ${stream.viewType}; the template declares ${table.streamViewType}`;
}

/** Creates every declared table that does not exist yet; validation failures reject with CreateTable's message. */
export async function ensureTables(storage: Storage, tables: readonly TableSpec[], region: string, now: () => Date = () => new Date()): Promise<EnsureTablesReport> {
  const report: EnsureTablesReport = { created: [], existing: [], updated: [], notices: [] };
  for (const table of tables) {
    const declared = declaredKeys(table);
    const validated = validateCreateTable(createTableRequest(table));
    let existing = await storage.getTable(table.name);
    if (!existing) {
      try {
        const info = await storeTable(storage, validated, region, now(), templateStreamLabel(table));
        if (table.timeToLive?.enabled) {
          const metadata = { ...readMetadata(info), TimeToLive: { AttributeName: table.timeToLive.attributeName, Enabled: true } };
          await storage.updateTableMetadata(table.name, JSON.stringify(metadata));
        }
        report.created.push(table.name);
      } catch (err) {
        // Created in between (a client's CreateTable): keep that one, as for any existing table.
        if (!(err instanceof StorageError && err.code === 'TableExists')) throw err;
        existing = await storage.getTable(table.name);
      }
    }
    if (existing) {
      report.existing.push(table.name);
      const notice = await ensureStream(storage, existing, table, now());
      if (notice) report.notices.push(notice);
      if (describeKeys(existing.keySchema) !== describeKeys(declared)) {
        report.notices.push(
          `table ${table.name} (${table.logicalId}) keeps its key ${describeKeys(existing.keySchema)} and its data; the template declares ` +
            `${describeKeys(declared)}. Delete the table (aws dynamodb delete-table) and restart to recreate it.`,
        );
      } else {
        const sync = await syncTemplateTable(storage, existing, validated);
        report.updated.push(...sync.changed.map((c) => `${table.name}: ${c}`));
        report.notices.push(...sync.notices);
      }
    }
    if (table.streamViewType) report.notices.push(`table ${table.name} (${table.logicalId}): streams declared but not implemented yet`);
  }
  return report;
}
