// Tables declared in the template exist once Portico is ready: each missing one is created through CreateTable's
// own validation and metadata code; existing ones, and their items, are never touched (a redeploy never drops
// data). An existing table whose key schema differs from the template is kept as it is, with a notice.
import type { TableSpec } from '../../app/model.js';
import { storeTable, validateCreateTable } from '../actions/create-table.js';
import { readMetadata } from './tables.js';
import { StorageError, type KeySchema, type Storage } from '../storage/storage.js';

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
  if (table.streamViewType) features.push('streams');
  return features;
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
        const info = await storeTable(storage, validated, region, now());
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
