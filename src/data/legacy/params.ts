// Rules shared by every action with legacy parameters: they cannot be mixed with expressions, and AttributesToGet
// (a list of top-level names) stands for a ProjectionExpression. Messages: architect/dynalite validations/index.js
// (validateExpressionParams) and validations/getItem.js, asserted against DynamoDB in its tests.
import type { DocumentPath } from '../expressions/ast.js';
import { FieldChecks, shape, type Json } from '../service/validation.js';
import { DynamoValidationError } from '../types/errors.js';

const present = (data: Json, key: string) => data[key] !== undefined && data[key] !== null;

/**
 * "Can not use both expression and non-expression parameters in the same request: …", listing both kinds in the
 * order given. KeyConditions alone beside other expressions is allowed when there is no KeyConditionExpression.
 */
export function checkNoMixing(data: Json, expressions: readonly string[], legacy: readonly string[]): void {
  const used = expressions.filter((e) => present(data, e));
  if (used.length === 0) return;
  const keyConditionsAllowed = present(data, 'KeyConditions') && !present(data, 'KeyConditionExpression');
  const mixed = legacy.filter((p) => present(data, p) && !(p === 'KeyConditions' && keyConditionsAllowed));
  if (mixed.length === 0) return;
  throw new DynamoValidationError(
    `Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${mixed.join(', ')}} Expression parameters: {${used.join(', ')}}`,
  );
}

/** AttributesToGet: 1–255 names, no duplicates; answered as projection paths. */
export function readAttributesToGet(data: Json, checks: FieldChecks, path = 'attributesToGet'): string[] | undefined {
  const list = shape.list(data, 'AttributesToGet');
  if (list === undefined) return undefined;
  checks.length(list, path, 1, 255);
  return list.map((name) => {
    if (typeof name !== 'string') shape.string({ name }, 'name');
    return name as string;
  });
}

export function attributesToGetPaths(names: string[] | undefined): DocumentPath[] | undefined {
  if (names === undefined) return undefined;
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new DynamoValidationError(`One or more parameter values were invalid: Duplicate value in attribute name: ${name}`);
    seen.add(name);
  }
  return names.map((name) => [name]);
}
