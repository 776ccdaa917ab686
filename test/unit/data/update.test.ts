import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyUpdate, ExpressionContext, parseUpdate } from '../../../src/data/expressions/index.js';
import { type AttributeValue, DynamoValidationError, type Item } from '../../../src/data/types/index.js';

function ctx(names?: Record<string, string>, values?: Record<string, AttributeValue>): ExpressionContext {
  return ExpressionContext.create(names, values);
}

function rejects(expr: string, message: string, c = ctx()): void {
  assert.throws(() => parseUpdate(expr, c), (e: unknown) => {
    assert.ok(e instanceof DynamoValidationError);
    assert.equal(e.message, message);
    return true;
  });
}

function update(expr: string, item: Item, values?: Record<string, AttributeValue>, names?: Record<string, string>): Item {
  return applyUpdate(parseUpdate(expr, ctx(names, values)), item);
}

function updateFails(expr: string, item: Item, message: string, values?: Record<string, AttributeValue>): void {
  const ast = parseUpdate(expr, ctx(undefined, values));
  assert.throws(() => applyUpdate(ast, item), (e: unknown) => {
    assert.ok(e instanceof DynamoValidationError);
    assert.equal(e.message, message);
    return true;
  });
}

const V = { ':a': { S: 'a' }, ':b': { S: 'a' } };

// Messages: dynalite test/updateItem.js "UpdateExpression" validations (asserted against AWS).
test('syntax and empty expression', () => {
  rejects('', 'Invalid UpdateExpression: The expression can not be empty;');
  rejects('INVALID SYNTAX HERE', 'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"');
  rejects('ADD hits : incr', 'Invalid UpdateExpression: Syntax error; token: ":", near: "hits : incr"');
  rejects('SET a', 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "a"');
  rejects('SET a = :a,', 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: ","', ctx(undefined, { ':a': { S: 'a' } }));
  rejects('REMOVE set', 'Invalid UpdateExpression: Syntax error; token: "set", near: "REMOVE set"');
});

test('sections at most once', () => {
  rejects('SET a = :a SET b = :b', 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;', ctx(undefined, V));
  rejects('remove a ADD b :a remove c', 'Invalid UpdateExpression: The "REMOVE" section can only be used once in an update expression;', ctx(undefined, { ':a': { N: '1' } }));
});

test('reserved words, unknown functions, undefined placeholders', () => {
  rejects('SET a = :a, b = abOrT', 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: abOrT', ctx(undefined, { ':a': { S: 'a' } }));
  rejects('SET a = size(b)', 'Invalid UpdateExpression: Invalid function name; function: size');
  rejects('SET #c = :a', 'Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #c', ctx(undefined, { ':a': { S: 'a' } }));
  rejects('SET a = :c', 'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :c');
});

test('overlapping and conflicting paths', () => {
  rejects('SET a = :a REMOVE a', 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]', ctx(undefined, { ':a': { S: 'a' } }));
  rejects('REMOVE a.b, a.b.c', 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, b, c]');
  rejects('REMOVE a[3].b, a[3]', 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, [3], b], path two: [a, [3]]');
  rejects('REMOVE a.#d, a[3]', 'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [3]], path two: [a, [3]]', ctx({ '#d': '[3]' }));
});

test('operand types for ADD, DELETE, list_append, + and -, and function arity', () => {
  rejects('ADD a :a', 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING', ctx(undefined, { ':a': { S: 'a' } }));
  rejects('DELETE a :a', 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER', ctx(undefined, { ':a': { N: '1' } }));
  rejects('ADD a :a', 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: MAP', ctx(undefined, { ':a': { M: {} } }));
  rejects('SET a = list_append(:a, b)', 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S', ctx(undefined, { ':a': { S: 'a' } }));
  rejects('SET a = b + :a', 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S', ctx(undefined, { ':a': { S: 'a' } }));
  rejects('SET a = if_not_exists(b)', 'Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1');
  rejects('SET a = if_not_exists(:a, b)', 'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists', ctx(undefined, { ':a': { S: 'a' } }));
});

// Semantics: developer guide, "Update expressions".
test('SET values, arithmetic, if_not_exists, list_append, all against the old item', () => {
  const item: Item = { id: { S: 'k' }, n: { N: '5' }, l: { L: [{ N: '1' }] } };
  const out = update('SET n = n + :one, m = n - :half, x = if_not_exists(x, :zero), y = if_not_exists(n, :zero), l = list_append(l, :more), z = (n)',
    item, { ':one': { N: '1' }, ':half': { N: '0.5' }, ':zero': { N: '0' }, ':more': { L: [{ N: '2' }] } });
  assert.deepEqual(out, {
    id: { S: 'k' }, n: { N: '6' }, m: { N: '4.5' }, x: { N: '0' }, y: { N: '5' }, l: { L: [{ N: '1' }, { N: '2' }] }, z: { N: '5' },
  });
  assert.deepEqual(item.n, { N: '5' }, 'input item is not modified');
});

test('SET nested paths and list indexes; past the end appends', () => {
  const item: Item = { m: { M: { a: { S: 'x' } } }, l: { L: [{ S: 'a' }, { S: 'b' }] } };
  const out = update('SET m.b = :v, l[1] = :v, l[10] = :w', item, { ':v': { S: 'v' }, ':w': { S: 'w' } });
  assert.deepEqual(out, { m: { M: { a: { S: 'x' }, b: { S: 'v' } } }, l: { L: [{ S: 'a' }, { S: 'v' }, { S: 'w' }] } });
});

test('REMOVE attributes and list elements by their original indexes', () => {
  const item: Item = { a: { S: 'x' }, l: { L: [{ N: '0' }, { N: '1' }, { N: '2' }, { N: '3' }] }, m: { M: { k: { S: 'v' } } } };
  assert.deepEqual(update('REMOVE a, l[1], l[2], m.k, nothere', item), { l: { L: [{ N: '0' }, { N: '3' }] }, m: { M: {} } });
});

test('ADD numbers and sets; DELETE from sets', () => {
  const item: Item = { n: { N: '1.5' }, ss: { SS: ['a', 'b'] }, ns: { NS: ['1'] } };
  assert.deepEqual(update('ADD n :n, ss :ss, newn :n, newss :ss', item, { ':n': { N: '2' }, ':ss': { SS: ['b', 'c'] } }),
    { n: { N: '3.5' }, ss: { SS: ['a', 'b', 'c'] }, ns: { NS: ['1'] }, newn: { N: '2' }, newss: { SS: ['b', 'c'] } });
  assert.deepEqual(update('DELETE ss :ss, ns :ns, absent :ss', item, { ':ss': { SS: ['a'] }, ':ns': { NS: ['1.0'] } }),
    { n: { N: '1.5' }, ss: { SS: ['b'] } });
});

// Runtime messages: dynalite actions/updateItem.js (asserted against AWS in test/updateItem.js).
test('runtime errors', () => {
  const item: Item = { s: { S: 'x' }, n: { N: '1' }, m: { M: {} } };
  updateFails('SET a = s + :one', item, 'An operand in the update expression has an incorrect data type', { ':one': { N: '1' } });
  updateFails('SET a = list_append(n, :l)', item, 'An operand in the update expression has an incorrect data type', { ':l': { L: [] } });
  updateFails('ADD s :one', item, 'An operand in the update expression has an incorrect data type', { ':one': { N: '1' } });
  updateFails('DELETE n :ss', item, 'An operand in the update expression has an incorrect data type', { ':ss': { SS: ['a'] } });
  updateFails('SET a = nothere', item, 'The provided expression refers to an attribute that does not exist in the item');
  updateFails('SET x.y = :one', item, 'The document path provided in the update expression is invalid for update', { ':one': { N: '1' } });
  updateFails('SET m[0] = :one', item, 'The document path provided in the update expression is invalid for update', { ':one': { N: '1' } });
  updateFails('SET n = n + :big', item, 'Attempting to store more than 38 significant digits in a Number', { ':big': { N: '0.12345678901234567890123456789012345678' } });
});
