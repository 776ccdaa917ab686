import type { AttributeValue, Item } from './attribute-value.js';
import { DynamoValidationError } from './errors.js';
import { normalizeNumber } from './numbers.js';

// Messages: architect/dynalite validations/index.js validateAttributeValue, asserted against DynamoDB in
// test/putItem.js ("should return ValidationException for invalid values"). Note AWS's double space in
// "An string set  may not be empty" and the missing space in "…]of type BS contains duplicates.".
export const VALUE_MESSAGES = {
  empty: 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
  multiple: 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
  nullFalse: 'One or more parameter values were invalid: Null attribute value types must have the value of true',
  emptySS: 'One or more parameter values were invalid: An string set  may not be empty',
  emptyNS: 'One or more parameter values were invalid: An number set  may not be empty',
  emptyBS: 'One or more parameter values were invalid: Binary sets should not be empty',
  duplicateSS: (values: string[]) => `One or more parameter values were invalid: Input collection [${values.join(', ')}] contains duplicates.`,
  duplicateNS: 'Input collection contains duplicates',
  duplicateBS: (values: string[]) => `One or more parameter values were invalid: Input collection [${values.join(', ')}]of type BS contains duplicates.`,
} as const;

function hasDuplicate(values: string[]): boolean {
  return new Set(values).size !== values.length;
}

/**
 * Validates one AttributeValue (already deserialised: right JSON shapes) and returns a copy with numbers
 * normalised. Throws DynamoValidationError with DynamoDB's message, checks in DynamoDB's order.
 */
export function normalizeAttributeValue(value: AttributeValue): AttributeValue {
  const raw = value as Record<string, unknown>;
  const types = Object.keys(raw);
  if (types.length === 0) throw new DynamoValidationError(VALUE_MESSAGES.empty);
  let result: AttributeValue | undefined;
  for (const type of types) {
    const v = raw[type];
    switch (type) {
      case 'N':
        result = { N: normalizeNumber(v as string) };
        break;
      case 'NULL':
        if (v !== true) throw new DynamoValidationError(VALUE_MESSAGES.nullFalse);
        result = { NULL: true };
        break;
      case 'SS': {
        const ss = v as string[];
        if (ss.length === 0) throw new DynamoValidationError(VALUE_MESSAGES.emptySS);
        if (hasDuplicate(ss)) throw new DynamoValidationError(VALUE_MESSAGES.duplicateSS(ss));
        result = { SS: [...ss] };
        break;
      }
      case 'NS': {
        const ns = v as string[];
        if (ns.length === 0) throw new DynamoValidationError(VALUE_MESSAGES.emptyNS);
        const normalized = ns.map(normalizeNumber);
        if (hasDuplicate(normalized)) throw new DynamoValidationError(VALUE_MESSAGES.duplicateNS);
        result = { NS: normalized };
        break;
      }
      case 'BS': {
        const bs = v as string[];
        if (bs.length === 0) throw new DynamoValidationError(VALUE_MESSAGES.emptyBS);
        if (hasDuplicate(bs.map((b) => Buffer.from(b, 'base64').toString('base64')))) {
          throw new DynamoValidationError(VALUE_MESSAGES.duplicateBS(bs));
        }
        result = { BS: [...bs] };
        break;
      }
      case 'M':
        result = { M: normalizeItem(v as Item) };
        break;
      case 'L':
        result = { L: (v as AttributeValue[]).map(normalizeAttributeValue) };
        break;
      case 'S':
        result = { S: v as string };
        break;
      case 'B':
        result = { B: v as string };
        break;
      case 'BOOL':
        result = { BOOL: v as boolean };
        break;
      default:
        throw new DynamoValidationError(VALUE_MESSAGES.empty);
    }
  }
  if (types.length > 1) throw new DynamoValidationError(VALUE_MESSAGES.multiple);
  return result as AttributeValue;
}

/** Validates every attribute of an item (or map) and returns a normalised copy. */
export function normalizeItem(item: Item): Item {
  const out: Item = {};
  for (const name of Object.keys(item)) out[name] = normalizeAttributeValue(item[name]!);
  return out;
}
