// DeleteItem: key must match the schema exactly, ConditionExpression, ReturnValues NONE | ALL_OLD.
import { keyOfKey, readItem, tableForItems } from '../service/tables.js';
import { recordChange } from '../streams/change-log.js';
import { consumedCapacity, type Action } from './common.js';
import { checkReturnsOldOrNone, oldAttributes, parseWriteExpressions, readSingleWriteRequest, writeIfCondition } from './item-common.js';

export const deleteItem: Action = async (data, ctx) => {
  const request = readSingleWriteRequest(data, { target: 'Key', legacy: ['Expected'] });
  const keyItem = readItem(request.target);
  checkReturnsOldOrNone(request.returnValues);
  const { condition } = parseWriteExpressions(request);

  const table = await tableForItems(ctx.storage, request.tableName);
  const key = keyOfKey(table, keyItem);
  const previous = await writeIfCondition(ctx.storage, table, key, request, condition, async (tx, old) => {
    if (old) await tx.deleteItem(table.name, key);
    await recordChange(tx, table, old, undefined, { now: ctx.now() });
    return old;
  });
  return {
    ...oldAttributes(request.returnValues, previous),
    ...consumedCapacity(request.returnConsumed, table.name, 'write', previous),
  };
};
