import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExpressionContext, evaluateCondition, parseCondition, type ExpressionKind } from '../../../src/data/expressions/index.js';
import { type AttributeValue, DynamoValidationError, type Item } from '../../../src/data/types/index.js';

function ctx(names?: Record<string, string>, values?: Record<string, AttributeValue>): ExpressionContext {
  return ExpressionContext.create(names, values);
}

function rejects(expr: string, message: string, c = ctx(), kind: ExpressionKind = 'FilterExpression'): void {
  assert.throws(() => parseCondition(expr, c, kind), (e: unknown) => {
    assert.ok(e instanceof DynamoValidationError);
    assert.equal(e.message, message);
    return true;
  });
}

function holds(expr: string, item: Item | undefined, values: Record<string, AttributeValue> = {}, names?: Record<string, string>): boolean {
  const c = ctx(names, Object.keys(values).length ? values : undefined);
  return evaluateCondition(parseCondition(expr, c), item);
}

// Syntax errors: DynamoDB's format `Syntax error; token: "<tok>", near: "<prev tok next>"` from captured AWS
// responses (aws/aws-cdk#7591 "ADD hits : incr" → token ":", near "hits : incr"; nubo-db/dynoxide#12).
test('syntax errors name the token and its neighbourhood', () => {
  rejects('a = b c', 'Invalid FilterExpression: Syntax error; token: "c", near: "b c"');
  rejects('a = ', 'Invalid FilterExpression: Syntax error; token: "<EOF>", near: "="');
  rejects('a == b', 'Invalid FilterExpression: Syntax error; token: "=", near: "== b"');
  rejects('a = b AND', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"', ctx(), 'ConditionExpression');
  rejects('a-b = c', 'Invalid FilterExpression: Syntax error; token: "-", near: "a-b"');
  rejects('(size(a))[0] > a', 'Invalid FilterExpression: Syntax error; token: "[", near: ")[0"');
  rejects('a = : b', 'Invalid FilterExpression: Syntax error; token: ":", near: "= : b"');
});

// Messages from dynalite test/scan.js (FilterExpression validations, run against AWS with REMOTE=1).
test('empty and oversized expressions', () => {
  rejects('', 'Invalid FilterExpression: The expression can not be empty;');
  rejects('', 'Invalid ConditionExpression: The expression can not be empty;', ctx(), 'ConditionExpression');
  const long = Array.from({ length: 800 }, (_, i) => `a${i} = b`).join(' OR ');
  rejects(long, `Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: ${Buffer.byteLength(long)}`);
});

test('operator count limit (300)', () => {
  const many = Array.from({ length: 151 }, () => 'a = b').join(' OR ');
  rejects(many, 'Invalid FilterExpression: The expression contains too many operators; operator count: 301');
  const ok = Array.from({ length: 150 }, () => 'a = b').join(' OR ');
  assert.doesNotThrow(() => parseCondition(ok, ctx()));
});

test('redundant parentheses', () => {
  rejects('((a=a))', 'Invalid FilterExpression: The expression has redundant parentheses;');
  rejects('a=a OR ((a=a OR (a=a OR a=a)))', 'Invalid FilterExpression: The expression has redundant parentheses;');
  rejects('((a)) = b', 'Invalid FilterExpression: The expression has redundant parentheses;');
  assert.doesNotThrow(() => parseCondition('(a) = (b) AND (c = d)', ctx()));
});

test('unknown and misused functions', () => {
  rejects('attRIbute_exIsts((views), #a)', 'Invalid FilterExpression: Invalid function name; function: attRIbute_exIsts');
  rejects('a in (b, attribute_exists(things))', 'Invalid FilterExpression: The function is not allowed to be used this way in an expression; function: attribute_exists');
  rejects('size(a)', 'Invalid FilterExpression: The function is not allowed to be used this way in an expression; function: size');
  rejects('size(things, a) > b', 'Invalid FilterExpression: Incorrect number of operands for operator or function; operator or function: size, number of operands: 2');
  rejects('attribute_exists(:a)', 'Invalid FilterExpression: Operator or function requires a document path; operator or function: attribute_exists', ctx(undefined, { ':a': { S: 'a' } }));
  rejects('begins_with(a, :n)', 'Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N', ctx(undefined, { ':n': { N: '1' } }));
  rejects('size(:n) > a', 'Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N', ctx(undefined, { ':n': { N: '1' } }));
  rejects('attribute_type(a, :t)', 'Invalid FilterExpression: Invalid attribute type name found; type: X, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}', ctx(undefined, { ':t': { S: 'X' } }));
  rejects('attribute_type(a, :t)', 'Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N', ctx(undefined, { ':t': { N: '1' } }));
});

test('reserved words and undefined placeholders', () => {
  rejects(':a < abOrT', 'Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: abOrT', ctx(undefined, { ':a': { S: 'a' } }));
  rejects('a.#b = c', 'Invalid FilterExpression: An expression attribute name used in the document path is not defined; attribute name: #b');
  rejects(':_ > a', 'Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :_');
  rejects('(a)between(b.c[45].#d)and(:a)', 'Invalid FilterExpression: An expression attribute name used in the document path is not defined; attribute name: #d', ctx(undefined, { ':a': { S: 'a' } }));
});

test('distinct operands and BETWEEN bounds', () => {
  rejects('a.b = a.b', 'Invalid FilterExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a, b]');
  rejects('contains(a[1], a[1])', 'Invalid FilterExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [a, [1]]');
  rejects('a BETWEEN :x AND :y', 'Invalid FilterExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}',
    ctx(undefined, { ':x': { N: '1' }, ':y': { S: 'a' } }));
  rejects('a BETWEEN :x AND :y', 'Invalid FilterExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:9}',
    ctx(undefined, { ':x': { N: '10' }, ':y': { N: '9' } }));
});

// Messages: dynalite validations/index.js validateExpressions, asserted in test/scan.js and test/query.js.
test('ExpressionAttributeNames/Values checks and unused placeholders', () => {
  const bad = (fn: () => unknown, message: string) => assert.throws(fn, { message });
  bad(() => ExpressionContext.create({}), 'ExpressionAttributeNames must not be empty');
  bad(() => ExpressionContext.create(undefined, {}), 'ExpressionAttributeValues must not be empty');
  bad(() => ExpressionContext.create({ a: 'a' }), 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"');
  bad(() => ExpressionContext.create(undefined, { b: { S: 'a' } }), 'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"');
  bad(() => ExpressionContext.create(undefined, { ':b': { SS: [] } }),
    'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :b');
  const c = ctx({ '#a': 'a', '#b': 'b' }, { ':x': { S: 'x' }, ':y': { S: 'y' } });
  parseCondition('#a = :x', c);
  bad(() => c.assertAllUsed(), 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}');
  const d = ctx({ '#a': 'a' }, { ':x': { S: 'x' }, ':y': { S: 'y' } });
  parseCondition('#a = :x', d);
  bad(() => d.assertAllUsed(), 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:y}');
  parseCondition('a = :y', d);
  assert.doesNotThrow(() => d.assertAllUsed());
});

test('placeholders resolve; keywords are case-insensitive', () => {
  const cond = parseCondition('#n.#m[2] = :v aNd NOT (x <> :v)', ctx({ '#n': 'name', '#m': 'list' }, { ':v': { N: '5' } }));
  assert.equal(cond.kind, 'and');
  assert.ok(evaluateCondition(cond, { name: { M: { list: { L: [{ N: '1' }, { N: '2' }, { N: '5.0' }] } } }, x: { N: '5' } }));
});

// Semantics: developer guide, "Comparison operator and function reference".
test('comparisons: different types or missing attributes are false, not errors', () => {
  const item: Item = { s: { S: 'abc' }, n: { N: '10' } };
  assert.equal(holds('s < :n', item, { ':n': { N: '1' } }), false);
  assert.equal(holds('s > :n', item, { ':n': { N: '1' } }), false);
  assert.equal(holds('s = :n', item, { ':n': { N: '1' } }), false);
  assert.equal(holds('s <> :n', item, { ':n': { N: '1' } }), true);
  assert.equal(holds('zz <> :n', item, { ':n': { N: '1' } }), true);
  assert.equal(holds('zz < :n', item, { ':n': { N: '1' } }), false);
  assert.equal(holds('n > :n', item, { ':n': { N: '9.99' } }), true);
  assert.equal(holds('n >= :n', item, { ':n': { N: '10.0' } }), true);
  assert.equal(holds('n < :n', item, { ':n': { N: '10.0' } }), false);
  assert.equal(holds('s <= :s', item, { ':s': { S: 'abd' } }), true);
  assert.equal(holds('n BETWEEN :a AND :b', item, { ':a': { N: '10' }, ':b': { N: '11' } }), true);
  assert.equal(holds('n BETWEEN :a AND :b', item, { ':a': { N: '11' }, ':b': { N: '12' } }), false);
  assert.equal(holds('s BETWEEN :a AND :b', item, { ':a': { N: '1' }, ':b': { N: '12' } }), false);
  assert.equal(holds('n IN (:a, :b)', item, { ':a': { S: '10' }, ':b': { N: '10' } }), true);
  assert.equal(holds('n IN (:a)', item, { ':a': { S: '10' } }), false);
  assert.equal(holds('NOT n = :a', item, { ':a': { N: '10' } }), false);
  assert.equal(holds('n = :a OR s = :b', item, { ':a': { N: '1' }, ':b': { S: 'abc' } }), true);
  assert.equal(holds('n = :a AND s = :b', item, { ':a': { N: '1' }, ':b': { S: 'abc' } }), false);
});

test('AND binds tighter than OR; NOT tighter than AND', () => {
  const item: Item = { a: { N: '1' } };
  const v = { ':1': { N: '1' }, ':2': { N: '2' } };
  assert.equal(holds('a = :1 OR a = :2 AND a = :2', item, v), true);
  assert.equal(holds('(a = :1 OR a = :2) AND a = :2', item, v), false);
  assert.equal(holds('NOT a = :2 AND a = :1', item, v), true);
});

test('functions', () => {
  const item: Item = {
    s: { S: 'hello' }, b: { B: Buffer.from([1, 2, 3]).toString('base64') }, ss: { SS: ['x', 'y'] }, ns: { NS: ['1', '2'] },
    l: { L: [{ S: 'x' }, { M: { k: { N: '1' } } }] }, m: { M: { a: { NULL: true } } }, nul: { NULL: true },
  };
  assert.equal(holds('attribute_exists(s)', item), true);
  assert.equal(holds('attribute_exists(m.a)', item), true);
  assert.equal(holds('attribute_exists(m.b)', item), false);
  assert.equal(holds('attribute_not_exists(zz)', item), true);
  assert.equal(holds('attribute_not_exists(nul)', item), false);
  assert.equal(holds('attribute_exists(s)', undefined), false);
  assert.equal(holds('attribute_type(ss, :t)', item, { ':t': { S: 'SS' } }), true);
  assert.equal(holds('attribute_type(ss, :t)', item, { ':t': { S: 'S' } }), false);
  assert.equal(holds('begins_with(s, :p)', item, { ':p': { S: 'he' } }), true);
  assert.equal(holds('begins_with(s, :p)', item, { ':p': { S: 'lo' } }), false);
  assert.equal(holds('begins_with(b, :p)', item, { ':p': { B: Buffer.from([1, 2]).toString('base64') } }), true);
  assert.equal(holds('contains(s, :p)', item, { ':p': { S: 'ell' } }), true);
  assert.equal(holds('contains(ss, :p)', item, { ':p': { S: 'y' } }), true);
  assert.equal(holds('contains(ns, :p)', item, { ':p': { N: '2.0' } }), true);
  assert.equal(holds('contains(ns, :p)', item, { ':p': { S: '2' } }), false);
  assert.equal(holds('contains(l, :p)', item, { ':p': { S: 'x' } }), true);
  assert.equal(holds('contains(l, :p)', item, { ':p': { M: { k: { N: '1' } } } }), true);
  assert.equal(holds('size(s) = :n', item, { ':n': { N: '5' } }), true);
  assert.equal(holds('size(ss) = :n', item, { ':n': { N: '2' } }), true);
  assert.equal(holds('size(b) = :n', item, { ':n': { N: '3' } }), true);
  assert.equal(holds('size(m) = :n', item, { ':n': { N: '1' } }), true);
  assert.equal(holds('size(zz) = :n', item, { ':n': { N: '0' } }), false);
  assert.equal(holds('size(l) > size(ss)', item), false);
});
