import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ExpressionContext, isReservedWord, keyCondition, parseCondition, parseProjection, project, RESERVED_WORDS,
} from '../../../src/data/expressions/index.js';
import { type AttributeValue, DynamoValidationError, type Item } from '../../../src/data/types/index.js';

function ctx(names?: Record<string, string>, values?: Record<string, AttributeValue>): ExpressionContext {
  return ExpressionContext.create(names, values);
}

function throwsMessage(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DynamoValidationError);
    assert.equal(e.message, message);
    return true;
  });
}

// Reserved words: developer guide, "Reserved words in DynamoDB" (573 words).
test('reserved word list', () => {
  assert.equal(RESERVED_WORDS.size, 573);
  assert.ok(isReservedWord('name') && isReservedWord('Status') && isReservedWord('DATA'));
  assert.ok(!isReservedWord('username'));
});

// Messages: dynalite db/projectionParser.pegjs and test/getItem.js / test/scan.js (asserted against AWS).
test('projection parsing and errors', () => {
  assert.deepEqual(parseProjection('a.b[2].c, #x', ctx({ '#x': 'y.z' })), [['a', 'b', 2, 'c'], ['y.z']]);
  throwsMessage(() => parseProjection('', ctx()), 'Invalid ProjectionExpression: The expression can not be empty;');
  throwsMessage(() => parseProjection('a, name', ctx()), 'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name');
  throwsMessage(() => parseProjection('a, #b', ctx()), 'Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #b');
  throwsMessage(() => parseProjection('a.b, a', ctx()), 'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]');
  throwsMessage(() => parseProjection('a[0], a.b', ctx()), 'Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]');
  throwsMessage(() => parseProjection('a,', ctx()), 'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","');
  throwsMessage(() => parseProjection('a[x]', ctx()), 'Invalid ProjectionExpression: Syntax error; token: "x", near: "[x]"');
});

test('project keeps nested structure and compacts list elements', () => {
  const item: Item = {
    a: { M: { b: { L: [{ S: '0' }, { S: '1' }, { M: { c: { N: '1' }, d: { N: '2' } } }] }, e: { S: 'e' } } },
    f: { S: 'f' },
  };
  assert.deepEqual(project([['a', 'b', 2, 'c'], ['f'], ['zz'], ['a', 'e']], item),
    { a: { M: { b: { L: [{ M: { c: { N: '1' } } }] }, e: { S: 'e' } } }, f: { S: 'f' } });
  assert.deepEqual(project([['a', 'b', 1], ['a', 'b', 0]], item), { a: { M: { b: { L: [{ S: '0' }, { S: '1' }] } } } });
  assert.deepEqual(project([['f', 'x']], item), {});
});

// Messages: dynalite validations/index.js checkExpr and actions/query.js, asserted in test/query.js.
test('key conditions', () => {
  const schema = { partitionKey: 'pk', sortKey: 'sk' };
  const v = { ':p': { S: 'p' }, ':a': { N: '1' }, ':b': { N: '5' }, ':s': { S: 'x' } };
  const kc = (expr: string, s: { partitionKey: string; sortKey?: string } = schema) =>
    keyCondition(parseCondition(expr, ctx(undefined, v), 'KeyConditionExpression'), s);
  assert.deepEqual(kc('pk = :p'), { partition: { name: 'pk', value: { S: 'p' } } });
  assert.deepEqual(kc(':p = pk AND sk BETWEEN :a AND :b').sort, { name: 'sk', operator: 'BETWEEN', values: [{ N: '1' }, { N: '5' }] });
  assert.deepEqual(kc('pk = :p AND :a < sk').sort, { name: 'sk', operator: 'GT', values: [{ N: '1' }] });
  assert.deepEqual(kc('pk = :p AND sk <= :a').sort, { name: 'sk', operator: 'LE', values: [{ N: '1' }] });
  assert.deepEqual(kc('begins_with(sk, :s) AND pk = :p').sort, { name: 'sk', operator: 'BEGINS_WITH', values: [{ S: 'x' }] });
  throwsMessage(() => kc('sk = :a'), 'Query condition missed key schema element: pk');
  throwsMessage(() => kc('pk = :p AND foo = :a'), 'Query condition missed key schema element: sk');
  throwsMessage(() => kc('pk = :p AND sk = :a', { partitionKey: 'pk' }), 'Query key condition not supported');
  throwsMessage(() => kc('pk > :p'), 'Query key condition not supported');
  throwsMessage(() => kc('pk = :p OR sk = :a'), 'Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: OR');
  throwsMessage(() => kc('pk <> :p'), 'Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: <>');
  throwsMessage(() => kc('pk IN (:p)'), 'Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: IN');
  throwsMessage(() => kc('attribute_exists(pk)'), 'Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: attribute_exists');
  throwsMessage(() => kc('size(pk) = :a'), 'Invalid KeyConditionExpression: KeyConditionExpressions cannot contain nested operations');
  throwsMessage(() => kc('pk = :p AND sk = sk2'), 'Invalid KeyConditionExpression: Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition');
  throwsMessage(() => kc(':a = :b'), 'Invalid KeyConditionExpression: Invalid condition in KeyConditionExpression: No key attribute specified');
  throwsMessage(() => kc('pk.x = :p'), 'Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes');
  throwsMessage(() => kc('pk = :p AND pk = :p'), 'Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key');
  throwsMessage(() => kc('pk = :p AND :a BETWEEN sk AND :b'), 'Invalid KeyConditionExpression: Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand');
  throwsMessage(() => kc('pk = :p AND begins_with(:s, sk)'), 'Invalid KeyConditionExpression: Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand');
});
