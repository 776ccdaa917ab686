// UpdateItem: UpdateExpression (SET/REMOVE/ADD/DELETE), ConditionExpression, upsert, ReturnValues (all five),
// ReturnValuesOnConditionCheckFailure; condition check and write in one storage transaction. Messages: architect/
// dynalite actions/updateItem.js and validations/updateItem.js, asserted against DynamoDB in its test/updateItem.js
// ("Cannot update attribute <k>. This attribute is part of the key", "Item size to update has exceeded …").
import { project, type DocumentPath } from '../expressions/index.js';
import { checkIndexKeys } from '../service/indexes.js';
import { keyOfKey, readItem, tableForItems } from '../service/tables.js';
import type { Item } from '../types/attribute-value.js';
import { itemSize } from '../types/item-size.js';
import { recordChange } from '../streams/change-log.js';
import { consumedCapacity, type Action } from './common.js';
import { checkUpdateKeys, parseWriteExpressions, readSingleWriteRequest, storeItem, updatedItem, writeIfCondition } from './item-common.js';
import { withLegacyTypeMessage } from '../legacy/attribute-updates.js';

export const updateItem: Action = async (data, ctx) => {
  const request = readSingleWriteRequest(data, { target: 'Key', legacy: ['AttributeUpdates', 'Expected'], withUpdateExpression: true });
  const keyItem = readItem(request.target);
  const { condition, update } = parseWriteExpressions(request);

  const table = await tableForItems(ctx.storage, request.tableName);
  const key = keyOfKey(table, keyItem);
  checkUpdateKeys(table, update);
  const paths: DocumentPath[] = update.actions.map((a) => a.path);

  const { old, item } = await writeIfCondition(ctx.storage, table, key, request, condition, async (tx, previous) => {
    const apply = () => updatedItem(update, previous, keyItem);
    const next = request.attributeUpdates ? withLegacyTypeMessage(apply) : apply();
    checkIndexKeys(table, next);
    await storeItem(tx, table, key, next);
    await recordChange(tx, table, previous, next, { now: ctx.now() });
    return { old: previous, item: next };
  });

  const returnValues = request.returnValues;
  let attributes: Item | undefined;
  if (returnValues === 'ALL_OLD') attributes = old;
  else if (returnValues === 'ALL_NEW') attributes = item;
  else if (returnValues === 'UPDATED_OLD') attributes = old && project(paths, old);
  else if (returnValues === 'UPDATED_NEW') attributes = project(paths, item);
  const hasAttributes = attributes !== undefined && Object.keys(attributes).length > 0;
  return {
    ...(hasAttributes ? { Attributes: attributes } : {}),
    ...consumedCapacity(request.returnConsumed, table.name, 'write', old && itemSize(old) > itemSize(item) ? old : item),
  };
};
