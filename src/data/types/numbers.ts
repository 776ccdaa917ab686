import { DynamoValidationError } from './errors.js';

/**
 * DynamoDB numbers: up to 38 significant digits, magnitude 1E-130 .. 9.9999999999999999999999999999999999999E+125,
 * stored normalised (no leading/trailing zeros, "-0" is "0"). Arithmetic is exact decimal (BigInt), never floats.
 */
export interface DecimalNumber {
  readonly negative: boolean;
  /** Significant digits without leading or trailing zeros; '' for zero. */
  readonly digits: string;
  /** Power of ten of the first significant digit (scientific exponent); 0 for zero. */
  readonly exponent: number;
}

export const MAX_SIGNIFICANT_DIGITS = 38;
export const MAX_EXPONENT = 125;
export const MIN_EXPONENT = -130;

// Source for the messages: architect/dynalite validations/index.js checkNum, asserted against DynamoDB in test/putItem.js.
export const NUMBER_MESSAGES = {
  empty: 'The parameter cannot be converted to a numeric value',
  invalid: (text: string) => `The parameter cannot be converted to a numeric value: ${text}`,
  overflow: 'Number overflow. Attempting to store a number with magnitude larger than supported range',
  underflow: 'Number underflow. Attempting to store a number with magnitude smaller than supported range',
  precision: 'Attempting to store more than 38 significant digits in a Number',
} as const;

const NUMERIC = /^(-?)(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?$/;

/** Parses without range checks; throws the "cannot be converted" message for non-numbers. */
export function parseDecimal(text: string): DecimalNumber {
  if (text === '') throw new DynamoValidationError(NUMBER_MESSAGES.empty);
  const m = NUMERIC.exec(text);
  if (!m) throw new DynamoValidationError(NUMBER_MESSAGES.invalid(text));
  const [intPart, fracPart = ''] = m[2].split('.');
  const all = intPart + fracPart;
  const exp10 = m[3] === undefined ? 0 : Number(m[3]);
  const lead = all.search(/[1-9]/);
  if (lead < 0 || !Number.isFinite(exp10)) return { negative: false, digits: '', exponent: 0 };
  const digits = all.slice(lead).replace(/0+$/, '');
  // Position of the first significant digit relative to the decimal point.
  const exponent = intPart.length - 1 - lead + exp10;
  return { negative: m[1] === '-', digits, exponent };
}

/** Range and precision checks in DynamoDB's order: overflow, underflow, then significant digits. */
export function checkDecimal(n: DecimalNumber): void {
  if (n.digits === '') return;
  if (n.exponent > MAX_EXPONENT) throw new DynamoValidationError(NUMBER_MESSAGES.overflow);
  if (n.exponent < MIN_EXPONENT) throw new DynamoValidationError(NUMBER_MESSAGES.underflow);
  if (n.digits.length > MAX_SIGNIFICANT_DIGITS) throw new DynamoValidationError(NUMBER_MESSAGES.precision);
}

/** Plain decimal notation, as DynamoDB returns numbers: "1.50" → "1.5", "-0" → "0", "1e3" → "1000". */
export function formatDecimal(n: DecimalNumber): string {
  if (n.digits === '') return '0';
  const sign = n.negative ? '-' : '';
  const { digits, exponent } = n;
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return sign + digits + '0'.repeat(exponent + 1 - digits.length);
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/** Validates and normalises a DynamoDB number string. */
export function normalizeNumber(text: string): string {
  const n = parseDecimal(text);
  checkDecimal(n);
  return formatDecimal(n);
}

/** Exact comparison: -1, 0 or 1. Inputs need not be normalised. */
export function compareNumbers(a: string, b: string): -1 | 0 | 1 {
  return compareDecimals(parseDecimal(a), parseDecimal(b));
}

export function compareDecimals(x: DecimalNumber, y: DecimalNumber): -1 | 0 | 1 {
  const sx = x.digits === '' ? 0 : x.negative ? -1 : 1;
  const sy = y.digits === '' ? 0 : y.negative ? -1 : 1;
  if (sx !== sy) return sx < sy ? -1 : 1;
  if (sx === 0) return 0;
  let mag: -1 | 0 | 1;
  if (x.exponent !== y.exponent) mag = x.exponent < y.exponent ? -1 : 1;
  else {
    const len = Math.max(x.digits.length, y.digits.length);
    const dx = x.digits.padEnd(len, '0');
    const dy = y.digits.padEnd(len, '0');
    mag = dx === dy ? 0 : dx < dy ? -1 : 1;
  }
  return (sx < 0 ? -mag : mag) as -1 | 0 | 1;
}

function toScaled(n: DecimalNumber): { value: bigint; scale: number } {
  // value × 10^scale
  if (n.digits === '') return { value: 0n, scale: 0 };
  const v = BigInt(n.digits);
  return { value: n.negative ? -v : v, scale: n.exponent - (n.digits.length - 1) };
}

function fromScaled(value: bigint, scale: number): DecimalNumber {
  if (value === 0n) return { negative: false, digits: '', exponent: 0 };
  const negative = value < 0n;
  const raw = (negative ? -value : value).toString();
  const digits = raw.replace(/0+$/, '');
  return { negative, digits, exponent: scale + raw.length - 1 };
}

function addScaled(a: string, b: string, sign: 1n | -1n): string {
  const x = toScaled(parseDecimal(a));
  const y = toScaled(parseDecimal(b));
  const scale = Math.min(x.scale, y.scale);
  const xv = x.value * 10n ** BigInt(x.scale - scale);
  const yv = y.value * 10n ** BigInt(y.scale - scale);
  const result = fromScaled(xv + sign * yv, scale);
  checkDecimal(result);
  return formatDecimal(result);
}

/** Exact a + b, normalised; throws DynamoDB's overflow/underflow/precision messages. */
export function addNumbers(a: string, b: string): string {
  return addScaled(a, b, 1n);
}

/** Exact a - b, normalised; throws DynamoDB's overflow/underflow/precision messages. */
export function subtractNumbers(a: string, b: string): string {
  return addScaled(a, b, -1n);
}

/** Digit count and exponent of a number, as item size needs them. */
export function numberShape(text: string): DecimalNumber {
  return parseDecimal(text);
}
