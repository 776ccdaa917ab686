import { type AttributeValue, payloadOf, typeOf } from './attribute-value.js';
import { compareNumbers } from './numbers.js';

/**
 * DynamoDB ordering (developer guide, "Comparison operator and function reference"): strings compare by their UTF-8
 * bytes, numbers numerically, binary as unsigned bytes. Returns undefined when the two values are not of the same
 * scalar type (S, N or B) — DynamoDB treats such comparisons as false, not as errors.
 */
export function compareValues(a: AttributeValue, b: AttributeValue): -1 | 0 | 1 | undefined {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return undefined;
  switch (ta) {
    case 'S':
      return sign(Buffer.compare(Buffer.from(payloadOf(a) as string, 'utf8'), Buffer.from(payloadOf(b) as string, 'utf8')));
    case 'N':
      return compareNumbers(payloadOf(a) as string, payloadOf(b) as string);
    case 'B':
      return sign(Buffer.compare(Buffer.from(payloadOf(a) as string, 'base64'), Buffer.from(payloadOf(b) as string, 'base64')));
    default:
      return undefined;
  }
}

function sign(n: number): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function scalarEqual(type: 'S' | 'N' | 'B', a: string, b: string): boolean {
  if (type === 'N') return compareNumbers(a, b) === 0;
  if (type === 'B') return Buffer.from(a, 'base64').equals(Buffer.from(b, 'base64'));
  return a === b;
}

function setEqual(type: 'S' | 'N' | 'B', a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x) => b.some((y) => scalarEqual(type, x, y))) && b.every((y) => a.some((x) => scalarEqual(type, x, y)));
}

/** Deep equality with DynamoDB semantics: same type; sets unordered; lists ordered; maps by key. */
export function attributeValuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return false;
  const pa = payloadOf(a);
  const pb = payloadOf(b);
  switch (ta) {
    case 'S':
    case 'N':
    case 'B':
      return scalarEqual(ta, pa as string, pb as string);
    case 'BOOL':
    case 'NULL':
      return pa === pb;
    case 'SS':
      return setEqual('S', pa as string[], pb as string[]);
    case 'NS':
      return setEqual('N', pa as string[], pb as string[]);
    case 'BS':
      return setEqual('B', pa as string[], pb as string[]);
    case 'L': {
      const la = pa as AttributeValue[];
      const lb = pb as AttributeValue[];
      return la.length === lb.length && la.every((x, i) => attributeValuesEqual(x, lb[i]));
    }
    case 'M': {
      const ma = pa as Record<string, AttributeValue>;
      const mb = pb as Record<string, AttributeValue>;
      const ka = Object.keys(ma);
      return ka.length === Object.keys(mb).length &&
        ka.every((k) => Object.prototype.hasOwnProperty.call(mb, k) && attributeValuesEqual(ma[k], mb[k]));
    }
  }
}

/** Set membership with the element type's equality (NS numerically, BS by bytes). */
export function setContains(type: 'SS' | 'NS' | 'BS', set: string[], element: string): boolean {
  const t = type === 'SS' ? 'S' : type === 'NS' ? 'N' : 'B';
  return set.some((x) => scalarEqual(t, x, element));
}
