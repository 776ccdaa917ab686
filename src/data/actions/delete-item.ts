// DeleteItem: key must match the schema exactly, ConditionExpression, ReturnValues NONE | ALL_OLD.
import { ExpressionContext } from '../expressions/index.js';
import { keyOfKey, readItem, tableForItems } from '../service/tables.js';
import { FieldChecks, shape } from '../service/validation.js';
import { DynamoValidationError } from '../types/errors.js';
import { consumedCapacity, type Action } from './common.js';
import { checkCondition, checkExpressionParams, commonItemFields, conditionOf, readStored, rejectLegacy } from './item-common.js';

export const deleteItem: Action = async (data, ctx) => {
  const checks = new FieldChecks();
  const fields = commonItemFields(data, checks);
  const rawKey = shape.struct(data, 'Key');
  const returnValues = shape.string(data, 'ReturnValues');
  const returnOnFailure = shape.string(data, 'ReturnValuesOnConditionCheckFailure');
  const conditionText = shape.string(data, 'ConditionExpression');
  checks.notNull(rawKey, 'key');
  checks.enumValue(returnValues, 'returnValues', ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW']);
  checks.enumValue(shape.string(data, 'ReturnItemCollectionMetrics'), 'returnItemCollectionMetrics', ['SIZE', 'NONE']);
  checks.enumValue(returnOnFailure, 'returnValuesOnConditionCheckFailure', ['ALL_OLD', 'NONE']);
  checks.done();
  rejectLegacy(data, ['Expected', 'ConditionalOperator']);

  const keyItem = readItem(rawKey);
  if (returnValues !== undefined && returnValues !== 'ALL_OLD' && returnValues !== 'NONE') {
    throw new DynamoValidationError('ReturnValues can only be ALL_OLD or NONE');
  }
  checkExpressionParams(fields, { ConditionExpression: conditionText });
  const exprs = ExpressionContext.create(fields.names, fields.values);
  const condition = conditionOf(conditionText, exprs);
  exprs.assertAllUsed();

  const table = await tableForItems(ctx.storage, fields.tableName);
  const key = keyOfKey(table, keyItem);
  const previous = await ctx.storage.transaction(async (tx) => {
    const old = await readStored(tx, table, key);
    checkCondition(condition, old, returnOnFailure);
    if (old) await tx.deleteItem(table.name, key);
    return old;
  });
  return {
    ...(returnValues === 'ALL_OLD' && previous ? { Attributes: previous } : {}),
    ...consumedCapacity(fields.returnConsumed, table.name, 'write', previous),
  };
};
