import type { AttributeValue } from '../types/attribute-value.js';
import { DynamoValidationError } from '../types/errors.js';
import type { Condition, Operand } from './ast.js';

// Messages: architect/dynalite validations/index.js (checkExpr, "Invalid KeyConditionExpression: …") and
// actions/query.js ("Query condition missed key schema element: …", "Query key condition not supported"), asserted
// against DynamoDB in test/query.js. Allowed forms: developer guide, "Key condition expressions for Query".

export interface KeySchema {
  readonly partitionKey: string;
  readonly sortKey?: string;
}

export type SortKeyOperator = 'EQ' | 'LT' | 'LE' | 'GT' | 'GE' | 'BETWEEN' | 'BEGINS_WITH';

export interface KeyConditionResult {
  readonly partition: { readonly name: string; readonly value: AttributeValue };
  readonly sort?: { readonly name: string; readonly operator: SortKeyOperator; readonly values: AttributeValue[] };
}

interface Simple {
  name: string;
  operator: SortKeyOperator;
  values: AttributeValue[];
}

const FLIP: Record<string, SortKeyOperator> = { '=': 'EQ', '<': 'GT', '<=': 'GE', '>': 'LT', '>=': 'LE' };
const DIRECT: Record<string, SortKeyOperator> = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' };

function invalid(message: string): never {
  throw new DynamoValidationError(`Invalid KeyConditionExpression: ${message}`);
}

function flatten(c: Condition, out: Simple[]): void {
  switch (c.kind) {
    case 'and':
      flatten(c.left, out);
      flatten(c.right, out);
      return;
    case 'or':
    case 'not':
    case 'in':
      invalid(`Invalid operator used in KeyConditionExpression: ${c.kind.toUpperCase()}`);
      break;
    case 'compare':
      if (c.op === '<>') invalid('Invalid operator used in KeyConditionExpression: <>');
      break;
    case 'function':
      if (c.name !== 'begins_with') invalid(`Invalid operator used in KeyConditionExpression: ${c.name}`);
      break;
  }
  const operands: Operand[] =
    c.kind === 'compare' ? [c.left, c.right] : c.kind === 'between' ? [c.operand, c.low, c.high] : c.kind === 'function' ? c.args : [];
  if (operands.some((o) => o.kind === 'function')) invalid('KeyConditionExpressions cannot contain nested operations');
  if ((c.kind === 'between' || c.kind === 'function') && operands[0].kind !== 'path') {
    const name = c.kind === 'between' ? 'BETWEEN' : 'begins_with';
    invalid(`Invalid condition in KeyConditionExpression: ${name} operator must have the key attribute as its first operand`);
  }
  const pathIndexes = operands.map((o, i) => (o.kind === 'path' ? i : -1)).filter((i) => i >= 0);
  if (pathIndexes.length > 1) invalid('Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition');
  if (pathIndexes.length === 0) invalid('Invalid condition in KeyConditionExpression: No key attribute specified');
  const ix = pathIndexes[0];
  const pathOp = operands[ix] as { kind: 'path'; path: (string | number)[] };
  if (pathOp.path.length > 1) invalid('KeyConditionExpressions cannot have conditions on nested attributes');
  const name = pathOp.path[0] as string;
  if (out.some((s) => s.name === name)) invalid('KeyConditionExpressions must only contain one condition per key');
  const values = operands.filter((_, i) => i !== ix).map((o) => (o as { value: AttributeValue }).value);
  let operator: SortKeyOperator;
  if (c.kind === 'between') operator = 'BETWEEN';
  else if (c.kind === 'function') operator = 'BEGINS_WITH';
  else operator = ix === 0 ? DIRECT[(c as { op: string }).op] : FLIP[(c as { op: string }).op];
  out.push({ name, operator, values });
}

/** Checks a parsed KeyConditionExpression against the table's (or index's) key schema. */
export function keyCondition(condition: Condition, schema: KeySchema): KeyConditionResult {
  const conds: Simple[] = [];
  flatten(condition, conds);
  const byName = new Map(conds.map((c) => [c.name, c]));
  if (!schema.sortKey && conds.length > 1) throw new DynamoValidationError('Query key condition not supported');
  const hash = byName.get(schema.partitionKey);
  if (!hash) throw new DynamoValidationError(`Query condition missed key schema element: ${schema.partitionKey}`);
  if (hash.operator !== 'EQ') throw new DynamoValidationError('Query key condition not supported');
  let sort: KeyConditionResult['sort'];
  if (conds.length > 1) {
    const range = schema.sortKey ? byName.get(schema.sortKey) : undefined;
    if (!range) throw new DynamoValidationError(`Query condition missed key schema element: ${schema.sortKey}`);
    sort = { name: range.name, operator: range.operator, values: range.values };
  }
  return { partition: { name: hash.name, value: hash.values[0] }, ...(sort ? { sort } : {}) };
}
