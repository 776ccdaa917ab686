// UpdateTable: BillingMode, ProvisionedThroughput, GlobalSecondaryIndexUpdates (Create with backfill, Update of
// throughput, Delete) and StreamSpecification. Messages: architect/dynalite validations/updateTable.js and
// actions/updateTable.js (asserted against DynamoDB in its test/updateTable.js), "ProvisionedThroughput is not specified
// for index" as quoted in awsdocs/amazon-dynamodb-developer-guide issue #246. Throughput and billing changes apply at
// once (the table stays ACTIVE); a created index is CREATING, the table UPDATING, until its backfill ends.
import { limitExceeded, resourceNotFound, tableNotFound } from '../service/errors.js';
import { startBackfill } from '../service/index-backfill.js';
import type { IndexMetadata } from '../service/indexes.js';
import { readMetadata, tableDescription, type AttributeDefinition, type TableMetadata } from '../service/tables.js';
import { FieldChecks, shape, type Json } from '../service/validation.js';
import { StorageError } from '../storage/storage.js';
import { DynamoValidationError } from '../types/errors.js';
import type { Action } from './common.js';
import { checkCreatedIndex, checkProjectedCount, indexMetadata, readIndex, type DeclaredIndex } from './index-validation.js';
import { applyStreamRequest, checkStreamRequest, readStreamSpecification, type StreamRequest } from '../streams/stream-settings.js';

const INVALID = 'One or more parameter values were invalid: ';
const MAX_CAPACITY = 1_000_000_000_000;
const MAX_GSIS = 20;

interface Throughput {
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
}

interface IndexUpdates {
  readonly create: DeclaredIndex[];
  readonly update: { IndexName: string; ProvisionedThroughput: Throughput }[];
  readonly delete: string[];
  /** An entry with none of Create, Update, Delete. */
  empty: boolean;
}

interface UpdateRequest {
  readonly name: string;
  readonly definitions: AttributeDefinition[];
  readonly billingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST';
  readonly throughput?: Throughput;
  readonly indexes: IndexUpdates;
  readonly stream?: StreamRequest;
}

function throughputOf(struct: Json | undefined, path: string, checks: FieldChecks): Throughput | undefined {
  if (!struct) return undefined;
  const write = shape.integer(struct, 'WriteCapacityUnits');
  const read = shape.integer(struct, 'ReadCapacityUnits');
  if (checks.notNull(write, `${path}.writeCapacityUnits`)) checks.range(write, `${path}.writeCapacityUnits`, 1, undefined);
  if (checks.notNull(read, `${path}.readCapacityUnits`)) checks.range(read, `${path}.readCapacityUnits`, 1, undefined);
  return { ReadCapacityUnits: read!, WriteCapacityUnits: write! };
}

function readIndexUpdates(data: Json, checks: FieldChecks): IndexUpdates | undefined {
  const list = shape.list(data, 'GlobalSecondaryIndexUpdates')?.map((u) => shape.struct({ u }, 'u') ?? {});
  if (!list) return undefined;
  const updates: IndexUpdates = { create: [], update: [], delete: [], empty: false };
  list.forEach((u, i) => {
    const base = `globalSecondaryIndexUpdates.${i + 1}.member`;
    const create = shape.struct(u, 'Create');
    const update = shape.struct(u, 'Update');
    const del = shape.struct(u, 'Delete');
    if (create) updates.create.push(readIndex(create, `${base}.create`, checks, true));
    if (update) {
      const name = shape.string(update, 'IndexName');
      checks.tableName(name, `${base}.update.indexName`);
      const throughput = throughputOf(shape.struct(update, 'ProvisionedThroughput'), `${base}.update.provisionedThroughput`, checks);
      checks.notNull(throughput, `${base}.update.provisionedThroughput`);
      updates.update.push({ IndexName: name!, ProvisionedThroughput: throughput! });
    }
    if (del) {
      const name = shape.string(del, 'IndexName');
      checks.tableName(name, `${base}.delete.indexName`);
      updates.delete.push(name!);
    }
    if (!create && !update && !del) updates.empty = true;
  });
  return updates;
}

/** The request's field checks and the checks that need no table, in dynalite's order. */
function readUpdateTable(data: Json): UpdateRequest {
  const checks = new FieldChecks();
  const definitions = shape.list(data, 'AttributeDefinitions')?.map((d) => shape.struct({ d }, 'd') ?? {});
  definitions?.forEach((d) => (shape.string(d, 'AttributeName'), shape.string(d, 'AttributeType')));
  const name = shape.string(data, 'TableName');
  const billingMode = shape.string(data, 'BillingMode');
  const throughput = throughputOf(shape.struct(data, 'ProvisionedThroughput'), 'provisionedThroughput', checks);
  const indexes = readIndexUpdates(data, checks);
  const stream = readStreamSpecification(data, checks);
  definitions?.forEach((d, i) => checks.enumValue(d.AttributeType, `attributeDefinitions.${i + 1}.member.attributeType`, ['B', 'N', 'S']));
  checks.tableName(name);
  checks.enumValue(billingMode, 'billingMode', ['PROVISIONED', 'PAY_PER_REQUEST']);
  checks.done();
  checkStreamRequest(stream);

  const indexCount = indexes ? indexes.create.length + indexes.update.length + indexes.delete.length + (indexes.empty ? 1 : 0) : 0;
  if (!throughput && !billingMode && !stream && indexCount === 0) {
    throw new DynamoValidationError(
      'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required',
    );
  }
  if (billingMode === 'PROVISIONED' && !throughput) throw new DynamoValidationError(`${INVALID}ProvisionedThroughput must be specified when BillingMode is PROVISIONED`);
  if (throughput && throughput.ReadCapacityUnits > MAX_CAPACITY) throw new DynamoValidationError(`Given value ${throughput.ReadCapacityUnits} for ReadCapacityUnits is out of bounds`);
  if (throughput && throughput.WriteCapacityUnits > MAX_CAPACITY) throw new DynamoValidationError(`Given value ${throughput.WriteCapacityUnits} for WriteCapacityUnits is out of bounds`);
  if (indexes) checkIndexUpdates(indexes);
  return {
    name: name!,
    definitions: (definitions ?? []) as unknown as AttributeDefinition[],
    ...(billingMode ? { billingMode: billingMode as UpdateRequest['billingMode'] } : {}),
    ...(throughput ? { throughput } : {}),
    indexes: indexes ?? { create: [], update: [], delete: [], empty: false },
    ...(stream ? { stream } : {}),
  };
}

function checkIndexUpdates(indexes: IndexUpdates): void {
  if (indexes.empty) {
    throw new DynamoValidationError(
      `${INVALID}One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null`,
    );
  }
  const names = [...indexes.create.map((c) => c.IndexName), ...indexes.update.map((u) => u.IndexName), ...indexes.delete];
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new DynamoValidationError(`${INVALID}Only one global secondary index update per index is allowed simultaneously. Index: ${duplicate}`);
  if (indexes.create.length + indexes.delete.length > 1) throw limitExceeded('Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table');
}

/** Billing mode and table throughput; timestamps as DescribeTable reports them. */
function applyCapacity(m: TableMetadata, request: UpdateRequest, now: number): TableMetadata {
  const billing = request.billingMode ?? m.BillingMode;
  if (request.throughput && billing === 'PAY_PER_REQUEST') {
    throw new DynamoValidationError(`${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`);
  }
  const next: TableMetadata = { ...m, BillingMode: billing };
  // DescribeTable keeps a BillingModeSummary once a table has been on demand.
  if (billing === 'PROVISIONED' && m.BillingMode === 'PAY_PER_REQUEST') next.LastUpdateToPayPerRequestDateTime = m.LastUpdateToPayPerRequestDateTime ?? m.CreationDateTime;
  if (billing === 'PAY_PER_REQUEST' && m.BillingMode !== 'PAY_PER_REQUEST') {
    Object.assign(next, { ReadCapacityUnits: 0, WriteCapacityUnits: 0, LastUpdateToPayPerRequestDateTime: now });
    next.GlobalSecondaryIndexes = m.GlobalSecondaryIndexes?.map((i) => ({ ...i, ReadCapacityUnits: 0, WriteCapacityUnits: 0 }));
  }
  const t = request.throughput;
  if (!t) return next;
  if (m.BillingMode === 'PROVISIONED' && t.ReadCapacityUnits === m.ReadCapacityUnits && t.WriteCapacityUnits === m.WriteCapacityUnits && !request.billingMode) {
    throw new DynamoValidationError(
      'The provisioned throughput for the table will not change. The requested value equals the current value. ' +
        `Current ReadCapacityUnits provisioned for the table: ${m.ReadCapacityUnits}. Requested ReadCapacityUnits: ${t.ReadCapacityUnits}. ` +
        `Current WriteCapacityUnits provisioned for the table: ${m.WriteCapacityUnits}. Requested WriteCapacityUnits: ${t.WriteCapacityUnits}. ` +
        'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
    );
  }
  if (t.ReadCapacityUnits > m.ReadCapacityUnits || t.WriteCapacityUnits > m.WriteCapacityUnits) next.LastIncreaseDateTime = now;
  if (t.ReadCapacityUnits < m.ReadCapacityUnits || t.WriteCapacityUnits < m.WriteCapacityUnits) next.LastDecreaseDateTime = now;
  return { ...next, ReadCapacityUnits: t.ReadCapacityUnits, WriteCapacityUnits: t.WriteCapacityUnits };
}

/** GSI Update (throughput), Delete and Create; a created index starts CREATING. */
function applyIndexUpdates(m: TableMetadata, request: UpdateRequest): TableMetadata {
  const { create, update, delete: deleted } = request.indexes;
  let gsis: IndexMetadata[] = [...(m.GlobalSecondaryIndexes ?? [])];
  const provisioned = m.BillingMode === 'PROVISIONED';
  for (const u of update) {
    if (!gsis.some((i) => i.IndexName === u.IndexName)) throw resourceNotFound(`Requested resource not found: Index: ${u.IndexName} not found`);
    const t = u.ProvisionedThroughput;
    gsis = gsis.map((i) => (i.IndexName === u.IndexName ? { ...i, ReadCapacityUnits: t.ReadCapacityUnits, WriteCapacityUnits: t.WriteCapacityUnits } : i));
  }
  for (const name of deleted) {
    if (!gsis.some((i) => i.IndexName === name)) throw resourceNotFound(`Requested resource not found: Index: ${name} not found`);
    gsis = gsis.filter((i) => i.IndexName !== name);
  }
  let definitions = m.AttributeDefinitions;
  for (const index of create) {
    definitions = mergeDefinitions(definitions, request.definitions);
    const existing = [...gsis, ...(m.LocalSecondaryIndexes ?? [])].map((i) => i.IndexName);
    checkCreatedIndex(index, definitions, existing, !provisioned);
    gsis.push(indexMetadata(index, true, 'CREATING'));
  }
  if (gsis.length > MAX_GSIS) throw new DynamoValidationError(`${INVALID}GlobalSecondaryIndex count exceeds the per-table limit of ${MAX_GSIS}`);
  checkProjectedCount([...gsis, ...(m.LocalSecondaryIndexes ?? [])]);
  const next: TableMetadata = { ...m, AttributeDefinitions: definitions, GlobalSecondaryIndexes: gsis };
  if (gsis.length === 0) delete next.GlobalSecondaryIndexes;
  return next;
}

/** The table's definitions plus the request's new ones; a redefined attribute must keep its type. */
function mergeDefinitions(current: readonly AttributeDefinition[], added: readonly AttributeDefinition[]): AttributeDefinition[] {
  const out = [...current];
  for (const d of added) {
    const known = out.find((c) => c.AttributeName === d.AttributeName);
    if (known && known.AttributeType !== d.AttributeType) {
      throw new DynamoValidationError(`${INVALID}Cannot change the type of attribute ${d.AttributeName} from ${known.AttributeType} to ${d.AttributeType}`);
    }
    if (!known) out.push({ AttributeName: d.AttributeName, AttributeType: d.AttributeType });
  }
  return out;
}

/** Switching to PROVISIONED needs throughput for every remaining GSI (through GSI Update entries). */
function checkIndexThroughput(before: TableMetadata, after: TableMetadata, request: UpdateRequest): void {
  if (before.BillingMode !== 'PAY_PER_REQUEST' || after.BillingMode !== 'PROVISIONED') return;
  const given = new Set(request.indexes.update.map((u) => u.IndexName));
  const missing = (after.GlobalSecondaryIndexes ?? []).filter((i) => !given.has(i.IndexName) && i.IndexStatus !== 'CREATING').map((i) => i.IndexName);
  if (missing.length > 0) throw new DynamoValidationError(`${INVALID}ProvisionedThroughput must be specified for index: ${missing.join(',')}`);
}

export const updateTable: Action = async (data, ctx) => {
  const request = readUpdateTable(data);
  const table = await ctx.storage.getTable(request.name);
  if (!table) throw tableNotFound(request.name);
  const before = readMetadata(table);
  if (request.indexes.create.length > 0 && (before.GlobalSecondaryIndexes ?? []).some((i) => i.IndexStatus === 'CREATING')) {
    throw limitExceeded('Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table');
  }
  const now = ctx.now().getTime() / 1000;
  let after = applyIndexUpdates(applyCapacity(before, request, now), request);
  checkIndexThroughput(before, after, request);
  if (request.stream) after = applyStreamRequest(after, request.stream, request.name, ctx.now());
  let info;
  try {
    info = await ctx.storage.updateTableMetadata(request.name, JSON.stringify(after));
  } catch (err) {
    // Deleted in between.
    if (err instanceof StorageError && err.code === 'TableNotFound') throw tableNotFound(request.name);
    throw err;
  }
  for (const name of request.indexes.delete) await ctx.storage.dropIndex(request.name, name);
  for (const index of request.indexes.create) void startBackfill(ctx.storage, request.name, index.IndexName);
  return { TableDescription: tableDescription(info, undefined, await ctx.storage.tableStats(request.name)) };
};
