// PutItem: key and item validation, ConditionExpression, ReturnValues NONE | ALL_OLD.
import { checkIndexKeys } from '../service/indexes.js';
import { keyOfItem, readItem, tableForItems } from '../service/tables.js';
import { itemSize } from '../types/item-size.js';
import { recordChange } from '../streams/change-log.js';
import { consumedCapacity, type Action } from './common.js';
import { checkItemSize, checkReturnsOldOrNone, oldAttributes, parseWriteExpressions, readSingleWriteRequest, storeItem, writeIfCondition } from './item-common.js';

export const putItem: Action = async (data, ctx) => {
  const request = readSingleWriteRequest(data, { target: 'Item', legacy: ['Expected'] });
  const item = readItem(request.target);
  checkReturnsOldOrNone(request.returnValues);
  checkItemSize(item);
  const { condition } = parseWriteExpressions(request);

  const table = await tableForItems(ctx.storage, request.tableName);
  const key = keyOfItem(table, item);
  checkIndexKeys(table, item);
  const previous = await writeIfCondition(ctx.storage, table, key, request, condition, async (tx, old) => {
    await storeItem(tx, table, key, item);
    await recordChange(tx, table, old, item, { now: ctx.now() });
    return old;
  });
  const capacity = request.returnConsumed === 'TOTAL' || request.returnConsumed === 'INDEXES';
  return {
    ...oldAttributes(request.returnValues, previous),
    // Sizes are computed only when capacity is asked for: the larger of the old and new item is charged.
    ...(capacity ? consumedCapacity(request.returnConsumed, table.name, 'write', previous && itemSize(previous) > itemSize(item) ? previous : item) : {}),
  };
};
