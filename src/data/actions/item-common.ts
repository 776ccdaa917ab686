// Checks PutItem, GetItem and DeleteItem share. Messages: architect/dynalite validations/index.js
// (validateExpressionParams, validateExpressions) and validations/putItem.js, asserted in dynalite's test/putItem.js.
import { ExpressionContext, evaluateCondition, parseCondition } from '../expressions/index.js';
import type { Condition } from '../expressions/ast.js';
import { conditionalCheckFailed } from '../service/errors.js';
import { FieldChecks, shape, type Json } from '../service/validation.js';
import type { AttributeValue, Item } from '../types/attribute-value.js';
import { DynamoValidationError } from '../types/errors.js';

export interface CommonItemFields {
  tableName: string;
  returnConsumed: string | undefined;
  names: Record<string, string> | undefined;
  values: Record<string, AttributeValue> | undefined;
}

/** Common shape and field checks; `extra` adds the action's own checks before the errors are reported. */
export function commonItemFields(data: Json, checks: FieldChecks): CommonItemFields {
  const tableName = shape.string(data, 'TableName');
  const returnConsumed = shape.string(data, 'ReturnConsumedCapacity');
  const names = shape.struct(data, 'ExpressionAttributeNames') as Record<string, string> | undefined;
  const values = shape.struct(data, 'ExpressionAttributeValues') as Record<string, AttributeValue> | undefined;
  if (names) for (const key of Object.keys(names)) shape.string(names, key);
  checks.tableName(tableName);
  checks.enumValue(returnConsumed, 'returnConsumedCapacity', ['INDEXES', 'TOTAL', 'NONE']);
  return { tableName: tableName!, returnConsumed, names, values };
}

/** Legacy (non-expression) parameters are not implemented: say so rather than ignore them. */
export function rejectLegacy(data: Json, params: readonly string[]): void {
  for (const p of params) {
    if (data[p] !== undefined && data[p] !== null) throw new DynamoValidationError(`Portico does not implement the legacy parameter ${p}; use expressions`);
  }
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
  if (!condition || evaluateCondition(condition, old)) return;
  throw conditionalCheckFailed(returnOnFailure === 'ALL_OLD' && old ? { Item: old } : {});
}
