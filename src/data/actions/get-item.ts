// GetItem: key must match the schema exactly, ProjectionExpression, ConsistentRead accepted (every read is).
import { ExpressionContext, parseProjection, project } from '../expressions/index.js';
import { keyOfKey, readItem, tableForItems } from '../service/tables.js';
import { FieldChecks, shape } from '../service/validation.js';
import type { Item } from '../types/attribute-value.js';
import { consumedCapacity, type Action } from './common.js';
import { checkExpressionParams, commonItemFields, rejectLegacy } from './item-common.js';

export const getItem: Action = async (data, ctx) => {
  const checks = new FieldChecks();
  const fields = commonItemFields(data, checks);
  const rawKey = shape.struct(data, 'Key');
  const consistent = shape.boolean(data, 'ConsistentRead') ?? false;
  const projectionText = shape.string(data, 'ProjectionExpression');
  checks.notNull(rawKey, 'key');
  checks.done();
  rejectLegacy(data, ['AttributesToGet']);

  const keyItem = readItem(rawKey);
  checkExpressionParams({ ...fields, values: undefined }, { ProjectionExpression: projectionText });
  const exprs = ExpressionContext.create(fields.names, undefined);
  const paths = projectionText === undefined ? undefined : parseProjection(projectionText, exprs);
  exprs.assertAllUsed();

  const table = await tableForItems(ctx.storage, fields.tableName);
  const key = keyOfKey(table, keyItem);
  const text = await ctx.storage.getItem(table.name, key);
  const item = text === undefined ? undefined : (JSON.parse(text) as Item);
  return {
    ...(item ? { Item: paths ? project(paths, item) : item } : {}),
    ...consumedCapacity(fields.returnConsumed, table.name, 'read', item, consistent),
  };
};
