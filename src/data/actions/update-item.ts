// UpdateItem: UpdateExpression (SET/REMOVE/ADD/DELETE), ConditionExpression, upsert, ReturnValues (all five),
// ReturnValuesOnConditionCheckFailure; condition check and write in one storage transaction. Messages: architect/
// dynalite actions/updateItem.js and validations/updateItem.js, asserted against DynamoDB in its test/updateItem.js
// ("Cannot update attribute <k>. This attribute is part of the key", "Item size to update has exceeded …").
import { ExpressionContext, parseUpdate, project, type DocumentPath, type UpdateExpression } from '../expressions/index.js';
import { keyOfKey, readItem, tableForItems } from '../service/tables.js';
import { FieldChecks, shape } from '../service/validation.js';
import type { Item } from '../types/attribute-value.js';
import { itemSize } from '../types/item-size.js';
import { consumedCapacity, type Action } from './common.js';
import { checkCondition, checkExpressionParams, checkUpdateKeys, commonItemFields, conditionOf, readStored, rejectLegacy, updatedItem } from './item-common.js';

export const updateItem: Action = async (data, ctx) => {
  const checks = new FieldChecks();
  const fields = commonItemFields(data, checks);
  const rawKey = shape.struct(data, 'Key');
  const returnValues = shape.string(data, 'ReturnValues');
  const returnOnFailure = shape.string(data, 'ReturnValuesOnConditionCheckFailure');
  const conditionText = shape.string(data, 'ConditionExpression');
  const updateText = shape.string(data, 'UpdateExpression');
  checks.notNull(rawKey, 'key');
  checks.enumValue(returnValues, 'returnValues', ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW']);
  checks.enumValue(shape.string(data, 'ReturnItemCollectionMetrics'), 'returnItemCollectionMetrics', ['SIZE', 'NONE']);
  checks.enumValue(returnOnFailure, 'returnValuesOnConditionCheckFailure', ['ALL_OLD', 'NONE']);
  checks.done();
  rejectLegacy(data, ['AttributeUpdates', 'Expected', 'ConditionalOperator']);

  const keyItem = readItem(rawKey);
  checkExpressionParams(fields, { UpdateExpression: updateText, ConditionExpression: conditionText });
  const exprs = ExpressionContext.create(fields.names, fields.values);
  const update: UpdateExpression = updateText === undefined ? { actions: [] } : parseUpdate(updateText, exprs);
  const condition = conditionOf(conditionText, exprs);
  exprs.assertAllUsed();

  const table = await tableForItems(ctx.storage, fields.tableName);
  const key = keyOfKey(table, keyItem);
  checkUpdateKeys(table, update);
  const paths: DocumentPath[] = update.actions.map((a) => a.path);

  const { old, item } = await ctx.storage.transaction(async (tx) => {
    const previous = await readStored(tx, table, key);
    checkCondition(condition, previous, returnOnFailure);
    const next = updatedItem(update, previous, keyItem);
    await tx.putItem(table.name, key, JSON.stringify(next));
    return { old: previous, item: next };
  });

  let attributes: Item | undefined;
  if (returnValues === 'ALL_OLD') attributes = old;
  else if (returnValues === 'ALL_NEW') attributes = item;
  else if (returnValues === 'UPDATED_OLD') attributes = old && project(paths, old);
  else if (returnValues === 'UPDATED_NEW') attributes = project(paths, item);
  const hasAttributes = attributes !== undefined && Object.keys(attributes).length > 0;
  return {
    ...(hasAttributes ? { Attributes: attributes } : {}),
    ...consumedCapacity(fields.returnConsumed, table.name, 'write', old && itemSize(old) > itemSize(item) ? old : item),
  };
};
