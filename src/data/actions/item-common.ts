// Checks PutItem, GetItem and DeleteItem share. Messages: architect/dynalite validations/index.js
// (validateExpressionParams, validateExpressions) and validations/putItem.js, asserted in dynalite's test/putItem.js.
import { ExpressionContext, applyUpdate, evaluateCondition, parseCondition, parseUpdate, type UpdateExpression } from '../expressions/index.js';
import type { Condition } from '../expressions/ast.js';
import type { ItemKey, ItemOperations, Storage, StorageTransaction, TableInfo } from '../storage/storage.js';
import { conditionalCheckFailed } from '../service/errors.js';
import { checkIndexKeys, indexEntriesOf } from '../service/indexes.js';
import { FieldChecks, shape, type Json } from '../service/validation.js';
import type { AttributeValue, Item } from '../types/attribute-value.js';
import { DynamoValidationError } from '../types/errors.js';
import { ITEM_SIZE_MESSAGES, MAX_ITEM_SIZE, itemSize } from '../types/item-size.js';
import { checkAttributeUpdates, readAttributeUpdates, updateOfLegacy, type AttributeUpdate } from '../legacy/attribute-updates.js';
import { checkExpected, conditionOfLegacy, readConditions, type LegacyCondition } from '../legacy/conditions.js';
import { checkNoMixing } from '../legacy/params.js';

export interface CommonItemFields {
  tableName: string;
  returnConsumed: string | undefined;
  names: Record<string, string> | undefined;
  values: Record<string, AttributeValue> | undefined;
}

/** Common shape and field checks; `extra` adds the action's own checks before the errors are reported. */
export function commonItemFields(data: Json, checks: FieldChecks, tableNamePath = 'tableName'): CommonItemFields {
  const tableName = shape.string(data, 'TableName');
  const returnConsumed = shape.string(data, 'ReturnConsumedCapacity');
  const names = shape.struct(data, 'ExpressionAttributeNames') as Record<string, string> | undefined;
  const values = shape.struct(data, 'ExpressionAttributeValues') as Record<string, AttributeValue> | undefined;
  if (names) for (const key of Object.keys(names)) shape.string(names, key);
  checks.tableName(tableName, tableNamePath);
  checks.enumValue(returnConsumed, 'returnConsumedCapacity', ['INDEXES', 'TOTAL', 'NONE']);
  return { tableName: tableName!, returnConsumed, names, values };
}

/** "ExpressionAttributeNames can only be specified when using expressions", values naming the missing expression. */
export function checkExpressionParams(fields: CommonItemFields, expressions: Record<string, string | undefined>): void {
  const used = Object.values(expressions).some((e) => e !== undefined);
  if (fields.names !== undefined && !used) throw new DynamoValidationError('ExpressionAttributeNames can only be specified when using expressions');
  if (fields.values !== undefined && !used) {
    const nulls = Object.keys(expressions).map((k) => `${k} is null`).join(' and ');
    throw new DynamoValidationError(`ExpressionAttributeValues can only be specified when using expressions: ${nulls}`);
  }
}

export function conditionOf(expression: string | undefined, ctx: ExpressionContext): Condition | undefined {
  return expression === undefined ? undefined : parseCondition(expression, ctx, 'ConditionExpression');
}

/** Throws ConditionalCheckFailedException (with the old item when ReturnValuesOnConditionCheckFailure is ALL_OLD). */
export function checkCondition(condition: Condition | undefined, old: Item | undefined, returnOnFailure: string | undefined): void {
  if (conditionHolds(condition, old)) return;
  throw conditionalCheckFailed(returnOnFailure === 'ALL_OLD' && old ? { Item: old } : {});
}

/** Whether a (possibly absent) ConditionExpression holds for the item as it is (undefined: no item). */
export function conditionHolds(condition: Condition | undefined, old: Item | undefined): boolean {
  return !condition || evaluateCondition(condition, old);
}

/** An item to write (PutItem, BatchWriteItem PutRequest, TransactWriteItems Put) is at most 400 KB. */
export function checkItemSize(item: Item): Item {
  if (itemSize(item) > MAX_ITEM_SIZE) throw new DynamoValidationError(ITEM_SIZE_MESSAGES.put);
  return item;
}

/** The stored item at `key`, parsed. */
export async function readStored(ops: ItemOperations, table: TableInfo, key: ItemKey): Promise<Item | undefined> {
  const text = await ops.getItem(table.name, key);
  return text === undefined ? undefined : (JSON.parse(text) as Item);
}

/** "Cannot update attribute <k>. This attribute is part of the key" for an update naming a key attribute. */
export function checkUpdateKeys(table: TableInfo, update: UpdateExpression): void {
  const keyNames = [table.keySchema.partitionKey.name, ...(table.keySchema.sortKey ? [table.keySchema.sortKey.name] : [])];
  for (const action of update.actions) {
    const top = action.path[0];
    if (typeof top === 'string' && keyNames.includes(top)) {
      throw new DynamoValidationError(`One or more parameter values were invalid: Cannot update attribute ${top}. This attribute is part of the key`);
    }
  }
}

/** The item an update produces (upserting from the key), at most 400 KB. */
export function updatedItem(update: UpdateExpression, previous: Item | undefined, keyItem: Item): Item {
  const next = applyUpdate(update, previous ?? keyItem);
  if (itemSize(next) > MAX_ITEM_SIZE) throw new DynamoValidationError(ITEM_SIZE_MESSAGES.update);
  return next;
}

/**
 * Writes an item together with its secondary index entries (check them first with `checkIndexKeys`). The entries
 * follow the table as it is inside the transaction: an index UpdateTable added since the request looked the table up
 * is maintained too, so its backfill (which starts after that change) never misses this write.
 */
export async function storeItem(tx: StorageTransaction, table: TableInfo, key: ItemKey, item: Item): Promise<string | undefined> {
  const current = (await tx.getTable(table.name)) ?? table;
  if (current !== table) checkIndexKeys(current, item);
  return tx.putItem(table.name, key, JSON.stringify(item), indexEntriesOf(current, item));
}

/** A key for storage identity checks (duplicates in batches and transactions). */
export function keyId(table: string, key: ItemKey): string {
  return `${table}\u0000${Buffer.from(key.pk).toString('hex')}\u0000${Buffer.from(key.sk).toString('hex')}`;
}

/** The fields PutItem, UpdateItem and DeleteItem read from their request. */
export interface SingleWriteRequest extends CommonItemFields {
  /** The Key (UpdateItem, DeleteItem) or Item (PutItem) struct, as sent. */
  target: Json | undefined;
  returnValues: string | undefined;
  returnOnFailure: string | undefined;
  conditionText: string | undefined;
  /** The expressions the request may carry, in the order DynamoDB names them when values come without one. */
  expressions: Record<string, string | undefined>;
  /** The legacy parameters standing for ConditionExpression and UpdateExpression. */
  expected: LegacyCondition[] | undefined;
  conditionalOperator: string | undefined;
  attributeUpdates: AttributeUpdate[] | undefined;
}

export interface SingleWriteShape {
  target: 'Key' | 'Item';
  /** Legacy parameters of this action, in the order DynamoDB lists them when they are mixed with expressions. */
  legacy: readonly string[];
  /** UpdateItem also reads UpdateExpression. */
  withUpdateExpression?: boolean;
}

/**
 * Reads and checks a single-item write request. The fields are read in DynamoDB's order because a wrongly typed
 * field fails at once, and the first one read is the one reported.
 */
export function readSingleWriteRequest(data: Json, { target, legacy, withUpdateExpression = false }: SingleWriteShape): SingleWriteRequest {
  const checks = new FieldChecks();
  const fields = commonItemFields(data, checks);
  const rawTarget = shape.struct(data, target);
  const returnValues = shape.string(data, 'ReturnValues');
  const returnOnFailure = shape.string(data, 'ReturnValuesOnConditionCheckFailure');
  const conditionText = shape.string(data, 'ConditionExpression');
  const updateText = withUpdateExpression ? shape.string(data, 'UpdateExpression') : undefined;
  checks.notNull(rawTarget, target === 'Key' ? 'key' : 'item');
  checks.enumValue(returnValues, 'returnValues', ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW']);
  checks.enumValue(shape.string(data, 'ReturnItemCollectionMetrics'), 'returnItemCollectionMetrics', ['SIZE', 'NONE']);
  checks.enumValue(returnOnFailure, 'returnValuesOnConditionCheckFailure', ['ALL_OLD', 'NONE']);
  const expected = readConditions(data, 'Expected', checks, { expected: true });
  const conditionalOperator = shape.string(data, 'ConditionalOperator');
  checks.enumValue(conditionalOperator, 'conditionalOperator', ['OR', 'AND']);
  const attributeUpdates = withUpdateExpression ? readAttributeUpdates(data, checks) : undefined;
  checks.done();
  const expressions = withUpdateExpression ? { UpdateExpression: updateText, ConditionExpression: conditionText } : { ConditionExpression: conditionText };
  checkNoMixing(data, Object.keys(expressions), legacy);
  return { ...fields, target: rawTarget, returnValues, returnOnFailure, conditionText, expressions, expected, conditionalOperator, attributeUpdates };
}

/** PutItem and DeleteItem can only return the old item. */
export function checkReturnsOldOrNone(returnValues: string | undefined): void {
  if (returnValues !== undefined && returnValues !== 'ALL_OLD' && returnValues !== 'NONE') {
    throw new DynamoValidationError('ReturnValues can only be ALL_OLD or NONE');
  }
}

export interface WriteExpressions {
  condition: Condition | undefined;
  /** The parsed UpdateExpression; no actions when the request has none. */
  update: UpdateExpression;
}

/**
 * Parses the request's expressions and fails on names or values none of them used; legacy Expected and
 * AttributeUpdates, checked first as DynamoDB does, become the same condition and update.
 */
export function parseWriteExpressions(request: SingleWriteRequest): WriteExpressions {
  checkAttributeUpdates(request.attributeUpdates);
  checkExpected(request.expected);
  checkExpressionParams(request, request.expressions);
  const exprs = ExpressionContext.create(request.names, request.values);
  const updateText = request.expressions.UpdateExpression;
  const legacyUpdate: UpdateExpression = request.attributeUpdates ? updateOfLegacy(request.attributeUpdates) : { actions: [] };
  const update: UpdateExpression = updateText === undefined ? legacyUpdate : parseUpdate(updateText, exprs);
  const condition = conditionOf(request.conditionText, exprs) ?? conditionOfLegacy(request.expected, request.conditionalOperator);
  exprs.assertAllUsed();
  return { condition, update };
}

/**
 * Reads the stored item, checks the condition against it and applies `write`, in one storage transaction so that no
 * other write lands between the check and the change. Resolves to what `write` returns.
 */
export function writeIfCondition<T>(
  storage: Storage,
  table: TableInfo,
  key: ItemKey,
  request: Pick<SingleWriteRequest, 'returnOnFailure'>,
  condition: Condition | undefined,
  write: (tx: StorageTransaction, old: Item | undefined) => Promise<T>,
): Promise<T> {
  return storage.transaction(async (tx) => {
    const old = await readStored(tx, table, key);
    checkCondition(condition, old, request.returnOnFailure);
    return write(tx, old);
  });
}

/** The Attributes member for ReturnValues ALL_OLD, when there was an old item. */
export function oldAttributes(returnValues: string | undefined, old: Item | undefined): { Attributes?: Item } {
  return returnValues === 'ALL_OLD' && old ? { Attributes: old } : {};
}
