// TransactGetItems: up to 100 Gets read together (one storage transaction), Responses in request order, `{}` for a
// missing item. Two Gets of one item: "Transaction request cannot include multiple operations on one item".
import { ExpressionContext, parseProjection, project, type DocumentPath } from '../expressions/index.js';
import { keyOfKey, readItem } from '../service/tables.js';
import { FieldChecks, shape } from '../service/validation.js';
import type { ItemKey, TableInfo } from '../storage/storage.js';
import { DynamoValidationError } from '../types/errors.js';
import { CapacityTally, TableCache, structMember } from './batch-common.js';
import type { Action } from './common.js';
import { checkExpressionParams, commonItemFields, keyId, readStored } from './item-common.js';

export const MAX_TRANSACT_ITEMS = 100;
export const MULTIPLE_OPERATIONS = 'Transaction request cannot include multiple operations on one item';

export const transactGetItems: Action = async (data, ctx) => {
  const checks = new FieldChecks();
  const list = shape.list(data, 'TransactItems');
  const returnConsumed = shape.string(data, 'ReturnConsumedCapacity');
  if (checks.notNull(list, 'transactItems')) checks.length(list, 'transactItems', 1, MAX_TRANSACT_ITEMS);
  checks.enumValue(returnConsumed, 'returnConsumedCapacity', ['INDEXES', 'TOTAL', 'NONE']);
  const gets = (list ?? []).map((member, i) => {
    const get = shape.struct(structMember(member), 'Get');
    checks.notNull(get, `transactItems.${i + 1}.member.get`);
    return get;
  });
  const parsedFields = gets.map((get, i) => {
    if (!get) return undefined;
    const fields = commonItemFields(get, checks, `transactItems.${i + 1}.member.get.tableName`);
    const rawKey = shape.struct(get, 'Key');
    checks.notNull(rawKey, `transactItems.${i + 1}.member.get.key`);
    return { fields, rawKey, projectionText: shape.string(get, 'ProjectionExpression') };
  });
  checks.done();

  const parsed = parsedFields.map((p) => {
    const { fields, rawKey, projectionText } = p!;
    const keyItem = readItem(rawKey);
    checkExpressionParams({ ...fields, values: undefined }, { ProjectionExpression: projectionText });
    const exprs = ExpressionContext.create(fields.names, undefined);
    const paths: DocumentPath[] | undefined = projectionText === undefined ? undefined : parseProjection(projectionText, exprs);
    exprs.assertAllUsed();
    return { tableName: fields.tableName, keyItem, paths };
  });

  const tables = new TableCache(ctx.storage);
  const reads: { table: TableInfo; key: ItemKey; paths: DocumentPath[] | undefined }[] = [];
  const seen = new Set<string>();
  for (const p of parsed) {
    const table = await tables.get(p.tableName);
    const key = keyOfKey(table, p.keyItem);
    const id = keyId(table.name, key);
    if (seen.has(id)) throw new DynamoValidationError(MULTIPLE_OPERATIONS);
    seen.add(id);
    reads.push({ table, key, paths: p.paths });
  }

  const capacity = new CapacityTally(returnConsumed);
  const responses = await ctx.storage.transaction(async (tx) => {
    const out: Record<string, unknown>[] = [];
    for (const read of reads) {
      const item = await readStored(tx, read.table, read.key);
      capacity.add(read.table.name, 'read', item, { transactional: true });
      out.push(item ? { Item: read.paths ? project(read.paths, item) : item } : {});
    }
    return out;
  });
  return { Responses: responses, ...capacity.result() };
};
