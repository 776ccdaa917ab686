// GetItem: key must match the schema exactly, ProjectionExpression, ConsistentRead accepted (every read is).
import { ExpressionContext, parseProjection, project } from '../expressions/index.js';
import { RawJson } from '../service/raw-json.js';
import { keyOfKey, readItem, tableForItems } from '../service/tables.js';
import { FieldChecks, shape } from '../service/validation.js';
import type { Item } from '../types/attribute-value.js';
import { consumedCapacity, type Action } from './common.js';
import { checkExpressionParams, commonItemFields } from './item-common.js';
import { attributesToGetPaths, checkNoMixing, readAttributesToGet } from '../legacy/params.js';

export const getItem: Action = async (data, ctx) => {
  const checks = new FieldChecks();
  const fields = commonItemFields(data, checks);
  const rawKey = shape.struct(data, 'Key');
  const consistent = shape.boolean(data, 'ConsistentRead') ?? false;
  const projectionText = shape.string(data, 'ProjectionExpression');
  const attributesToGet = readAttributesToGet(data, checks);
  checks.notNull(rawKey, 'key');
  checks.done();
  checkNoMixing(data, ['ProjectionExpression'], ['AttributesToGet']);

  const keyItem = readItem(rawKey);
  const legacyPaths = attributesToGetPaths(attributesToGet);
  checkExpressionParams({ ...fields, values: undefined }, { ProjectionExpression: projectionText });
  const exprs = ExpressionContext.create(fields.names, undefined);
  const paths = projectionText === undefined ? legacyPaths : parseProjection(projectionText, exprs);
  exprs.assertAllUsed();

  const table = await tableForItems(ctx.storage, fields.tableName);
  const key = keyOfKey(table, keyItem);
  const text = await ctx.storage.getItem(table.name, key);
  const capacity = fields.returnConsumed === 'TOTAL' || fields.returnConsumed === 'INDEXES';
  // The whole item, and no size to compute: the stored text is the answer.
  if (text !== undefined && !paths && !capacity) return { Item: new RawJson(text) };
  const item = text === undefined ? undefined : (JSON.parse(text) as Item);
  return {
    ...(item ? { Item: paths ? project(paths, item) : item } : {}),
    ...consumedCapacity(fields.returnConsumed, table.name, 'read', item, consistent),
  };
};
