import { type AttributeValue, type Item, payloadOf, typeOf } from '../types/attribute-value.js';
import { attributeValuesEqual, compareValues, setContains } from '../types/compare.js';
import { DynamoValidationError } from '../types/errors.js';
import { addNumbers, subtractNumbers } from '../types/numbers.js';
import type { Condition, DocumentPath, Operand, UpdateExpression, UpdateValue } from './ast.js';

// Semantics: developer guide, "Comparison operator and function reference" and "Update expressions". A comparison
// between different types (or with a missing attribute) is false, not an error. Runtime update messages: architect/
// dynalite actions/updateItem.js, asserted against DynamoDB in test/updateItem.js.
export const UPDATE_MESSAGES = {
  incorrectType: 'An operand in the update expression has an incorrect data type',
  invalidPath: 'The document path provided in the update expression is invalid for update',
  missingAttribute: 'The provided expression refers to an attribute that does not exist in the item',
} as const;

/** The value at a document path, or undefined. */
export function resolvePath(path: DocumentPath, item: Item): AttributeValue | undefined {
  let current: AttributeValue | undefined = item[path[0] as string];
  if (typeof path[0] !== 'string' || !Object.prototype.hasOwnProperty.call(item, path[0])) return undefined;
  for (let i = 1; i < path.length && current !== undefined; i++) {
    const p = path[i];
    if (typeof p === 'number') current = 'L' in current ? current.L[p] : undefined;
    else current = 'M' in current && Object.prototype.hasOwnProperty.call(current.M, p) ? current.M[p] : undefined;
  }
  return current;
}

function sizeOf(v: AttributeValue | undefined): AttributeValue | undefined {
  if (!v) return undefined;
  const p = payloadOf(v);
  switch (typeOf(v)) {
    case 'S':
      return { N: String((p as string).length) };
    case 'B':
      return { N: String(Buffer.from(p as string, 'base64').length) };
    case 'SS':
    case 'NS':
    case 'BS':
    case 'L':
      return { N: String((p as unknown[]).length) };
    case 'M':
      return { N: String(Object.keys(p as object).length) };
    default:
      return undefined;
  }
}

function operandValue(op: Operand, item: Item): AttributeValue | undefined {
  if (op.kind === 'path') return resolvePath(op.path, item);
  if (op.kind === 'value') return op.value;
  if (op.name === 'size') return sizeOf(operandValue(op.args[0], item));
  return undefined;
}

function contains(haystack: AttributeValue | undefined, needle: AttributeValue | undefined): boolean {
  if (!haystack || !needle) return false;
  const nt = typeOf(needle);
  const np = payloadOf(needle);
  if ('S' in haystack) return nt === 'S' && haystack.S.includes(np as string);
  if ('B' in haystack) return nt === 'B' && Buffer.from(haystack.B, 'base64').includes(Buffer.from(np as string, 'base64'));
  if ('SS' in haystack) return nt === 'S' && setContains('SS', haystack.SS, np as string);
  if ('NS' in haystack) return nt === 'N' && setContains('NS', haystack.NS, np as string);
  if ('BS' in haystack) return nt === 'B' && setContains('BS', haystack.BS, np as string);
  if ('L' in haystack) return haystack.L.some((e) => attributeValuesEqual(e, needle));
  return false;
}

function beginsWith(v: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean {
  if (!v || !prefix) return false;
  if ('S' in v && 'S' in prefix) return v.S.startsWith(prefix.S);
  if ('B' in v && 'B' in prefix) {
    const a = Buffer.from(v.B, 'base64');
    const b = Buffer.from(prefix.B, 'base64');
    return a.length >= b.length && a.subarray(0, b.length).equals(b);
  }
  return false;
}

/** Evaluates a parsed condition or filter against an item (undefined item = no item). */
export function evaluateCondition(condition: Condition, item: Item | undefined): boolean {
  const it = item ?? {};
  switch (condition.kind) {
    case 'and':
      return evaluateCondition(condition.left, it) && evaluateCondition(condition.right, it);
    case 'or':
      return evaluateCondition(condition.left, it) || evaluateCondition(condition.right, it);
    case 'not':
      return !evaluateCondition(condition.operand, it);
    case 'compare': {
      const a = operandValue(condition.left, it);
      const b = operandValue(condition.right, it);
      if (condition.op === '=') return !!a && !!b && attributeValuesEqual(a, b);
      if (condition.op === '<>') return !(a && b ? attributeValuesEqual(a, b) : !a && !b);
      if (!a || !b) return false;
      const c = compareValues(a, b);
      if (c === undefined) return false;
      switch (condition.op) {
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '>=':
          return c >= 0;
      }
      return false;
    }
    case 'between': {
      const v = operandValue(condition.operand, it);
      const lo = operandValue(condition.low, it);
      const hi = operandValue(condition.high, it);
      if (!v || !lo || !hi) return false;
      const c1 = compareValues(v, lo);
      const c2 = compareValues(v, hi);
      return c1 !== undefined && c2 !== undefined && c1 >= 0 && c2 <= 0;
    }
    case 'in': {
      const v = operandValue(condition.operand, it);
      return !!v && condition.list.some((o) => {
        const w = operandValue(o, it);
        return !!w && attributeValuesEqual(v, w);
      });
    }
    case 'function': {
      const [a0, a1] = condition.args;
      switch (condition.name) {
        case 'attribute_exists':
          return operandValue(a0, it) !== undefined;
        case 'attribute_not_exists':
          return operandValue(a0, it) === undefined;
        case 'attribute_type': {
          const v = operandValue(a0, it);
          const t = operandValue(a1, it);
          return !!v && !!t && 'S' in t && typeOf(v) === t.S;
        }
        case 'begins_with':
          return beginsWith(operandValue(a0, it), operandValue(a1, it));
        case 'contains':
          return contains(operandValue(a0, it), operandValue(a1, it));
      }
      return false;
    }
  }
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function updateOperand(op: Operand, item: Item): AttributeValue {
  if (op.kind === 'value') return op.value;
  if (op.kind === 'path') {
    const v = resolvePath(op.path, item);
    if (v === undefined) throw new DynamoValidationError(UPDATE_MESSAGES.missingAttribute);
    return v;
  }
  if (op.name === 'if_not_exists') {
    const first = op.args[0];
    const existing = first.kind === 'path' ? resolvePath(first.path, item) : undefined;
    return existing ?? updateOperand(op.args[1], item);
  }
  if (op.name === 'list_append') {
    const a = updateOperand(op.args[0], item);
    if (!('L' in a)) throw new DynamoValidationError(UPDATE_MESSAGES.incorrectType);
    const b = updateOperand(op.args[1], item);
    if (!('L' in b)) throw new DynamoValidationError(UPDATE_MESSAGES.incorrectType);
    return { L: [...a.L, ...b.L] };
  }
  throw new DynamoValidationError(`Invalid function name; function: ${op.name}`);
}

function updateValue(v: UpdateValue, item: Item): AttributeValue {
  if (v.kind !== 'arithmetic') return updateOperand(v, item);
  const a = updateOperand(v.left, item);
  if (!('N' in a)) throw new DynamoValidationError(UPDATE_MESSAGES.incorrectType);
  const b = updateOperand(v.right, item);
  if (!('N' in b)) throw new DynamoValidationError(UPDATE_MESSAGES.incorrectType);
  return { N: v.op === '+' ? addNumbers(a.N, b.N) : subtractNumbers(a.N, b.N) };
}

type Parent = { map: Record<string, AttributeValue> } | { list: AttributeValue[] };

function parentOf(path: DocumentPath, root: Item): Parent {
  const last = path[path.length - 1];
  if (path.length === 1) return { map: root };
  const container = resolvePath(path.slice(0, -1), root);
  if (container && typeof last === 'number' && 'L' in container) return { list: container.L };
  if (container && typeof last === 'string' && 'M' in container) return { map: container.M };
  throw new DynamoValidationError(UPDATE_MESSAGES.invalidPath);
}

function getChild(parent: Parent, key: string | number): AttributeValue | undefined {
  if ('map' in parent) return Object.prototype.hasOwnProperty.call(parent.map, key) ? parent.map[key as string] : undefined;
  return parent.list[key as number];
}

function setChild(parent: Parent, key: string | number, value: AttributeValue): void {
  if ('map' in parent) parent.map[key as string] = value;
  else if ((key as number) < parent.list.length) parent.list[key as number] = value;
  else parent.list.push(value); // DynamoDB appends when the index is past the end of the list
}

function setOp(type: 'SS' | 'NS' | 'BS', existing: string[], operand: string[], union: boolean): string[] {
  if (union) return [...existing, ...operand.filter((x) => !setContains(type, existing, x))];
  return existing.filter((x) => !setContains(type, operand, x));
}

/**
 * Applies a parsed UpdateExpression and returns the new item (the input is not modified). Every SET value is
 * evaluated against the item as it was before the update, as DynamoDB does.
 */
export function applyUpdate(update: UpdateExpression, item: Item): Item {
  const values = update.actions.map((a) => (a.kind === 'set' ? updateValue(a.value, item) : undefined));
  const result = clone(item);
  const removals = new Map<AttributeValue[], number[]>();
  update.actions.forEach((action, i) => {
    const parent = parentOf(action.path, result);
    const key = action.path[action.path.length - 1];
    const existing = getChild(parent, key);
    switch (action.kind) {
      case 'set':
        setChild(parent, key, clone(values[i] as AttributeValue));
        break;
      case 'remove':
        if ('map' in parent) delete parent.map[key as string];
        else if ((key as number) < parent.list.length) removals.set(parent.list, [...(removals.get(parent.list) ?? []), key as number]);
        break;
      case 'add': {
        const type = typeOf(action.value);
        if (existing === undefined) {
          setChild(parent, key, clone(action.value));
        } else if (typeOf(existing) !== type) {
          throw new DynamoValidationError(UPDATE_MESSAGES.incorrectType);
        } else if ('N' in existing) {
          setChild(parent, key, { N: addNumbers(existing.N, (action.value as { N: string }).N) });
        } else {
          const t = type as 'SS' | 'NS' | 'BS';
          setChild(parent, key, { [t]: setOp(t, payloadOf(existing) as string[], payloadOf(action.value) as string[], true) } as AttributeValue);
        }
        break;
      }
      case 'delete': {
        if (existing === undefined) break;
        const type = typeOf(action.value) as 'SS' | 'NS' | 'BS';
        if (typeOf(existing) !== type) throw new DynamoValidationError(UPDATE_MESSAGES.incorrectType);
        const remaining = setOp(type, payloadOf(existing) as string[], payloadOf(action.value) as string[], false);
        if (remaining.length > 0) setChild(parent, key, { [type]: remaining } as AttributeValue);
        else if ('map' in parent) delete parent.map[key as string];
        else removals.set(parent.list, [...(removals.get(parent.list) ?? []), key as number]);
        break;
      }
    }
  });
  for (const [list, indexes] of removals) {
    for (const ix of [...new Set(indexes)].sort((a, b) => b - a)) list.splice(ix, 1);
  }
  return result;
}

type Container = { M: Record<string, AttributeValue> } | { L: AttributeValue[] };

/** Applies a ProjectionExpression: only the given paths, nested structure kept, list elements compacted. */
export function project(paths: DocumentPath[], item: Item): Item {
  const out: Item = {};
  const created = new Set<AttributeValue[]>();
  for (const path of paths) {
    const value = resolvePath(path, item);
    if (value === undefined) continue;
    let container = { M: out } as Container;
    for (let i = 0; i < path.length; i++) {
      const key = path[i];
      const last = i === path.length - 1;
      const next = path[i + 1];
      const existing: AttributeValue | undefined =
        'M' in container ? container.M[key as string] : container.L[key as number];
      let child: AttributeValue;
      if (last) child = clone(value);
      else if (existing && (typeof next === 'number' ? 'L' in existing : 'M' in existing)) child = existing;
      else {
        if (typeof next === 'number') {
          const list: AttributeValue[] = [];
          created.add(list);
          child = { L: list };
        } else {
          child = { M: {} };
        }
      }
      if ('M' in container) container.M[key as string] = child;
      else container.L[key as number] = child;
      if (!last) container = child as Container;
    }
  }
  // Sparse lists built from indexes become dense, in index order, as DynamoDB returns them.
  const compact = (v: AttributeValue): void => {
    if ('M' in v) Object.values(v.M).forEach(compact);
    const list = (v as { L?: AttributeValue[] }).L;
    if (list && created.has(list)) {
      const dense = list.filter((e) => e !== undefined);
      list.length = 0;
      list.push(...dense);
      list.forEach(compact);
    }
  };
  Object.values(out).forEach(compact);
  return out;
}
