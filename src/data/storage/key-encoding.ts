/**
 * Order-preserving binary encodings of DynamoDB key attribute values: for two values of the same type, comparing
 * the encodings byte by byte (memcmp, a proper prefix first — SQLite's BLOB order, Buffer.compare) gives DynamoDB's
 * order, and equal encodings mean equal values (so 1.5 and 1.50 address the same item).
 *
 * - S: the UTF-8 bytes of the string. DynamoDB orders strings by their UTF-8 bytes, which is code point order (not
 *   JavaScript's UTF-16 order: U+FFFF sorts before U+1F600 here).
 * - B: the raw bytes (DynamoDB compares binary values as unsigned bytes).
 * - N: the format below.
 *
 * ## N
 *
 * A number is normalised to sign, decimal digits d1 d2 … dn (d1 ≠ 0, no trailing zero, so n ≤ 38 for DynamoDB's
 * numbers) and exponent E with value = 0.d1d2…dn × 10^E. DynamoDB's range, 1E-130 to 9.99…E+125 in magnitude,
 * is exactly E ∈ [-129, 126], so E + 129 fits one byte (0..255). Digits are packed two per byte as
 * p = 10·a + b + 1 (1..100), an odd count padded with a 0 digit (harmless: a trailing zero does not change the
 * value, and normalised numbers never end in one).
 *
 *   zero      0x02                                      (0, -0, 0.000, 0e5 …: one encoding)
 *   positive  0x03, E + 129, p1, p2, …, pk
 *   negative  0x01, 255 − (E + 129), 255 − p1, …, 255 − pk, 0xFF
 *
 * Positives: a larger exponent is a larger number; at equal exponents the digit bytes compare as the digits do, and
 * a proper prefix (fewer digits) is the smaller number. Negatives invert every byte after the sign so that the order
 * reverses, and end with 0xFF — larger than any inverted digit byte (155..254) — so that a proper prefix, the number
 * of smaller magnitude, sorts after the longer one (−0.1 > −0.15 > −0.1005 ...). The sign byte puts every negative
 * before zero before every positive. `decodeNumber` turns an encoding back into a canonical number string.
 *
 * Examples: 1.5 = 1.50 = 0.15 × 10^1 → 03 82 10 (0x82 = 1 + 129, 0x10 = 15 + 1); −1.5 → 01 7D EF FF;
 * 100 = 0.1 × 10^3 → 03 84 0B ("1" padded to the pair 10); 1E-130 = 0.1 × 10^-129 → 03 00 0B.
 */

import type { KeyAttributeType } from './storage.js';

export const MIN_EXPONENT = -129;
export const MAX_EXPONENT = 126;
export const MAX_DIGITS = 38;

const NEGATIVE = 0x01;
const ZERO = 0x02;
const POSITIVE = 0x03;
const NEGATIVE_END = 0xff;

const NUMBER_SYNTAX = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export function encodeString(value: string): Buffer {
  return Buffer.from(value, 'utf8');
}

export function encodeBinary(value: Uint8Array): Buffer {
  return Buffer.from(value);
}

export interface NormalisedNumber {
  /** -1, 0 or 1. */
  readonly sign: -1 | 0 | 1;
  /** Significant digits without leading or trailing zeros ('' for zero). */
  readonly digits: string;
  /** value = sign × 0.digits × 10^exponent (0 for zero). */
  readonly exponent: number;
}

/**
 * Parses a DynamoDB number string (`-12.5e3`, `.5`, `7.`, `+3`) into sign, significant digits and exponent.
 * Throws a RangeError for text that is not a number, more than `MAX_DIGITS` significant digits, or a magnitude
 * outside DynamoDB's range.
 */
export function normaliseNumber(text: string): NormalisedNumber {
  const m = NUMBER_SYNTAX.exec(text);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) throw new RangeError(`not a number: ${JSON.stringify(text)}`);
  const intPart = m[2]!;
  const fracPart = m[3] ?? '';
  const exp10 = m[4] === undefined ? 0 : Number(m[4]);
  const all = intPart + fracPart;
  let first = 0;
  while (first < all.length && all.charCodeAt(first) === 48) first++;
  if (first === all.length) return { sign: 0, digits: '', exponent: 0 };
  let last = all.length;
  while (all.charCodeAt(last - 1) === 48) last--;
  const digits = all.slice(first, last);
  // all = intPart fracPart is an integer scaled by 10^-fracPart.length; its leading digit (index `first`) sits at
  // decimal position intPart.length - first, so value = 0.digits × 10^(intPart.length - first + exp10).
  const exponent = intPart.length - first + exp10;
  if (digits.length > MAX_DIGITS) throw new RangeError(`more than ${MAX_DIGITS} significant digits: ${text}`);
  if (!Number.isFinite(exponent) || exponent < MIN_EXPONENT || exponent > MAX_EXPONENT) {
    throw new RangeError(`number out of range (1E-130 to 9.9999999999999999999999999999999999999E+125): ${text}`);
  }
  return { sign: m[1] === '-' ? -1 : 1, digits, exponent };
}

export function encodeNumber(text: string): Buffer {
  const { sign, digits, exponent } = normaliseNumber(text);
  if (sign === 0) return Buffer.from([ZERO]);
  const pairs = (digits.length + 1) >> 1;
  const out = Buffer.allocUnsafe(2 + pairs + (sign < 0 ? 1 : 0));
  const e = exponent - MIN_EXPONENT;
  out[0] = sign < 0 ? NEGATIVE : POSITIVE;
  out[1] = sign < 0 ? 255 - e : e;
  for (let i = 0; i < pairs; i++) {
    const a = digits.charCodeAt(2 * i) - 48;
    const b = 2 * i + 1 < digits.length ? digits.charCodeAt(2 * i + 1) - 48 : 0;
    const p = 10 * a + b + 1;
    out[2 + i] = sign < 0 ? 255 - p : p;
  }
  if (sign < 0) out[out.length - 1] = NEGATIVE_END;
  return out;
}

/** The canonical text of an encoded number: `0`, or [-]0.digitsE±exp rewritten as plain scientific `d.dddE±x`. */
export function decodeNumber(bytes: Uint8Array): string {
  if (bytes.length === 1 && bytes[0] === ZERO) return '0';
  const negative = bytes[0] === NEGATIVE;
  if (!negative && bytes[0] !== POSITIVE) throw new RangeError('not an encoded number');
  const end = negative ? bytes.length - 1 : bytes.length;
  if (end < 3 || (negative && bytes[bytes.length - 1] !== NEGATIVE_END)) throw new RangeError('not an encoded number');
  const e = negative ? 255 - bytes[1]! : bytes[1]!;
  let digits = '';
  for (let i = 2; i < end; i++) {
    const p = (negative ? 255 - bytes[i]! : bytes[i]!) - 1;
    if (p < 0 || p > 99) throw new RangeError('not an encoded number');
    digits += String(Math.floor(p / 10)) + String(p % 10);
  }
  digits = digits.replace(/0+$/, '');
  return formatNumber(negative ? -1 : 1, digits, e + MIN_EXPONENT);
}

/** Plain decimal notation when short, scientific otherwise. */
function formatNumber(sign: -1 | 1, digits: string, exponent: number): string {
  const s = sign < 0 ? '-' : '';
  if (exponent >= digits.length && exponent <= 40) return s + digits + '0'.repeat(exponent - digits.length);
  if (exponent > 0 && exponent < digits.length) return s + digits.slice(0, exponent) + '.' + digits.slice(exponent);
  if (exponent <= 0 && exponent > -10) return s + '0.' + '0'.repeat(-exponent) + digits;
  const mantissa = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
  return `${s}${mantissa}E${exponent - 1}`;
}

/** Encodes a key value of the given type: S and N as their text, B as raw bytes (already base64-decoded). */
export function encodeKeyValue(type: KeyAttributeType, value: string | Uint8Array): Buffer {
  switch (type) {
    case 'S':
      if (typeof value !== 'string') throw new TypeError('S key value must be a string');
      return encodeString(value);
    case 'N':
      if (typeof value !== 'string') throw new TypeError('N key value must be its decimal text');
      return encodeNumber(value);
    case 'B':
      if (typeof value === 'string') throw new TypeError('B key value must be bytes');
      return encodeBinary(value);
  }
}

/** Byte order of two encoded keys: negative, zero or positive, as memcmp (a proper prefix first). */
export function compareEncoded(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

/**
 * The smallest byte string greater than every string that starts with `prefix` (for begins_with as a range:
 * [prefix, successor)), or undefined when there is none (empty prefix, or all bytes 0xFF).
 */
export function prefixSuccessor(prefix: Uint8Array): Buffer | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const out = Buffer.from(prefix.subarray(0, end));
  out[end - 1] = out[end - 1]! + 1;
  return out;
}
