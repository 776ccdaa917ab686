// Lambda's event filter patterns (EventBridge syntax) on DynamoDB stream records: every matcher, nesting, arrays in
// the record, $or, several filters, and malformed patterns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileFilter, compileFilters, FilterPatternError } from '../../../src/functions/event-sources/event-filter.js';

const record = {
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  awsRegion: 'us-east-1',
  dynamodb: {
    Keys: { id: { S: 'order-1' } },
    NewImage: { id: { S: 'order-1' }, status: { S: 'Shipped' }, total: { N: '42' }, tags: { SS: ['red', 'blue'] }, gift: { BOOL: true }, note: { NULL: true } },
    SizeBytes: 120,
  },
  meta: { count: 5, empty: '', none: null, list: [1, 2, 3], words: ['alpha', 'beta'] },
};

const matches = (pattern: unknown): boolean => compileFilter(JSON.stringify(pattern))(record);

test('equality on strings, numbers, booleans and null; nested objects follow the record', () => {
  assert.ok(matches({ eventName: ['INSERT'] }));
  assert.ok(matches({ eventName: ['MODIFY', 'INSERT'] }), 'a list is OR');
  assert.ok(!matches({ eventName: ['MODIFY'] }));
  assert.ok(matches({ dynamodb: { NewImage: { status: { S: ['Shipped'] } } } }));
  assert.ok(!matches({ dynamodb: { NewImage: { status: { S: ['shipped'] } } } }), 'case-sensitive');
  assert.ok(matches({ dynamodb: { NewImage: { gift: { BOOL: [true] } } } }));
  assert.ok(!matches({ dynamodb: { NewImage: { gift: { BOOL: [false] } } } }));
  assert.ok(matches({ meta: { none: [null] } }));
  assert.ok(!matches({ meta: { missing: [null] } }), 'null matches a present null, not a missing field');
  assert.ok(matches({ meta: { empty: [''] } }));
  assert.ok(matches({ meta: { count: [5] } }));
  assert.ok(matches({ meta: { count: [5.0] } }));
  assert.ok(!matches({ meta: { count: ['5'] } }), 'a string does not equal a number');
  assert.ok(!matches({ dynamodb: { NewImage: { total: { N: [42] } } } }), 'DynamoDB numbers are strings in the record');
  assert.ok(matches({ dynamodb: { NewImage: { total: { N: ['42'] } } } }));
  assert.ok(!matches({ eventName: { S: ['INSERT'] } }), 'an object pattern needs an object field');
  assert.ok(!matches({ missing: { x: ['y'] } }));
});

test('every key must match (AND); $or offers alternatives', () => {
  assert.ok(matches({ eventName: ['INSERT'], eventSource: ['aws:dynamodb'] }));
  assert.ok(!matches({ eventName: ['INSERT'], eventSource: ['aws:sqs'] }));
  assert.ok(matches({ $or: [{ eventName: ['REMOVE'] }, { meta: { count: [5] } }] }));
  assert.ok(!matches({ $or: [{ eventName: ['REMOVE'] }, { meta: { count: [6] } }] }));
  assert.ok(matches({ eventSource: ['aws:dynamodb'], $or: [{ eventName: ['REMOVE'] }, { eventName: ['INSERT'] }] }));
  assert.ok(matches({ dynamodb: { $or: [{ Keys: { id: { S: ['x'] } } }, { SizeBytes: [120] }] } }));
});

test('arrays in the record match when any element does', () => {
  assert.ok(matches({ meta: { list: [2] } }));
  assert.ok(!matches({ meta: { list: [4] } }));
  assert.ok(matches({ dynamodb: { NewImage: { tags: { SS: ['blue'] } } } }));
  assert.ok(matches({ meta: { words: [{ prefix: 'be' }] } }));
});

test('prefix, suffix and equals-ignore-case (also inside prefix and suffix)', () => {
  assert.ok(matches({ dynamodb: { Keys: { id: { S: [{ prefix: 'order-' }] } } } }));
  assert.ok(!matches({ dynamodb: { Keys: { id: { S: [{ prefix: 'ORDER-' }] } } } }));
  assert.ok(matches({ dynamodb: { Keys: { id: { S: [{ prefix: { 'equals-ignore-case': 'ORDER-' } }] } } } }));
  assert.ok(matches({ dynamodb: { Keys: { id: { S: [{ suffix: '-1' }] } } } }));
  assert.ok(!matches({ dynamodb: { Keys: { id: { S: [{ suffix: '-2' }] } } } }));
  assert.ok(matches({ dynamodb: { NewImage: { status: { S: [{ suffix: { 'equals-ignore-case': 'PED' } }] } } } }));
  assert.ok(matches({ dynamodb: { NewImage: { status: { S: [{ 'equals-ignore-case': 'shipped' }] } } } }));
  assert.ok(!matches({ dynamodb: { NewImage: { status: { S: [{ 'equals-ignore-case': 'ship' }] } } } }));
  assert.ok(!matches({ meta: { count: [{ prefix: '5' }] } }), 'prefix applies to strings only');
});

test('anything-but: values, lists, prefix, suffix, equals-ignore-case; a missing field never matches', () => {
  assert.ok(matches({ eventName: [{ 'anything-but': 'REMOVE' }] }));
  assert.ok(!matches({ eventName: [{ 'anything-but': 'INSERT' }] }));
  assert.ok(!matches({ eventName: [{ 'anything-but': ['MODIFY', 'INSERT'] }] }));
  assert.ok(matches({ meta: { count: [{ 'anything-but': [1, 2] }] } }));
  assert.ok(!matches({ meta: { count: [{ 'anything-but': 5 }] } }));
  assert.ok(matches({ eventName: [{ 'anything-but': { prefix: 'MOD' } }] }));
  assert.ok(!matches({ eventName: [{ 'anything-but': { prefix: 'INS' } }] }));
  assert.ok(!matches({ eventName: [{ 'anything-but': { suffix: 'ERT' } }] }));
  assert.ok(!matches({ eventName: [{ 'anything-but': { 'equals-ignore-case': 'insert' } }] }));
  assert.ok(matches({ eventName: [{ 'anything-but': { 'equals-ignore-case': ['remove', 'modify'] } }] }));
  assert.ok(!matches({ missing: [{ 'anything-but': 'x' }] }));
});

test('numeric comparisons, single and ranges, on JSON numbers only', () => {
  assert.ok(matches({ meta: { count: [{ numeric: ['>', 0] }] } }));
  assert.ok(matches({ meta: { count: [{ numeric: ['>', 0, '<=', 5] }] } }));
  assert.ok(!matches({ meta: { count: [{ numeric: ['>', 0, '<', 5] }] } }));
  assert.ok(matches({ meta: { count: [{ numeric: ['=', 5] }] } }));
  assert.ok(matches({ meta: { count: [{ numeric: ['>=', 5] }] } }));
  assert.ok(!matches({ meta: { count: [{ numeric: ['<', 5] }] } }));
  assert.ok(matches({ dynamodb: { SizeBytes: [{ numeric: ['<', 1024] }] } }));
  assert.ok(!matches({ dynamodb: { NewImage: { total: { N: [{ numeric: ['>', 1] }] } } } }), 'a numeric string is not a number');
});

test('exists: leaves only; exists false matches a missing field', () => {
  assert.ok(matches({ dynamodb: { NewImage: { total: { N: [{ exists: true }] } } } }));
  assert.ok(!matches({ dynamodb: { NewImage: { price: { N: [{ exists: true }] } } } }));
  assert.ok(matches({ dynamodb: { NewImage: { price: { N: [{ exists: false }] } } } }));
  assert.ok(matches({ dynamodb: { NewImage: { price: [{ exists: false }] } } }));
  assert.ok(!matches({ dynamodb: { NewImage: { total: [{ exists: true }] } } }), 'an object is not a leaf');
  assert.ok(!matches({ eventName: [{ exists: false }] }));
});

test('wildcard', () => {
  assert.ok(matches({ dynamodb: { Keys: { id: { S: [{ wildcard: 'order-*' }] } } } }));
  assert.ok(matches({ dynamodb: { Keys: { id: { S: [{ wildcard: '*-1' }] } } } }));
  assert.ok(!matches({ dynamodb: { Keys: { id: { S: [{ wildcard: 'ord*2' }] } } } }));
  assert.ok(!matches({ eventSource: [{ wildcard: 'aws.dynamodb' }] }), 'dots are literal');
});

test('several filters: a record passes when any matches; no filters pass everything', () => {
  assert.ok(compileFilters([])(record));
  assert.ok(compileFilters(['{"eventName":["REMOVE"]}', '{"eventName":["INSERT"]}'])(record));
  assert.ok(!compileFilters(['{"eventName":["REMOVE"]}', '{"eventName":["MODIFY"]}'])(record));
});

test('malformed patterns are refused with what is wrong', () => {
  const refused = (text: string, message: RegExp) => assert.throws(() => compileFilter(text), (err: Error) => err instanceof FilterPatternError && message.test(err.message));
  refused('not json', /not JSON/);
  refused('["INSERT"]', /must be a JSON object/);
  refused('{"eventName": "INSERT"}', /eventName must be an object or a list of matchers/);
  refused('{"a": [{"prefix": 1}]}', /prefix takes a string/);
  refused('{"a": [{"numeric": [">"]}]}', /numeric takes one or two comparisons/);
  refused('{"a": [{"numeric": ["!", 1]}]}', /numeric comparison/);
  refused('{"a": [{"exists": "yes"}]}', /exists takes true or false/);
  refused('{"a": [{"unknown": 1}]}', /unknown matcher unknown/);
  refused('{"a": [{"prefix": "x", "suffix": "y"}]}', /exactly one key/);
  refused('{"$or": [{"a": ["x"]}]}', /\$or must list at least two patterns/);
  refused('{"a": [["x"]]}', /is not a matcher/);
});
