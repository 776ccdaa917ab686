import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../../helpers/random.js';
import {
  decodeNumber,
  encodeBinary,
  encodeKeyValue,
  encodeNumber,
  encodeString,
  normaliseNumber,
  prefixSuccessor,
} from '../../../src/data/storage/key-encoding.js';

/**
 * Exact reference order for decimal strings, independent of the encoder: each number is read as an integer
 * mantissa (BigInt) and a power of ten, and two numbers are compared after scaling both to the smaller power.
 */
function exact(text: string): { m: bigint; e: number } {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) throw new Error(`bad test number ${text}`);
  const frac = match[3] ?? '';
  const digits = `${match[2]}${frac}` || '0';
  const m = BigInt(digits) * (match[1] === '-' ? -1n : 1n);
  return { m, e: Number(match[4] ?? 0) - frac.length };
}
function exactCompare(a: string, b: string): number {
  const x = exact(a);
  const y = exact(b);
  const e = Math.min(x.e, y.e);
  const xm = x.m * 10n ** BigInt(x.e - e);
  const ym = y.m * 10n ** BigInt(y.e - e);
  return xm < ym ? -1 : xm > ym ? 1 : 0;
}
const sign = (v: number): number => (v < 0 ? -1 : v > 0 ? 1 : 0);


/** Random DynamoDB-range numbers written in many ways (sign, leading/trailing zeros, exponent, dot placement). */
function randomNumber(rand: () => number, pool: string[]): string {
  const r = rand();
  if (r < 0.15 && pool.length > 0) {
    // A near neighbour of an earlier number: same digits with one more digit, or rewritten.
    const base = pool[Math.floor(rand() * pool.length)]!;
    const { m, e } = exact(base);
    const choice = Math.floor(rand() * 3);
    if (choice === 0) return `${m}0e${e - 1}`; // the same value, another spelling
    if (choice === 1 && m.toString().replace('-', '').length < 38) return `${m}${Math.floor(rand() * 10)}e${e - 1}`;
    return `${m === 0n ? '' : m}${m === 0n ? '0' : ''}e${e}`;
  }
  const nDigits = 1 + Math.floor(rand() * (rand() < 0.5 ? 3 : 38));
  let digits = String(1 + Math.floor(rand() * 9));
  for (let i = 1; i < nDigits; i++) digits += String(Math.floor(rand() * 10));
  if (rand() < 0.3) digits = digits.replace(/\d{1,3}$/, (m) => '0'.repeat(m.length));
  if (/^0+$/.test(digits)) digits = '1';
  // value = 0.digits × 10^E with E in [-129, 126]
  const E = rand() < 0.5 ? -129 + Math.floor(rand() * 256) : -3 + Math.floor(rand() * 8);
  const neg = rand() < 0.5 ? '-' : '';
  const lead = rand() < 0.2 ? '00' : '';
  const trail = rand() < 0.2 ? '000' : '';
  return `${neg}${lead}0.${digits}${trail}e${E}`;
}

test('N: encode order equals exact decimal order on generated numbers, and equal values encode equal', () => {
  const rand = rng(20261125);
  const fixed = [
    '0', '-0', '0.0', '+0', '0e100', '1e125', '9.9999999999999999999999999999999999999e125', '-9.9999999999999999999999999999999999999E+125',
    '-1e125', '1e-130', '-1e-130', '1.5', '1.50', '-1.5', '-1.50', '15e-1', '1', '10', '100', '0.1', '0.01', '-0.1', '-0.01', '-0.15',
    '-0.1005', '0.1005', '99', '101', '-99', '-101', '12345678901234567890123456789012345678', '-12345678901234567890123456789012345678',
    '1.2345678901234567890123456789012345678e-100', '.5', '5.', '-.5', '007', '7.000',
  ];
  const nums: string[] = [...fixed];
  while (nums.length < 3000) nums.push(randomNumber(rand, nums));
  const enc = nums.map((x) => encodeNumber(x));
  let comparisons = 0;
  for (let i = 0; i < nums.length; i++) {
    for (let k = 0; k < 8; k++) {
      const j = k < 2 ? (i + 1 + k) % nums.length : Math.floor(rand() * nums.length);
      const want = exactCompare(nums[i]!, nums[j]!);
      const got = sign(Buffer.compare(enc[i]!, enc[j]!));
      assert.equal(got, want, `${nums[i]} vs ${nums[j]}: encodings ${enc[i]!.toString('hex')} / ${enc[j]!.toString('hex')}`);
      comparisons++;
    }
  }
  assert.ok(comparisons >= 24_000);
  // Sorting by encoding sorts exactly.
  const byEncoding = nums.map((x, i) => ({ x, e: enc[i]! })).sort((a, b) => Buffer.compare(a.e, b.e)).map((v) => v.x);
  for (let i = 1; i < byEncoding.length; i++) assert.ok(exactCompare(byEncoding[i - 1]!, byEncoding[i]!) <= 0, `${byEncoding[i - 1]} > ${byEncoding[i]}`);
});

test('N: the documented byte format', () => {
  assert.equal(encodeNumber('0').toString('hex'), '02');
  assert.equal(encodeNumber('-0').toString('hex'), '02');
  assert.equal(encodeNumber('1.5').toString('hex'), '038210');
  assert.equal(encodeNumber('1.50').toString('hex'), '038210');
  assert.equal(encodeNumber('-1.5').toString('hex'), '017defff');
  assert.equal(encodeNumber('100').toString('hex'), '03840b');
  assert.equal(encodeNumber('1e-130').toString('hex'), '03000b');
  assert.equal(encodeNumber('-1e-130').toString('hex'), '01fff4ff');
  assert.equal(encodeNumber('1e125').toString('hex'), '03ff0b');
  assert.equal(encodeNumber('123').toString('hex'), '03840d1f');
});

test('N: normalisation, canonical decoding, and out-of-range or malformed numbers', () => {
  assert.deepEqual(normaliseNumber('-001.2300e2'), { sign: -1, digits: '123', exponent: 3 });
  assert.deepEqual(normaliseNumber('0.00'), { sign: 0, digits: '', exponent: 0 });
  for (const [text, canonical] of [
    ['0', '0'], ['-0.000', '0'], ['1.50', '1.5'], ['-1.50', '-1.5'], ['100', '100'], ['1e3', '1000'], ['0.001', '0.001'],
    ['1e-130', '1E-130'], ['-9.9e125', '-9.9E125'], ['12345678901234567890123456789012345678', '12345678901234567890123456789012345678'],
  ] as const) {
    assert.equal(decodeNumber(encodeNumber(text)), canonical, text);
    assert.equal(exactCompare(decodeNumber(encodeNumber(text)), text), 0);
  }
  for (const bad of ['', '-', '.', 'e5', '1e', '1.2.3', 'abc', ' 1', '1 ', 'NaN', 'Infinity', '0x10']) {
    assert.throws(() => encodeNumber(bad), RangeError, JSON.stringify(bad));
  }
  assert.throws(() => encodeNumber('1e126'), RangeError);
  assert.throws(() => encodeNumber('1e-131'), RangeError);
  assert.throws(() => encodeNumber('1234567890123456789012345678901234567891'), RangeError);
  assert.doesNotThrow(() => encodeNumber('1234567890123456789012345678901234567800'));
  assert.throws(() => decodeNumber(Buffer.from([0x03, 0x82])), RangeError);
  assert.throws(() => decodeNumber(Buffer.from([0x01, 0x7d, 0xef])), RangeError);
});

test('S: UTF-8 byte order, which is code point order (not JavaScript UTF-16 order)', () => {
  const rand = rng(7);
  const pool = ['', 'a', 'b', 'A', 'Z', '\u0000', '\u007f', '\u0080', '\u00e9', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '\u{10000}', '\u{1f600}', '\u{10ffff}'];
  const strs: string[] = [];
  for (let i = 0; i < 2000; i++) {
    let str = '';
    const len = Math.floor(rand() * 4);
    for (let k = 0; k < len; k++) str += pool[Math.floor(rand() * pool.length)]!;
    strs.push(str);
  }
  const codePointCompare = (a: string, b: string): number => {
    const x = [...a].map((c) => c.codePointAt(0)!);
    const y = [...b].map((c) => c.codePointAt(0)!);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return sign(x.length - y.length);
  };
  for (let i = 0; i + 1 < strs.length; i++) {
    assert.equal(sign(Buffer.compare(encodeString(strs[i]!), encodeString(strs[i + 1]!))), codePointCompare(strs[i]!, strs[i + 1]!));
  }
  // The case where UTF-16 order differs: U+FFFF < U+1F600 in DynamoDB (and here), although '\uffff' > '\ud83d' in JS.
  assert.ok('\uffff' > '\u{1f600}');
  assert.ok(Buffer.compare(encodeString('\uffff'), encodeString('\u{1f600}')) < 0);
  assert.ok(Buffer.compare(encodeString('a'), encodeString('a\u0000')) < 0);
});

test('B: raw bytes, compared unsigned; encodeKeyValue dispatches by type and checks the value kind', () => {
  assert.ok(Buffer.compare(encodeBinary(Uint8Array.of(0x7f)), encodeBinary(Uint8Array.of(0x80))) < 0);
  assert.ok(Buffer.compare(encodeBinary(Uint8Array.of(0x01)), encodeBinary(Uint8Array.of(0x01, 0x00))) < 0);
  const src = Uint8Array.of(1, 2, 3);
  const b = encodeBinary(src);
  src[0] = 9;
  assert.deepEqual([...b], [1, 2, 3], 'the encoding is a copy');
  assert.deepEqual(encodeKeyValue('S', 'hé'), Buffer.from('hé', 'utf8'));
  assert.deepEqual(encodeKeyValue('N', '1.50'), encodeNumber('1.5'));
  assert.deepEqual(encodeKeyValue('B', Uint8Array.of(0, 255)), Buffer.from([0, 255]));
  assert.throws(() => encodeKeyValue('B', 'AAE='), TypeError);
  assert.throws(() => encodeKeyValue('N', Uint8Array.of(1)), TypeError);
});

test('prefixSuccessor bounds begins_with: everything with the prefix is below it, nothing else in between', () => {
  assert.deepEqual(prefixSuccessor(Buffer.from('ab')), Buffer.from('ac'));
  assert.deepEqual(prefixSuccessor(Buffer.from([0x61, 0xff, 0xff])), Buffer.from([0x62]));
  assert.equal(prefixSuccessor(Buffer.from([0xff, 0xff])), undefined);
  assert.equal(prefixSuccessor(Buffer.alloc(0)), undefined);
  const p = Buffer.from([0x61, 0xff]);
  const succ = prefixSuccessor(p)!;
  for (const x of [Buffer.from([0x61, 0xff]), Buffer.from([0x61, 0xff, 0xff, 0xff]), Buffer.from([0x61, 0xff, 0x00])]) assert.ok(Buffer.compare(x, succ) < 0);
  assert.ok(Buffer.compare(Buffer.from([0x62]), succ) >= 0);
});
