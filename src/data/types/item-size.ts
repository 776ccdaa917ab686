import { type AttributeValue, type Item, payloadOf, typeOf } from './attribute-value.js';
import { parseDecimal } from './numbers.js';

/**
 * Item size as DynamoDB computes it for the 400 KB limit (developer guide, "Item sizes and formats"): the UTF-8
 * length of each attribute name plus its value's size. Strings: UTF-8 bytes; binary: raw bytes; numbers: about one
 * byte per two significant digits plus one (the exact formula reproduces DynamoDB's limit boundaries, as measured
 * by architect/dynalite test/putItem.js "item is too big with … number attribute"); null and boolean: 1 byte;
 * lists and maps: 3 bytes plus 1 byte per element, plus the elements (and, for maps, their names); sets: the sum of
 * their elements.
 */
export const MAX_ITEM_SIZE = 400 * 1024;

export const ITEM_SIZE_MESSAGES = {
  put: 'Item size has exceeded the maximum allowed size',
  update: 'Item size to update has exceeded the maximum allowed size',
} as const;

export function numberSize(text: string): number {
  const n = parseDecimal(text);
  if (n.digits === '') return 1;
  const digits = n.digits.length;
  // Digits are stored in base-100 pairs aligned to the decimal exponent, plus one byte of exponent, plus one for
  // negative numbers.
  const evenExp = ((n.exponent % 2) + 2) % 2 === 0;
  return 1 + Math.ceil(digits / 2) + (digits % 2 !== 0 || !evenExp ? 0 : 1) + (n.negative ? 1 : 0);
}

export function valueSize(value: AttributeValue): number {
  const p = payloadOf(value);
  switch (typeOf(value)) {
    case 'S':
      return Buffer.byteLength(p as string, 'utf8');
    case 'B':
      return Buffer.from(p as string, 'base64').length;
    case 'N':
      return numberSize(p as string);
    case 'SS':
      return (p as string[]).reduce((s, x) => s + Buffer.byteLength(x, 'utf8'), 0);
    case 'BS':
      return (p as string[]).reduce((s, x) => s + Buffer.from(x, 'base64').length, 0);
    case 'NS':
      return (p as string[]).reduce((s, x) => s + numberSize(x), 0);
    case 'NULL':
    case 'BOOL':
      return 1;
    case 'L':
      return 3 + (p as AttributeValue[]).reduce((s, x) => s + 1 + valueSize(x), 0);
    case 'M': {
      const m = p as Record<string, AttributeValue>;
      return 3 + Object.keys(m).length + itemSize(m);
    }
  }
}

export function itemSize(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name, 'utf8') + valueSize(value);
  return size;
}
