// Scan: FilterExpression after Limit, ProjectionExpression, Select, Limit, ExclusiveStartKey/LastEvaluatedKey,
// Segment/TotalSegments (parallel scan), 1 MB pages. Messages: architect/dynalite validations/scan.js, asserted against
// DynamoDB in its test/scan.js; TotalSegments ≤ 1000000 and Segment ≤ 999999 from the API reference (Scan).
// With IndexName the scan runs over the index in index order (index-reads.ts).
import { ExpressionContext, parseCondition, parseProjection } from '../expressions/index.js';
import { MAX_PAGE_ITEMS } from '../storage/storage.js';
import { tableForItems } from '../service/tables.js';
import { FieldChecks, shape } from '../service/validation.js';
import { DynamoValidationError } from '../types/errors.js';
import type { Action } from './common.js';
import { indexForRead, indexStartOf, indexView } from './index-reads.js';
import { checkExpressionParams, commonItemFields } from './item-common.js';
import { checkConditions, conditionOfLegacy, readConditions } from '../legacy/conditions.js';
import { attributesToGetPaths, checkNoMixing, readAttributesToGet } from '../legacy/params.js';
import { readTableResult } from './table-read.js';
import { PAGE_BYTES, checkSelect, readResult, startKeyOf } from './read-common.js';

const SELECTS = ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'];

export const scan: Action = async (data, ctx) => {
  const checks = new FieldChecks();
  const fields = commonItemFields(data, checks);
  const filterText = shape.string(data, 'FilterExpression');
  const projectionText = shape.string(data, 'ProjectionExpression');
  const select = shape.string(data, 'Select');
  const indexName = shape.string(data, 'IndexName');
  const limit = shape.integer(data, 'Limit');
  const segment = shape.integer(data, 'Segment');
  const totalSegments = shape.integer(data, 'TotalSegments');
  const consistent = shape.boolean(data, 'ConsistentRead') ?? false;
  const rawStart = shape.struct(data, 'ExclusiveStartKey');
  checks.range(limit, 'limit', 1, undefined);
  checks.enumValue(select, 'select', SELECTS);
  checks.range(totalSegments, 'totalSegments', 1, 1000000);
  checks.range(segment, 'segment', 0, 999999);
  checks.tableName(indexName, 'indexName', false);
  const attributesToGet = readAttributesToGet(data, checks);
  const scanFilter = readConditions(data, 'ScanFilter', checks);
  const conditionalOperator = shape.string(data, 'ConditionalOperator');
  checks.enumValue(conditionalOperator, 'conditionalOperator', ['OR', 'AND']);
  checks.done();
  checkNoMixing(data, ['ProjectionExpression', 'FilterExpression'], ['AttributesToGet', 'ScanFilter', 'ConditionalOperator']);
  const legacyPaths = attributesToGetPaths(attributesToGet);
  checkConditions(scanFilter);
  if (segment !== undefined && totalSegments === undefined) {
    throw new DynamoValidationError('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
  }
  if (totalSegments !== undefined && segment === undefined) {
    throw new DynamoValidationError('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
  }
  if (segment !== undefined && totalSegments !== undefined && segment >= totalSegments) {
    throw new DynamoValidationError(
      `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${totalSegments}`,
    );
  }
  checkSelect(select, projectionText ?? attributesToGet?.join(', '), indexName, 'Scan');

  checkExpressionParams(fields, { FilterExpression: filterText, ProjectionExpression: projectionText });
  const exprs = ExpressionContext.create(fields.names, fields.values);
  const filter = filterText === undefined ? conditionOfLegacy(scanFilter, conditionalOperator) : parseCondition(filterText, exprs, 'FilterExpression');
  const paths = projectionText === undefined ? legacyPaths : parseProjection(projectionText, exprs);
  exprs.assertAllUsed();

  const table = await tableForItems(ctx.storage, fields.tableName);
  const options = { filter, paths, select, limit, returnConsumed: fields.returnConsumed, consistent };
  const request = {
    table: table.name,
    ...(segment !== undefined && totalSegments !== undefined ? { segment, totalSegments } : {}),
    limit: Math.min(limit ?? MAX_PAGE_ITEMS, MAX_PAGE_ITEMS),
    maxBytes: PAGE_BYTES,
  };
  if (indexName !== undefined) {
    const index = indexForRead(table, indexName, select, consistent);
    const start = indexStartOf(table, index, rawStart);
    const page = await ctx.storage.scanIndex({ ...request, index: index.name, ...(start ? { startAfter: start } : {}) });
    return { ...readResult(table, page, indexView(table, index, select), options) };
  }
  const start = startKeyOf(table, rawStart);
  const page = await ctx.storage.scan({ ...request, ...(start ? { startAfter: start.key } : {}) });
  return { ...readTableResult(table, page, options) };
};
