// CreateTable. Field checks and messages: architect/dynalite validations/createTable.js and validations/index.js
// (validateKeySchema), asserted against DynamoDB in dynalite's test/createTable.js; index declarations in
// index-validation.ts. The table and its indexes are ACTIVE at once.
import { StorageError } from '../storage/storage.js';
import { resourceInUse } from '../service/errors.js';
import { newMetadata, tableDescription, type AttributeDefinition, type KeySchemaElement } from '../service/tables.js';
import { FieldChecks, shape, type Json } from '../service/validation.js';
import { DynamoValidationError } from '../types/errors.js';
import type { Storage, TableInfo } from '../storage/storage.js';
import { readTags, type Tag } from './tags.js';
import { checkIndexDeclarations, indexMetadata, readIndexList, type DeclaredIndex } from './index-validation.js';
import type { Action } from './common.js';
import { checkStreamRequest, enableStream, readStreamSpecification, type StreamRequest } from '../streams/stream-settings.js';

const MAX_CAPACITY = 1_000_000_000_000;

function structs(list: unknown[] | undefined, key: string): Json[] | undefined {
  return list?.map((entry) => shape.struct({ [key]: entry }, key) ?? {});
}

/** A CreateTable request that passed validation: what the storage and the metadata need. */
export interface ValidatedTable {
  readonly name: string;
  readonly definitions: readonly AttributeDefinition[];
  readonly keys: readonly KeySchemaElement[];
  readonly payPerRequest: boolean;
  readonly read: number;
  readonly write: number;
  readonly localIndexes?: readonly DeclaredIndex[];
  readonly globalIndexes?: readonly DeclaredIndex[];
  /** `StreamSpecification`, when given. */
  readonly stream?: StreamRequest | undefined;
  readonly tags?: readonly Tag[];
}

/** CreateTable's request checks, with DynamoDB's messages (DynamoValidationError). */
export function validateCreateTable(data: Record<string, unknown>): ValidatedTable {
  const definitions = structs(shape.list(data, 'AttributeDefinitions'), 'member');
  const keySchema = structs(shape.list(data, 'KeySchema'), 'member');
  const tableName = shape.string(data, 'TableName');
  const billingMode = shape.string(data, 'BillingMode');
  const throughput = shape.struct(data, 'ProvisionedThroughput');
  const read = throughput ? shape.integer(throughput, 'ReadCapacityUnits') : undefined;
  const write = throughput ? shape.integer(throughput, 'WriteCapacityUnits') : undefined;
  definitions?.forEach((d) => (shape.string(d, 'AttributeName'), shape.string(d, 'AttributeType')));
  keySchema?.forEach((k) => (shape.string(k, 'AttributeName'), shape.string(k, 'KeyType')));

  const checks = new FieldChecks();
  if (checks.notNull(definitions, 'attributeDefinitions')) {
    definitions!.forEach((d, i) => {
      const base = `attributeDefinitions.${i + 1}.member`;
      if (checks.notNull(d.AttributeName, `${base}.attributeName`)) checks.length(d.AttributeName, `${base}.attributeName`, 1, 255);
      if (checks.notNull(d.AttributeType, `${base}.attributeType`)) checks.enumValue(d.AttributeType, `${base}.attributeType`, ['B', 'N', 'S']);
    });
  }
  checks.tableName(tableName);
  if (checks.notNull(keySchema, 'keySchema')) {
    keySchema!.forEach((k, i) => {
      const base = `keySchema.${i + 1}.member`;
      if (checks.notNull(k.AttributeName, `${base}.attributeName`)) checks.length(k.AttributeName, `${base}.attributeName`, 1, 255);
      if (checks.notNull(k.KeyType, `${base}.keyType`)) checks.enumValue(k.KeyType, `${base}.keyType`, ['HASH', 'RANGE']);
    });
    checks.length(keySchema, 'keySchema', 1, 2);
  }
  const localIndexes = readIndexList(data, 'LocalSecondaryIndexes', 'localSecondaryIndexes', checks, false);
  const globalIndexes = readIndexList(data, 'GlobalSecondaryIndexes', 'globalSecondaryIndexes', checks, true);
  const tags = readTags(data, checks);
  checks.enumValue(billingMode, 'billingMode', ['PROVISIONED', 'PAY_PER_REQUEST']);
  if (throughput) {
    if (checks.notNull(write, 'provisionedThroughput.writeCapacityUnits')) checks.range(write, 'provisionedThroughput.writeCapacityUnits', 1, undefined);
    if (checks.notNull(read, 'provisionedThroughput.readCapacityUnits')) checks.range(read, 'provisionedThroughput.readCapacityUnits', 1, undefined);
  }
  const stream = readStreamSpecification(data, checks);
  checks.done();
  checkStreamRequest(stream);

  const defs = definitions as unknown as AttributeDefinition[];
  const keys = keySchema as unknown as KeySchemaElement[];
  const types = new Map<string, AttributeDefinition['AttributeType']>();
  for (const d of defs) {
    if (types.has(d.AttributeName)) throw new DynamoValidationError('Cannot have two attributes with the same name');
    types.set(d.AttributeName, d.AttributeType);
  }
  if (keys[0]!.KeyType !== 'HASH') throw new DynamoValidationError('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (keys[1] && keys[1].KeyType !== 'RANGE') throw new DynamoValidationError('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  if (keys[1] && keys[0]!.AttributeName === keys[1].AttributeName) {
    throw new DynamoValidationError('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  }
  if (keys.some((k) => !types.has(k.AttributeName))) {
    throw new DynamoValidationError(
      'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. ' +
        `Keys: [${keys.map((k) => k.AttributeName).join(', ')}], AttributeDefinitions: [${defs.map((d) => d.AttributeName).join(', ')}]`,
    );
  }
  if (!localIndexes && !globalIndexes && defs.length !== keys.length) {
    throw new DynamoValidationError(
      'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    );
  }
  const payPerRequest = billingMode === 'PAY_PER_REQUEST';
  if (payPerRequest && throughput) {
    throw new DynamoValidationError('One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
  }
  if (!payPerRequest && !throughput) {
    throw new DynamoValidationError('One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
  }
  if (!payPerRequest && read! > MAX_CAPACITY) throw new DynamoValidationError(`Given value ${read} for ReadCapacityUnits is out of bounds`);
  if (!payPerRequest && write! > MAX_CAPACITY) throw new DynamoValidationError(`Given value ${write} for WriteCapacityUnits is out of bounds`);
  if (localIndexes || globalIndexes) checkIndexDeclarations({ definitions: defs, tableKeys: keys, local: localIndexes, global: globalIndexes, payPerRequest });
  return {
    name: tableName!,
    definitions: defs,
    keys,
    payPerRequest,
    read: payPerRequest ? 0 : read!,
    write: payPerRequest ? 0 : write!,
    ...(localIndexes ? { localIndexes } : {}),
    ...(globalIndexes ? { globalIndexes } : {}),
    stream,
    ...(tags && tags.length > 0 ? { tags } : {}),
  };
}

/** Stores a validated table with fresh metadata; a StorageError `TableExists` when the name is taken. */
export async function storeTable(storage: Storage, table: ValidatedTable, region: string, now: Date, streamLabel?: string): Promise<TableInfo> {
  const { name, definitions, keys, payPerRequest } = table;
  const created = newMetadata(
    {
      AttributeDefinitions: definitions.map((d) => ({ AttributeName: d.AttributeName, AttributeType: d.AttributeType })),
      KeySchema: keys.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
      BillingMode: payPerRequest ? 'PAY_PER_REQUEST' : 'PROVISIONED',
      ReadCapacityUnits: table.read,
      WriteCapacityUnits: table.write,
      CreationDateTime: now.getTime() / 1000,
      ...(table.localIndexes ? { LocalSecondaryIndexes: table.localIndexes.map((i) => indexMetadata(i, false)) } : {}),
      ...(table.globalIndexes ? { GlobalSecondaryIndexes: table.globalIndexes.map((i) => indexMetadata(i, true)) } : {}),
      ...(table.tags ? { Tags: table.tags.map((t) => ({ Key: t.Key, Value: t.Value })) } : {}),
    },
    name,
    region,
  );
  const metadata = table.stream?.enabled ? enableStream(created, table.stream.viewType!, now, streamLabel) : created;
  const types = new Map(definitions.map((d) => [d.AttributeName, d.AttributeType]));
  const attr = (k: KeySchemaElement) => ({ name: k.AttributeName, type: types.get(k.AttributeName)! });
  return storage.createTable(name, { partitionKey: attr(keys[0]!), ...(keys[1] ? { sortKey: attr(keys[1]) } : {}) }, JSON.stringify(metadata));
}

export const createTable: Action = async (data, ctx) => {
  const table = validateCreateTable(data);
  const name = table.name;
  try {
    const info = await storeTable(ctx.storage, table, ctx.region, ctx.now());
    return { TableDescription: tableDescription(info) };
  } catch (err) {
    if (err instanceof StorageError && err.code === 'TableExists') throw resourceInUse(`Table already exists: ${name}`);
    throw err;
  }
};
