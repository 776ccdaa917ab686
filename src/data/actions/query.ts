// Query: KeyConditionExpression (partition equality, sort key =, <, <=, >, >=, BETWEEN, begins_with) mapped onto
// storage range bounds, FilterExpression after Limit, ProjectionExpression, Select, ScanIndexForward, Limit,
// ExclusiveStartKey/LastEvaluatedKey, 1 MB pages. Messages: architect/dynalite validations/query.js, actions/query.js
// and validations/index.js, asserted against DynamoDB in its test/query.js; the API reference (Query, KeyConditionExpression).
// With IndexName the same range scan runs over the index (index-reads.ts).
import {
  ExpressionContext,
  keyCondition,
  parseCondition,
  parseProjection,
  type Condition,
  type Operand,
  type SortKeyOperator,
} from '../expressions/index.js';
import { encodeKeyValue, prefixSuccessor } from '../storage/key-encoding.js';
import { MAX_PAGE_ITEMS, type KeyAttribute, type SortKeyBound, type TableInfo } from '../storage/storage.js';
import type { ResolvedIndex } from '../service/indexes.js';
import { tableForItems } from '../service/tables.js';
import { FieldChecks, shape } from '../service/validation.js';
import type { AttributeValue } from '../types/attribute-value.js';
import { compareValues } from '../types/compare.js';
import { DynamoValidationError } from '../types/errors.js';
import type { Action, ActionContext } from './common.js';
import { indexForRead, indexStartOf, indexView } from './index-reads.js';
import { checkExpressionParams, commonItemFields } from './item-common.js';
import { checkConditions, checkKeyConditions, checkQueryFilterKeys, conditionOfLegacy, readConditions } from '../legacy/conditions.js';
import { attributesToGetPaths, checkNoMixing, readAttributesToGet } from '../legacy/params.js';
import { readTableResult } from './table-read.js';
import { PAGE_BYTES, checkSelect, readResult, startKeyOf, type ReadResult } from './read-common.js';

const SELECTS = ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'];

export const query: Action = async (data, ctx) => {
  const checks = new FieldChecks();
  const fields = commonItemFields(data, checks);
  const keyText = shape.string(data, 'KeyConditionExpression');
  const filterText = shape.string(data, 'FilterExpression');
  const projectionText = shape.string(data, 'ProjectionExpression');
  const select = shape.string(data, 'Select');
  const indexName = shape.string(data, 'IndexName');
  const limit = shape.integer(data, 'Limit');
  const forward = shape.boolean(data, 'ScanIndexForward') ?? true;
  const consistent = shape.boolean(data, 'ConsistentRead') ?? false;
  const rawStart = shape.struct(data, 'ExclusiveStartKey');
  checks.range(limit, 'limit', 1, undefined);
  checks.enumValue(select, 'select', SELECTS);
  checks.tableName(indexName, 'indexName', false);
  const attributesToGet = readAttributesToGet(data, checks);
  const queryFilter = readConditions(data, 'QueryFilter', checks);
  const keyConditions = readConditions(data, 'KeyConditions', checks);
  const conditionalOperator = shape.string(data, 'ConditionalOperator');
  checks.enumValue(conditionalOperator, 'conditionalOperator', ['OR', 'AND']);
  checks.done();
  checkNoMixing(data, ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'], ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions']);
  checkConditions(queryFilter);
  const legacyPaths = attributesToGetPaths(attributesToGet);
  checkSelect(select, projectionText ?? attributesToGet?.join(', '), indexName, 'Query');
  if (keyText === undefined && keyConditions === undefined) {
    throw new DynamoValidationError('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  }

  checkExpressionParams(fields, { KeyConditionExpression: keyText, FilterExpression: filterText, ProjectionExpression: projectionText });
  const exprs = ExpressionContext.create(fields.names, fields.values);
  const keyCond = keyText === undefined ? undefined : parseCondition(keyText, exprs, 'KeyConditionExpression');
  const filter = filterText === undefined ? conditionOfLegacy(queryFilter, conditionalOperator) : parseCondition(filterText, exprs, 'FilterExpression');
  const paths = projectionText === undefined ? legacyPaths : parseProjection(projectionText, exprs);
  exprs.assertAllUsed();
  if (keyConditions) checkKeyConditions(keyConditions);

  const table = await tableForItems(ctx.storage, fields.tableName);
  const index = indexName === undefined ? undefined : indexForRead(table, indexName, select, consistent);
  const { partitionKey, sortKey } = index ?? table.keySchema;
  const keys = keyCondition(keyCond ?? conditionOfLegacy(keyConditions, 'AND')!, { partitionKey: partitionKey.name, ...(sortKey ? { sortKey: sortKey.name } : {}) });
  checkKeyType(partitionKey, keys.partition.value);
  if (keys.sort) {
    if (keys.sort.operator === 'BEGINS_WITH' && sortKey!.type === 'N') {
      throw new DynamoValidationError('Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
    }
    keys.sort.values.forEach((v) => checkKeyType(sortKey!, v));
  }
  const keyNames = [partitionKey.name, ...(sortKey ? [sortKey.name] : [])];
  if (filterText !== undefined) checkFilterKeys(filter!, keyNames);
  checkQueryFilterKeys(queryFilter, keyNames);

  const pk = encodeKeyValue(partitionKey.type, keyPayload(partitionKey, keys.partition.value));
  const bounds = keys.sort ? sortBounds(sortKey!, keys.sort.operator, keys.sort.values) : {};
  const options = { filter, paths, select, limit, returnConsumed: fields.returnConsumed, consistent };
  const request: PageRequest = { pk, bounds, forward, limit: Math.min(limit ?? MAX_PAGE_ITEMS, MAX_PAGE_ITEMS) };
  if (index) return { ...(await queryIndex(ctx, table, index, rawStart, request, options)) };
  const start = startKeyOf(table, rawStart);
  if (start && !withinBounds(Buffer.from(start.key.sk), bounds)) {
    throw new DynamoValidationError('The provided starting key does not match the range key predicate');
  }
  if (start && Buffer.compare(Buffer.from(start.key.pk), pk) !== 0) {
    throw new DynamoValidationError('The provided starting key is outside query boundaries based on provided conditions');
  }
  const page = await ctx.storage.query({
    table: table.name,
    pk,
    ...bounds,
    forward,
    ...(start ? { startAfter: start.key.sk } : {}),
    limit: request.limit,
    maxBytes: PAGE_BYTES,
  });
  return { ...readTableResult(table, page, options) };
};

type PageRequest = { pk: Buffer; bounds: Bounds; forward: boolean; limit: number };

/** The same range scan over an index partition; the start key must lie within the bounds and the partition. */
async function queryIndex(
  ctx: ActionContext,
  table: TableInfo,
  index: ResolvedIndex,
  rawStart: Record<string, unknown> | undefined,
  request: PageRequest,
  options: Parameters<typeof readResult>[3],
): Promise<ReadResult> {
  const start = indexStartOf(table, index, rawStart);
  if (start && !withinBounds(Buffer.from(start.isk), request.bounds)) throw new DynamoValidationError('The provided starting key does not match the range key predicate');
  if (start && Buffer.compare(Buffer.from(start.ipk), request.pk) !== 0) {
    throw new DynamoValidationError('The provided starting key is outside query boundaries based on provided conditions');
  }
  const page = await ctx.storage.queryIndex({
    table: table.name,
    index: index.name,
    pk: request.pk,
    ...request.bounds,
    forward: request.forward,
    ...(start ? { startAfter: start } : {}),
    limit: request.limit,
    maxBytes: PAGE_BYTES,
  });
  return readResult(table, page, indexView(table, index, options.select), options);
}

function keyPayload(attr: KeyAttribute, value: AttributeValue): string | Uint8Array {
  if (attr.type === 'B') return Buffer.from((value as { B: string }).B, 'base64');
  return attr.type === 'S' ? (value as { S: string }).S : (value as { N: string }).N;
}

function checkKeyType(attr: KeyAttribute, value: AttributeValue): void {
  if (Object.keys(value)[0] !== attr.type) {
    throw new DynamoValidationError('One or more parameter values were invalid: Condition parameter type does not match schema type');
  }
  const empty = 'S' in value ? value.S === '' : 'B' in value && Buffer.from(value.B, 'base64').length === 0;
  if (empty) {
    const kind = 'S' in value ? 'string' : 'binary';
    throw new DynamoValidationError(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${kind} value. Key: ${attr.name}`);
  }
}

type Bounds = { lower?: SortKeyBound; upper?: SortKeyBound };

/** Sort key condition → inclusive/exclusive storage bounds; begins_with is [prefix, successor(prefix)). */
function sortBounds(attr: KeyAttribute, operator: SortKeyOperator, values: AttributeValue[]): Bounds {
  const enc = (v: AttributeValue) => encodeKeyValue(attr.type, keyPayload(attr, v));
  const v0 = values[0]!;
  switch (operator) {
    case 'EQ':
      return { lower: { key: enc(v0), inclusive: true }, upper: { key: enc(v0), inclusive: true } };
    case 'LT':
      return { upper: { key: enc(v0), inclusive: false } };
    case 'LE':
      return { upper: { key: enc(v0), inclusive: true } };
    case 'GT':
      return { lower: { key: enc(v0), inclusive: false } };
    case 'GE':
      return { lower: { key: enc(v0), inclusive: true } };
    case 'BETWEEN': {
      const v1 = values[1]!;
      if ((compareValues(v0, v1) ?? 0) > 0) {
        throw new DynamoValidationError(
          `Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {${attr.type}:${keyText(v0)}}, upper bound operand: AttributeValue: {${attr.type}:${keyText(v1)}}`,
        );
      }
      return { lower: { key: enc(v0), inclusive: true }, upper: { key: enc(v1), inclusive: true } };
    }
    case 'BEGINS_WITH': {
      const prefix = enc(v0);
      const successor = prefixSuccessor(prefix);
      return { lower: { key: prefix, inclusive: true }, ...(successor ? { upper: { key: successor, inclusive: false } } : {}) };
    }
  }
}

function withinBounds(sk: Buffer, bounds: Bounds): boolean {
  if (bounds.lower) {
    const c = Buffer.compare(sk, Buffer.from(bounds.lower.key));
    if (c < 0 || (c === 0 && !bounds.lower.inclusive)) return false;
  }
  if (bounds.upper) {
    const c = Buffer.compare(sk, Buffer.from(bounds.upper.key));
    if (c > 0 || (c === 0 && !bounds.upper.inclusive)) return false;
  }
  return true;
}

function keyText(v: AttributeValue): string {
  return String(Object.values(v)[0]);
}

/** "Filter Expression can only contain non-primary key attributes: Primary key attribute: <k>". */
function checkFilterKeys(c: Condition, keyNames: string[]): void {
  const operand = (o: Operand): void => {
    if (o.kind === 'path' && typeof o.path[0] === 'string' && keyNames.includes(o.path[0])) {
      throw new DynamoValidationError(`Filter Expression can only contain non-primary key attributes: Primary key attribute: ${o.path[0]}`);
    }
    if (o.kind === 'function') o.args.forEach(operand);
  };
  switch (c.kind) {
    case 'and':
    case 'or':
      checkFilterKeys(c.left, keyNames);
      checkFilterKeys(c.right, keyNames);
      return;
    case 'not':
      checkFilterKeys(c.operand, keyNames);
      return;
    case 'compare':
      operand(c.left);
      operand(c.right);
      return;
    case 'between':
      [c.operand, c.low, c.high].forEach(operand);
      return;
    case 'in':
      [c.operand, ...c.list].forEach(operand);
      return;
    case 'function':
      c.args.forEach(operand);
      return;
  }
}
