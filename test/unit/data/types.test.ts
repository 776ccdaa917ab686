import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addNumbers, attributeValuesEqual, compareNumbers, compareValues, DynamoValidationError, itemSize, MAX_ITEM_SIZE,
  normalizeAttributeValue, normalizeNumber, numberSize, subtractNumbers, valueSize,
} from '../../../src/data/types/index.js';

function throwsMessage(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DynamoValidationError, `expected DynamoValidationError, got ${String(e)}`);
    assert.equal(e.message, message);
    return true;
  });
}

// Normalisation: DynamoDB returns numbers without superfluous zeros (developer guide, "Data types" / Number).
test('normalizeNumber strips leading and trailing zeros and negative zero', () => {
  assert.equal(normalizeNumber('1.50'), '1.5');
  assert.equal(normalizeNumber('-0'), '0');
  assert.equal(normalizeNumber('-0.000'), '0');
  assert.equal(normalizeNumber('007'), '7');
  assert.equal(normalizeNumber('1e3'), '1000');
  assert.equal(normalizeNumber('1.25E-2'), '0.0125');
  assert.equal(normalizeNumber('.5'), '0.5');
  assert.equal(normalizeNumber('-12.3400e1'), '-123.4');
  assert.equal(normalizeNumber('100'), '100');
});

// Messages: dynalite test/putItem.js "should return ValidationException for invalid values" (checked against AWS).
test('normalizeNumber rejects non-numbers, overflow, underflow and precision with AWS messages', () => {
  throwsMessage(() => normalizeNumber(''), 'The parameter cannot be converted to a numeric value');
  throwsMessage(() => normalizeNumber('b'), 'The parameter cannot be converted to a numeric value: b');
  throwsMessage(() => normalizeNumber('1.2.3'), 'The parameter cannot be converted to a numeric value: 1.2.3');
  throwsMessage(() => normalizeNumber('123456789012345678901234567890123456789'), 'Attempting to store more than 38 significant digits in a Number');
  throwsMessage(() => normalizeNumber('-1.23456789012345678901234567890123456789'), 'Attempting to store more than 38 significant digits in a Number');
  throwsMessage(() => normalizeNumber('1e126'), 'Number overflow. Attempting to store a number with magnitude larger than supported range');
  throwsMessage(() => normalizeNumber('-1e126'), 'Number overflow. Attempting to store a number with magnitude larger than supported range');
  throwsMessage(() => normalizeNumber('1e-131'), 'Number underflow. Attempting to store a number with magnitude smaller than supported range');
  throwsMessage(() => normalizeNumber('-1e-131'), 'Number underflow. Attempting to store a number with magnitude smaller than supported range');
});

test('normalizeNumber accepts the range limits and 38 digits', () => {
  assert.equal(normalizeNumber('1e-130'), `0.${'0'.repeat(129)}1`);
  assert.equal(normalizeNumber('9.9999999999999999999999999999999999999E+125'), '99999999999999999999999999999999999999' + '0'.repeat(88));
  assert.equal(normalizeNumber('12345678901234567890123456789012345678'), '12345678901234567890123456789012345678');
  assert.equal(normalizeNumber('1234567890123456789012345678901234567800000'), '1234567890123456789012345678901234567800000');
});

test('compareNumbers is exact, without floating point', () => {
  assert.equal(compareNumbers('0.1', '0.10'), 0);
  assert.equal(compareNumbers('12345678901234567890123456789012345678', '12345678901234567890123456789012345679'), -1);
  assert.equal(compareNumbers('-2', '-10'), 1);
  assert.equal(compareNumbers('-0', '0'), 0);
  assert.equal(compareNumbers('1e2', '99.999'), 1);
  assert.equal(compareNumbers('-1', '0'), -1);
  assert.equal(compareNumbers('0.001', '0.01'), -1);
});

test('addNumbers and subtractNumbers are exact decimal arithmetic', () => {
  assert.equal(addNumbers('0.1', '0.2'), '0.3');
  assert.equal(subtractNumbers('1', '1.5'), '-0.5');
  assert.equal(addNumbers('99999999999999999999999999999999999999', '1'), '100000000000000000000000000000000000000');
  assert.equal(subtractNumbers('5', '5'), '0');
  throwsMessage(() => addNumbers('12345678901234567890123456789012345678', '0.1'), 'Attempting to store more than 38 significant digits in a Number');
});

// Ordering: developer guide, "Comparison operator and function reference" (UTF-8 bytes, numeric, unsigned bytes).
test('compareValues orders S by UTF-8 bytes, N numerically, B as unsigned bytes; other types are incomparable', () => {
  assert.equal(compareValues({ S: 'a' }, { S: 'b' }), -1);
  assert.equal(compareValues({ S: 'Z' }, { S: 'a' }), -1);
  // U+FF61 (EF BD A1 in UTF-8) sorts before U+1F600 (F0 9F 98 80) by bytes, though not by UTF-16 code units.
  assert.equal(compareValues({ S: '\uff61' }, { S: '\u{1f600}' }), -1);
  assert.equal(compareValues({ N: '10' }, { N: '9' }), 1);
  assert.equal(compareValues({ B: Buffer.from([0x80]).toString('base64') }, { B: Buffer.from([0x7f]).toString('base64') }), 1);
  assert.equal(compareValues({ S: '1' }, { N: '1' }), undefined);
  assert.equal(compareValues({ BOOL: true }, { BOOL: true }), undefined);
});

test('attributeValuesEqual: sets unordered, lists ordered, maps by key, numbers numerically', () => {
  assert.ok(attributeValuesEqual({ SS: ['a', 'b'] }, { SS: ['b', 'a'] }));
  assert.ok(!attributeValuesEqual({ SS: ['a', 'b'] }, { SS: ['a', 'c'] }));
  assert.ok(attributeValuesEqual({ NS: ['1', '2.0'] }, { NS: ['2', '1'] }));
  assert.ok(!attributeValuesEqual({ L: [{ S: 'a' }, { S: 'b' }] }, { L: [{ S: 'b' }, { S: 'a' }] }));
  assert.ok(attributeValuesEqual({ M: { a: { N: '1' }, b: { NULL: true } } }, { M: { b: { NULL: true }, a: { N: '1.0' } } }));
  assert.ok(!attributeValuesEqual({ M: { a: { N: '1' } } }, { M: { a: { N: '1' }, b: { N: '1' } } }));
  assert.ok(!attributeValuesEqual({ S: '1' }, { N: '1' }));
  assert.ok(!attributeValuesEqual({ BOOL: true }, { BOOL: false }));
});

// Sizes: developer guide "Item sizes and formats"; number sizes and boundaries from dynalite test/putItem.js
// ("item is too big with … number attribute").
test('item size: names plus values, strings in UTF-8 bytes', () => {
  assert.equal(itemSize({ a: { S: 'abc' } }), 4);
  assert.equal(itemSize({ ab: { S: 'é' } }), 4);
  assert.equal(itemSize({ a: { B: Buffer.from('hello').toString('base64') } }), 6);
  assert.equal(itemSize({ a: { NULL: true }, b: { BOOL: false } }), 4);
  assert.equal(valueSize({ L: [{ S: 'ab' }, { N: '1' }] }), 3 + (1 + 2) + (1 + 2));
  assert.equal(valueSize({ M: { x: { S: 'ab' } } }), 3 + 1 + 1 + 2);
  assert.equal(valueSize({ SS: ['a', 'bc'] }), 3);
  assert.equal(MAX_ITEM_SIZE, 409600);
});

test('number size follows DynamoDB (≈ significant digits / 2 + 1)', () => {
  assert.equal(numberSize('0'), 1);
  assert.equal(numberSize('1'), 2);
  assert.equal(numberSize('-1'), 3);
  assert.equal(numberSize('1' + '0'.repeat(125)), 2);
  assert.equal(numberSize('11' + '0'.repeat(124)), 2);
  assert.equal(numberSize('11111' + '0'.repeat(121)), 4);
  assert.equal(numberSize('111111' + '0'.repeat(120)), 4);
  assert.equal(numberSize('1111111' + '0'.repeat(119)), 5);
  assert.equal(numberSize('1'.repeat(38) + '0'.repeat(88)), 20);
});

// Messages: dynalite validations/index.js validateAttributeValue and test/putItem.js (asserted against AWS).
test('attribute value validation uses AWS messages, spacing included', () => {
  throwsMessage(() => normalizeAttributeValue({ SS: [] }), 'One or more parameter values were invalid: An string set  may not be empty');
  throwsMessage(() => normalizeAttributeValue({ NS: [] }), 'One or more parameter values were invalid: An number set  may not be empty');
  throwsMessage(() => normalizeAttributeValue({ BS: [] }), 'One or more parameter values were invalid: Binary sets should not be empty');
  throwsMessage(() => normalizeAttributeValue({ SS: ['a', 'a'] }), 'One or more parameter values were invalid: Input collection [a, a] contains duplicates.');
  throwsMessage(() => normalizeAttributeValue({ BS: ['Yg==', 'Yg=='] }), 'One or more parameter values were invalid: Input collection [Yg==, Yg==]of type BS contains duplicates.');
  throwsMessage(() => normalizeAttributeValue({ NS: ['1', '1'] }), 'Input collection contains duplicates');
  throwsMessage(() => normalizeAttributeValue({ NS: ['1', '1.0'] }), 'Input collection contains duplicates');
  throwsMessage(() => normalizeAttributeValue({ NS: ['1', 'b'] }), 'The parameter cannot be converted to a numeric value: b');
  throwsMessage(() => normalizeAttributeValue({ NULL: false } as never), 'One or more parameter values were invalid: Null attribute value types must have the value of true');
  throwsMessage(() => normalizeAttributeValue({} as never), 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  throwsMessage(() => normalizeAttributeValue({ S: 'a', BOOL: true } as never), 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  throwsMessage(() => normalizeAttributeValue({ S: 'a', N: 'b' } as never), 'The parameter cannot be converted to a numeric value: b');
  throwsMessage(() => normalizeAttributeValue({ L: [{ M: { x: { SS: [] } } }] }), 'One or more parameter values were invalid: An string set  may not be empty');
});

test('attribute value normalisation normalises numbers deeply', () => {
  assert.deepEqual(normalizeAttributeValue({ M: { a: { N: '01.50' }, b: { L: [{ NS: ['2.0', '-0'] }] } } }),
    { M: { a: { N: '1.5' }, b: { L: [{ NS: ['2', '0'] }] } } });
});
