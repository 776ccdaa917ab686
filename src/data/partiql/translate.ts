// PartiQL → the expression language's ASTs, so that PartiQL statements are evaluated and applied by the same code as
// ConditionExpression, FilterExpression and UpdateExpression (expressions/evaluate.ts). Mapping: developer guide,
// "PartiQL functions" (begins_with, contains, attribute_type, exists/missing, size) and "PartiQL operators"
// (comparisons, BETWEEN, IN, IS [NOT] MISSING | NULL | <type>); SET with + and -, list_append, if_not_exists,
// set_add and set_delete; REMOVE.
import type { Condition, DocumentPath, Operand, UpdateAction, UpdateExpression, UpdateValue } from '../expressions/ast.js';
import type { TableInfo } from '../storage/storage.js';
import type { AttributeValue, Item } from '../types/attribute-value.js';
import { DynamoValidationError } from '../types/errors.js';
import type { Assignment, Expr, Predicate } from './ast.js';
import { PARTIQL_MESSAGES } from './messages.js';

const CONDITION_FUNCTIONS = new Set(['begins_with', 'contains', 'attribute_type', 'attribute_exists', 'attribute_not_exists']);
const UPDATE_FUNCTIONS = new Set(['list_append', 'if_not_exists']);
/** IS <type>: PartiQL's type names → DynamoDB's. */
const IS_TYPES: Readonly<Record<string, string>> = { BOOLEAN: 'BOOL', STRING: 'S', NUMERIC: 'N', LIST: 'L', STRUCT: 'M', TUPLE: 'M', BLOB: 'B' };
const SUPPORTED_IS = '[MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]';

function value(v: AttributeValue): Operand {
  return { kind: 'value', placeholder: '?', value: v };
}

function fn(name: string, ...args: Operand[]): Condition {
  return { kind: 'function', name, args };
}

/** An operand of a condition: a path, a value or size(path). MISSING only works with IS. */
export function operandOf(expr: Expr): Operand {
  switch (expr.kind) {
    case 'path':
      return { kind: 'path', path: expr.path };
    case 'value':
      return value(expr.value);
    case 'missing':
      throw new DynamoValidationError(PARTIQL_MESSAGES.missingLiteral);
    case 'call':
      if (expr.name !== 'size' && !UPDATE_FUNCTIONS.has(expr.name)) throw new DynamoValidationError(PARTIQL_MESSAGES.unrecognizedFunction(expr.name));
      return { kind: 'function', name: expr.name, args: expr.args.map(operandOf) };
    case 'arithmetic':
      throw new DynamoValidationError(PARTIQL_MESSAGES.conditionOperator(expr.op));
  }
}

function isPredicate(p: Extract<Predicate, { kind: 'is' }>): Condition {
  const operand = operandOf(p.operand);
  let condition: Condition;
  if (p.type === 'MISSING') condition = fn('attribute_not_exists', operand);
  else if (p.type === 'NULL') condition = { kind: 'or', left: fn('attribute_not_exists', operand), right: fn('attribute_type', operand, value({ S: 'NULL' })) };
  else if (IS_TYPES[p.type]) condition = fn('attribute_type', operand, value({ S: IS_TYPES[p.type]! }));
  else throw new DynamoValidationError(`Unsupported data type for IS operator: ${p.type}. Supported data types are ${SUPPORTED_IS}`);
  return p.negated ? { kind: 'not', operand: condition } : condition;
}

/** A WHERE clause as a condition of the expression language. */
export function conditionOf(p: Predicate): Condition {
  switch (p.kind) {
    case 'and':
    case 'or':
      return { kind: p.kind, left: conditionOf(p.left), right: conditionOf(p.right) };
    case 'not':
      return { kind: 'not', operand: conditionOf(p.operand) };
    case 'compare':
      return { kind: 'compare', op: p.op, left: operandOf(p.left), right: operandOf(p.right) };
    case 'between':
      return { kind: 'between', operand: operandOf(p.operand), low: operandOf(p.low), high: operandOf(p.high) };
    case 'in':
      return { kind: 'in', operand: operandOf(p.operand), list: p.list.map(operandOf) };
    case 'is':
      return isPredicate(p);
    case 'call':
      if (!CONDITION_FUNCTIONS.has(p.name)) throw new DynamoValidationError(PARTIQL_MESSAGES.unrecognizedFunction(p.name));
      return fn(p.name, ...p.args.map(operandOf));
  }
}

/** `attr = value` conjuncts at the top level of a WHERE clause (either side may hold the name). */
export function equalities(p: Predicate | undefined, out = new Map<string, AttributeValue>()): Map<string, AttributeValue> {
  if (!p) return out;
  if (p.kind === 'and') {
    equalities(p.left, out);
    equalities(p.right, out);
  } else if (p.kind === 'compare' && p.op === '=') {
    const [path, v] = p.left.kind === 'path' ? [p.left, p.right] : [p.right, p.left];
    if (path.kind === 'path' && path.path.length === 1 && v.kind === 'value' && !out.has(path.path[0] as string)) out.set(path.path[0] as string, v.value);
  }
  return out;
}

/** The full primary key named by a WHERE clause's equalities, or undefined when one key attribute has none. */
export function keyFromWhere(table: TableInfo, where: Predicate | undefined): Item | undefined {
  const eq = equalities(where);
  const key: Item = {};
  for (const attr of [table.keySchema.partitionKey, ...(table.keySchema.sortKey ? [table.keySchema.sortKey] : [])]) {
    const v = eq.get(attr.name);
    if (v === undefined) return undefined;
    if (Object.keys(v)[0] !== attr.type) throw new DynamoValidationError(PARTIQL_MESSAGES.keyType(attr.name));
    key[attr.name] = v;
  }
  return key;
}

function updateValue(expr: Expr): UpdateValue {
  if (expr.kind === 'arithmetic') return { kind: 'arithmetic', op: expr.op, left: operandOf(expr.left), right: operandOf(expr.right) };
  return operandOf(expr);
}

function samePath(a: DocumentPath, b: Expr | undefined): boolean {
  return b?.kind === 'path' && b.path.length === a.length && b.path.every((p, i) => p === a[i]);
}

/** SET a = set_add(a, <<…>>) / set_delete(a, <<…>>) are ADD and DELETE of the expression language. */
function setOperation(path: DocumentPath, call: Extract<Expr, { kind: 'call' }>): UpdateAction {
  const op = call.name === 'set_add' ? 'ADD' : 'DELETE';
  if (call.args.length !== 2) throw new DynamoValidationError(`SET_${op} must have exactly two arguments`);
  if (!samePath(path, call.args[0])) throw new DynamoValidationError(`The first argument to SET_${op} must equal the assignment value`);
  const operand = call.args[1]!;
  const isSet = operand.kind === 'value' && ('SS' in operand.value || 'NS' in operand.value || 'BS' in operand.value);
  if (!isSet) throw new DynamoValidationError(`The second argument to SET_${op} must be a value with type SET`);
  return { kind: op === 'ADD' ? 'add' : 'delete', path, value: (operand as { value: AttributeValue }).value };
}

/** UPDATE's SET and REMOVE clauses as an UpdateExpression. */
export function updateOf(assignments: Assignment[]): UpdateExpression {
  return {
    actions: assignments.map((a): UpdateAction => {
      if (a.kind === 'remove') return { kind: 'remove', path: a.path };
      if (a.value.kind === 'call' && (a.value.name === 'set_add' || a.value.name === 'set_delete')) return setOperation(a.path, a.value);
      return { kind: 'set', path: a.path, value: updateValue(a.value) };
    }),
  };
}
