// Tables declared in the template exist once Portico is ready: each missing one is created through CreateTable's
// own validation and metadata code; existing ones, and their items, are never touched (a redeploy never drops
// data). An existing table whose key schema differs from the template is kept as it is, with a notice.
import type { TableSpec } from '../../app/model.js';
import { storeTable, validateCreateTable } from '../actions/create-table.js';
import { readMetadata } from './tables.js';
import { StorageError, type KeySchema, type Storage, type TableInfo } from '../storage/storage.js';
import { activeStream, enableStream, type StreamViewType } from '../streams/stream-settings.js';

export interface EnsureTablesReport {
  /** Names of the tables created now. */
  readonly created: string[];
  /** Names of the declared tables that already existed (kept with their data). */
  readonly existing: string[];
  /** Differences between the template and existing tables, worth printing. */
  readonly notices: string[];
}

/**
 * The CreateTable request a declared table amounts to. Only the key attributes are defined: the service does not
 * create indexes yet, and CreateTable refuses attribute definitions that no key uses.
 */
export function createTableRequest(table: TableSpec): Record<string, unknown> {
  const keyNames = new Set(table.keySchema.map((k) => k.attributeName));
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

function notableFeatures(table: TableSpec): string[] {
  const features: string[] = [];
  if (table.globalSecondaryIndexes.length > 0) features.push('global secondary indexes');
  if (table.localSecondaryIndexes.length > 0) features.push('local secondary indexes');
  return features;
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
  const report: EnsureTablesReport = { created: [], existing: [], notices: [] };
  for (const table of tables) {
    const declared = declaredKeys(table);
    let existing = await storage.getTable(table.name);
    if (!existing) {
      const validated = validateCreateTable(createTableRequest(table));
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
      }
    }
    const features = notableFeatures(table);
    if (features.length > 0) report.notices.push(`table ${table.name} (${table.logicalId}): ${features.join(', ')} declared but not implemented yet`);
  }
  return report;
}
