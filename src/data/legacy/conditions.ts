// The legacy condition parameters — Expected (PutItem, UpdateItem, DeleteItem), QueryFilter, ScanFilter and
// KeyConditions — checked with DynamoDB's messages and translated into the condition AST the expression path
// evaluates. Messages and rules: architect/dynalite validations/index.js (validateAttributeConditions,
// validateConditions), asserted against DynamoDB in its test/putItem.js, test/query.js and test/scan.js; semantics:
// API reference, "Condition" and "ExpectedAttributeValue".
import type { Condition, Operand } from '../expressions/ast.js';
import { readItem } from '../service/tables.js';
import { FieldChecks, shape, type Json } from '../service/validation.js';
import type { AttributeValue } from '../types/attribute-value.js';
import { compareValues } from '../types/compare.js';
import { DynamoValidationError } from '../types/errors.js';
import { structMember } from '../actions/batch-common.js';

export const COMPARISON_OPERATORS = ['IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS'] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** One attribute's condition after shape checks: values validated and normalised. */
export interface LegacyCondition {
  readonly attribute: string;
  readonly operator: ComparisonOperator | undefined;
  readonly values: AttributeValue[] | undefined;
  /** Expected only. */
  readonly value?: AttributeValue;
  readonly exists?: boolean;
}

const INVALID = 'One or more parameter values were invalid: ';
/** Operand count per operator; IN takes one or more. */
const ARITY: Readonly<Record<ComparisonOperator, number>> = {
  EQ: 1, NE: 1, LE: 1, LT: 1, GE: 1, GT: 1, CONTAINS: 1, NOT_CONTAINS: 1, BEGINS_WITH: 1, NULL: 0, NOT_NULL: 0, IN: 1, BETWEEN: 2,
};
/** The operand types each operator takes in QueryFilter, ScanFilter and KeyConditions. */
const SCALARS = ['S', 'N', 'B'];
const OPERAND_TYPES: Readonly<Partial<Record<ComparisonOperator, readonly string[]>>> = {
  EQ: [...SCALARS, 'SS', 'NS', 'BS'], NE: [...SCALARS, 'SS', 'NS', 'BS'], LE: SCALARS, LT: SCALARS, GE: SCALARS, GT: SCALARS,
  CONTAINS: SCALARS, NOT_CONTAINS: SCALARS, BEGINS_WITH: ['S', 'B'], IN: SCALARS, BETWEEN: SCALARS,
};

function values(raw: unknown[] | undefined): AttributeValue[] | undefined {
  if (raw === undefined) return undefined;
  const asItem = readItem(Object.fromEntries(raw.map((v, i) => [String(i), v])));
  return raw.map((_, i) => asItem[String(i)]!);
}

/**
 * Reads a map of conditions (Expected, QueryFilter, ScanFilter or KeyConditions) with its field checks; `field` is
 * the request member's name as DynamoDB's messages spell it (expected, queryFilter, …).
 */
export function readConditions(data: Json, member: string, checks: FieldChecks, options: { expected?: boolean } = {}): LegacyCondition[] | undefined {
  const map = shape.struct(data, member);
  if (map === undefined) return undefined;
  const field = member[0]!.toLowerCase() + member.slice(1);
  return Object.entries(map).map(([attribute, raw]) => {
    const body = structMember(raw);
    const operator = shape.string(body, 'ComparisonOperator');
    const list = shape.list(body, 'AttributeValueList');
    const path = `${field}.${attribute}.member.comparisonOperator`;
    if (!options.expected) checks.notNull(operator, path);
    checks.enumValue(operator, path, COMPARISON_OPERATORS);
    const condition: LegacyCondition = { attribute, operator: operator as ComparisonOperator | undefined, values: values(list) };
    if (!options.expected) return condition;
    const value = shape.struct(body, 'Value');
    const exists = shape.boolean(body, 'Exists');
    return { ...condition, ...(value !== undefined ? { value: values([value])![0]! } : {}), ...(exists !== undefined ? { exists } : {}) };
  });
}

function checkBetween(list: AttributeValue[]): void {
  if ((compareValues(list[0]!, list[1]!) ?? 0) > 0) {
    throw new DynamoValidationError('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
  }
}

function checkArityAndTypes(operator: ComparisonOperator, list: AttributeValue[], checkTypes: boolean): void {
  const arity = ARITY[operator];
  const valid = operator === 'IN' ? list.length >= 1 : list.length === arity;
  if (!valid) throw new DynamoValidationError(`${INVALID}Invalid number of argument(s) for the ${operator} ComparisonOperator`);
  if (list.length === 0) return;
  const type = Object.keys(list[0]!)[0];
  if (list.some((v) => Object.keys(v)[0] !== type)) throw new DynamoValidationError(`${INVALID}AttributeValues inside AttributeValueList must be of same type`);
  const allowed = OPERAND_TYPES[operator];
  if (checkTypes && allowed) {
    for (const v of list) {
      const t = Object.keys(v)[0]!;
      if (!allowed.includes(t)) throw new DynamoValidationError(`${INVALID}ComparisonOperator ${operator} is not valid for ${t} AttributeValue type`);
    }
  }
  if (operator === 'BETWEEN') checkBetween(list);
}

/** QueryFilter, ScanFilter and KeyConditions: every condition needs an operator and the right operands. */
export function checkConditions(conditions: LegacyCondition[] | undefined): void {
  for (const c of conditions ?? []) checkArityAndTypes(c.operator!, c.values ?? [], true);
}

/** Expected: either Value/Exists or ComparisonOperator with AttributeValueList (or Value), never both styles. */
export function checkExpected(expected: LegacyCondition[] | undefined): void {
  for (const c of expected ?? []) {
    const key = c.attribute;
    if (c.values !== undefined && c.value !== undefined) throw new DynamoValidationError(`${INVALID}Value and AttributeValueList cannot be used together for Attribute: ${key}`);
    if (c.operator !== undefined) {
      if (c.exists !== undefined) throw new DynamoValidationError(`${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: ${key}`);
      if (c.operator !== 'NULL' && c.operator !== 'NOT_NULL' && c.values === undefined && c.value === undefined) {
        throw new DynamoValidationError(`${INVALID}Value or AttributeValueList must be used with ComparisonOperator: ${c.operator} for Attribute: ${key}`);
      }
      checkArityAndTypes(c.operator, c.values ?? (c.value ? [c.value] : []), false);
    } else if (c.values !== undefined) {
      throw new DynamoValidationError(`${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: ${key}`);
    } else {
      const exists = c.exists ?? true;
      if (exists && c.value === undefined) {
        throw new DynamoValidationError(`${INVALID}Value must be provided when Exists is ${c.exists === undefined ? 'null' : String(c.exists)} for Attribute: ${key}`);
      }
      if (!exists && c.value !== undefined) throw new DynamoValidationError(`${INVALID}Value cannot be used when Exists is false for Attribute: ${key}`);
    }
  }
}

function operandValue(v: AttributeValue): Operand {
  return { kind: 'value', placeholder: ':legacy', value: v };
}

/** One attribute's condition in the expression language (EQ is =, NULL is attribute_not_exists, …). */
function translate(attribute: string, operator: ComparisonOperator, list: AttributeValue[]): Condition {
  const path: Operand = { kind: 'path', path: [attribute] };
  const [a, b] = list.map(operandValue);
  const fn = (name: string, ...args: Operand[]): Condition => ({ kind: 'function', name, args });
  const COMPARE: Partial<Record<ComparisonOperator, '=' | '<>' | '<' | '<=' | '>' | '>='>> = { EQ: '=', NE: '<>', LT: '<', LE: '<=', GT: '>', GE: '>=' };
  const op = COMPARE[operator];
  if (op) return { kind: 'compare', op, left: path, right: a! };
  switch (operator) {
    case 'NULL':
      return fn('attribute_not_exists', path);
    case 'NOT_NULL':
      return fn('attribute_exists', path);
    case 'CONTAINS':
      return fn('contains', path, a!);
    case 'NOT_CONTAINS':
      return { kind: 'not', operand: fn('contains', path, a!) };
    case 'BEGINS_WITH':
      return fn('begins_with', path, a!);
    case 'IN':
      return { kind: 'in', operand: path, list: list.map(operandValue) };
    default:
      return { kind: 'between', operand: path, low: a!, high: b! };
  }
}

/** The conditions joined by ConditionalOperator (AND unless OR); undefined when there are none. */
export function conditionOfLegacy(conditions: LegacyCondition[] | undefined, conditionalOperator: string | undefined): Condition | undefined {
  const parts = (conditions ?? []).map((c) => {
    if (c.operator !== undefined) return translate(c.attribute, c.operator, c.values ?? (c.value ? [c.value] : []));
    if (c.exists === false) return translate(c.attribute, 'NULL', []);
    return translate(c.attribute, 'EQ', [c.value!]);
  });
  if (parts.length === 0) return undefined;
  const kind = conditionalOperator === 'OR' ? 'or' : 'and';
  return parts.reduce((left, right) => ({ kind, left, right }));
}

/** KeyConditions: one or two conditions, none of them an operator no index can answer. */
export function checkKeyConditions(conditions: LegacyCondition[]): void {
  checkConditions(conditions);
  if (conditions.length !== 1 && conditions.length !== 2) throw new DynamoValidationError('Conditions can be of length 1 or 2 only');
  const unindexable: readonly string[] = ['NULL', 'NOT_NULL', 'NE', 'CONTAINS', 'NOT_CONTAINS', 'IN'];
  if (conditions.some((c) => unindexable.includes(c.operator!))) throw new DynamoValidationError('Attempted conditional constraint is not an indexable operation');
}

/** "QueryFilter can only contain non-primary key attributes: Primary key attribute: <k>". */
export function checkQueryFilterKeys(conditions: LegacyCondition[] | undefined, keyNames: readonly string[]): void {
  const key = (conditions ?? []).find((c) => keyNames.includes(c.attribute));
  if (key) throw new DynamoValidationError(`QueryFilter can only contain non-primary key attributes: Primary key attribute: ${key.attribute}`);
}
