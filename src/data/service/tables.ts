// Table metadata as the service stores it (opaque JSON to the storage), the TableDescription DynamoDB answers with,
// and the mapping from DynamoDB keys to storage key bytes.
import { randomUUID } from 'node:crypto';
import type { AttributeValue, Item } from '../types/attribute-value.js';
import { DynamoValidationError } from '../types/errors.js';
import { normalizeItem } from '../types/validate.js';
import { encodeKeyValue } from '../storage/key-encoding.js';
import type { ItemKey, KeyAttribute, KeyAttributeType, Storage, TableInfo, TableStats } from '../storage/storage.js';
import type { IndexMetadata } from './indexes.js';
import { resourceNotFound, serializationException } from './errors.js';
import type { StreamViewType } from '../streams/stream-settings.js';

export const ACCOUNT_ID = '123456789012';

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: KeyAttributeType;
}

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface TableMetadata {
  TableId: string;
  TableArn: string;
  AttributeDefinitions: AttributeDefinition[];
  KeySchema: KeySchemaElement[];
  BillingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
  /** Seconds since the epoch, as DynamoDB's CreationDateTime. */
  CreationDateTime: number;
  /** UpdateTimeToLive's setting; absent until TTL is first enabled. */
  TimeToLive?: { AttributeName: string; Enabled: boolean };
  /** The stream settings (see streams/stream-settings.ts); absent while no stream is enabled. */
  StreamSpecification?: { StreamEnabled: true; StreamViewType: StreamViewType };
  /** The latest stream, kept after it is disabled (its records stay readable for 24 hours). */
  LatestStreamLabel?: string;
  LatestStreamArn?: string;
  /** The latest stream's view type, still known once it is disabled (DescribeStream shows it); not in DescribeTable. */
  LatestStreamViewType?: StreamViewType;
  GlobalSecondaryIndexes?: IndexMetadata[];
  LocalSecondaryIndexes?: IndexMetadata[];
  /** TagResource's tags, in the order first set. */
  Tags?: { Key: string; Value: string }[];
  /** Seconds since the epoch of UpdateTable's last throughput change, and of the last switch to on demand. */
  LastIncreaseDateTime?: number;
  LastDecreaseDateTime?: number;
  LastUpdateToPayPerRequestDateTime?: number;
}

/** The TTL attribute of a table with TTL enabled, else undefined. */
export function ttlAttribute(m: TableMetadata): string | undefined {
  return m.TimeToLive?.Enabled ? m.TimeToLive.AttributeName : undefined;
}

export function newMetadata(init: Omit<TableMetadata, 'TableId' | 'TableArn'>, name: string, region: string): TableMetadata {
  return { TableId: randomUUID(), TableArn: `arn:aws:dynamodb:${region}:${ACCOUNT_ID}:table/${name}`, ...init };
}

export function readMetadata(table: TableInfo): TableMetadata {
  return JSON.parse(table.metadata) as TableMetadata;
}

/** A table is UPDATING while one of its global indexes is being created or deleted. */
function tableStatus(m: TableMetadata): 'ACTIVE' | 'UPDATING' {
  return (m.GlobalSecondaryIndexes ?? []).some((i) => i.IndexStatus !== undefined && i.IndexStatus !== 'ACTIVE') ? 'UPDATING' : 'ACTIVE';
}

function indexDescription(m: TableMetadata, index: IndexMetadata, stats: TableStats | undefined, global: boolean): Record<string, unknown> {
  const own = stats?.indexes[index.IndexName];
  return {
    IndexName: index.IndexName,
    KeySchema: index.KeySchema,
    Projection: index.Projection,
    ...(global
      ? {
          IndexStatus: index.IndexStatus ?? 'ACTIVE',
          ...(index.IndexStatus === 'CREATING' ? { Backfilling: true } : {}),
          ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: index.ReadCapacityUnits ?? 0, WriteCapacityUnits: index.WriteCapacityUnits ?? 0 },
        }
      : {}),
    IndexSizeBytes: own?.bytes ?? 0,
    ItemCount: own?.items ?? 0,
    IndexArn: `${m.TableArn}/index/${index.IndexName}`,
  };
}

/**
 * DynamoDB's TableDescription. ItemCount, TableSizeBytes and the index figures come from the storage's running
 * statistics (AWS refreshes its own about every six hours, so clients expect approximate values).
 */
export function tableDescription(table: TableInfo, status?: 'ACTIVE' | 'DELETING', stats?: TableStats): Record<string, unknown> {
  const m = readMetadata(table);
  const payPerRequest = m.BillingMode === 'PAY_PER_REQUEST';
  const lsis = m.LocalSecondaryIndexes ?? [];
  const gsis = m.GlobalSecondaryIndexes ?? [];
  return {
    AttributeDefinitions: m.AttributeDefinitions,
    TableName: table.name,
    KeySchema: m.KeySchema,
    TableStatus: status ?? tableStatus(m),
    CreationDateTime: m.CreationDateTime,
    ProvisionedThroughput: {
      ...(m.LastIncreaseDateTime !== undefined ? { LastIncreaseDateTime: m.LastIncreaseDateTime } : {}),
      ...(m.LastDecreaseDateTime !== undefined ? { LastDecreaseDateTime: m.LastDecreaseDateTime } : {}),
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: m.ReadCapacityUnits,
      WriteCapacityUnits: m.WriteCapacityUnits,
    },
    TableSizeBytes: stats?.bytes ?? 0,
    ItemCount: stats?.items ?? 0,
    TableArn: m.TableArn,
    TableId: m.TableId,
    ...(payPerRequest || m.LastUpdateToPayPerRequestDateTime !== undefined
      ? { BillingModeSummary: { BillingMode: m.BillingMode, LastUpdateToPayPerRequestDateTime: m.LastUpdateToPayPerRequestDateTime ?? m.CreationDateTime } }
      : {}),
    ...(lsis.length > 0 ? { LocalSecondaryIndexes: lsis.map((i) => indexDescription(m, i, stats, false)) } : {}),
    ...(gsis.length > 0 ? { GlobalSecondaryIndexes: gsis.map((i) => indexDescription(m, i, stats, true)) } : {}),
    ...(m.StreamSpecification ? { StreamSpecification: m.StreamSpecification } : {}),
    ...(m.LatestStreamArn ? { LatestStreamLabel: m.LatestStreamLabel, LatestStreamArn: m.LatestStreamArn } : {}),
    DeletionProtectionEnabled: false,
  };
}

/** The table an item operation names; item operations say only "Requested resource not found". */
export async function tableForItems(storage: Storage, name: string): Promise<TableInfo> {
  const table = await storage.getTable(name);
  if (!table) throw resourceNotFound();
  return table;
}

const MAX_HASH_KEY_BYTES = 2048;
const MAX_RANGE_KEY_BYTES = 1024;

/** The storage key bytes of a key attribute's value (of the declared type). */
export function keyBytesOf(attr: KeyAttribute, value: AttributeValue): Buffer {
  if (attr.type === 'B') return encodeKeyValue('B', Buffer.from((value as { B: string }).B, 'base64'));
  return encodeKeyValue(attr.type, attr.type === 'S' ? (value as { S: string }).S : (value as { N: string }).N);
}

function rawSize(attr: KeyAttribute, value: AttributeValue): number {
  if (attr.type === 'S') return Buffer.byteLength((value as { S: string }).S, 'utf8');
  if (attr.type === 'B') return Buffer.from((value as { B: string }).B, 'base64').length;
  return (value as { N: string }).N.length;
}

function checkNotEmpty(attr: KeyAttribute, value: AttributeValue): void {
  if ('S' in value && value.S === '') {
    throw new DynamoValidationError(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${attr.name}`);
  }
  if ('B' in value && Buffer.from(value.B, 'base64').length === 0) {
    throw new DynamoValidationError(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: ${attr.name}`);
  }
}

function checkKeySizes(table: TableInfo, item: Item): void {
  const { partitionKey, sortKey } = table.keySchema;
  if (rawSize(partitionKey, item[partitionKey.name]!) > MAX_HASH_KEY_BYTES) {
    throw new DynamoValidationError('One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes');
  }
  if (sortKey && rawSize(sortKey, item[sortKey.name]!) > MAX_RANGE_KEY_BYTES) {
    throw new DynamoValidationError('One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes');
  }
}

function keyAttributes(table: TableInfo): KeyAttribute[] {
  const { partitionKey, sortKey } = table.keySchema;
  return sortKey ? [partitionKey, sortKey] : [partitionKey];
}

function storageKey(table: TableInfo, item: Item): ItemKey {
  const { partitionKey, sortKey } = table.keySchema;
  return {
    pk: keyBytesOf(partitionKey, item[partitionKey.name]!),
    sk: sortKey ? keyBytesOf(sortKey, item[sortKey.name]!) : Buffer.alloc(0),
  };
}

/** PutItem: the item must carry every key attribute with the declared type (messages from dynalite db/index.js). */
export function keyOfItem(table: TableInfo, item: Item): ItemKey {
  for (const attr of keyAttributes(table)) {
    const value = item[attr.name];
    if (value === undefined) throw new DynamoValidationError(`One or more parameter values were invalid: Missing the key ${attr.name} in the item`);
    const actual = Object.keys(value)[0];
    if (actual !== attr.type) {
      throw new DynamoValidationError(`One or more parameter values were invalid: Type mismatch for key ${attr.name} expected: ${attr.type} actual: ${actual}`);
    }
    checkNotEmpty(attr, value);
  }
  checkKeySizes(table, item);
  return storageKey(table, item);
}

/** GetItem/DeleteItem: exactly the key attributes, with the declared types. */
export function keyOfKey(table: TableInfo, key: Item): ItemKey {
  const attrs = keyAttributes(table);
  for (const attr of attrs) {
    const value = key[attr.name];
    if (value !== undefined && Object.keys(value)[0] === attr.type) checkNotEmpty(attr, value);
  }
  const mismatch =
    Object.keys(key).length !== attrs.length || attrs.some((attr) => key[attr.name] === undefined || Object.keys(key[attr.name]!)[0] !== attr.type);
  if (mismatch) throw new DynamoValidationError('The provided key element does not match the schema');
  checkKeySizes(table, key);
  return storageKey(table, key);
}

const STRING_TYPES = new Set(['S', 'N', 'B']);
const SET_TYPES = new Set(['SS', 'NS', 'BS']);

function checkValueShape(value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw serializationException(Array.isArray(value) ? 'Start of list found where not expected' : 'Unexpected value type in payload');
  }
  const members = value as Record<string, unknown>;
  for (const type in members) {
    const v = members[type];
    if (v === null) continue;
    if (STRING_TYPES.has(type) && typeof v !== 'string') throw serializationException(`${typeof v === 'object' ? 'Start of structure or map found where not expected' : 'Unexpected value type in payload'}`);
    if ((type === 'BOOL' || type === 'NULL') && typeof v !== 'boolean') throw serializationException('Unexpected value type in payload');
    if (SET_TYPES.has(type) && (!Array.isArray(v) || v.some((e) => typeof e !== 'string'))) throw serializationException('Unexpected value type in payload');
    if (type === 'L') {
      if (!Array.isArray(v)) throw serializationException('Unexpected value type in payload');
      v.forEach(checkValueShape);
    }
    if (type === 'M') checkMapShape(v);
  }
}

function checkMapShape(map: unknown): void {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw serializationException('Unexpected value type in payload');
  const members = map as Record<string, unknown>;
  for (const name in members) checkValueShape(members[name]);
}

/** Shape check (SerializationException) then DynamoDB's value validation; returns the normalised item. */
export function readItem(raw: unknown): Item {
  checkMapShape(raw);
  const cleaned: Record<string, unknown> = {};
  const attributes = raw as Record<string, Record<string, unknown>>;
  for (const k in attributes) cleaned[k] = withoutNulls(attributes[k]!);
  return normalizeItem(cleaned as Item);
}

/** A value's members but those sent as null (SDKs send unset members so); the value itself when it has none. */
function withoutNulls(value: Record<string, unknown>): Record<string, unknown> {
  for (const type in value) {
    if (value[type] === null) return Object.fromEntries(Object.entries(value).filter(([, x]) => x !== null));
  }
  return value;
}
