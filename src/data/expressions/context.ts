import type { AttributeValue } from '../types/attribute-value.js';
import { DynamoValidationError } from '../types/errors.js';
import { normalizeAttributeValue } from '../types/validate.js';

export type ExpressionKind =
  | 'ConditionExpression'
  | 'FilterExpression'
  | 'KeyConditionExpression'
  | 'UpdateExpression'
  | 'ProjectionExpression';

// Messages: architect/dynalite validations/index.js validateExpressions and db/*.pegjs, asserted against DynamoDB in
// test/scan.js, test/query.js, test/updateItem.js; size and operator limits from DynamoDB error reports
// (pynamodb/PynamoDB#979, aws/aws-sdk-js#3721) and the developer guide ("Expression parameters": 4 KB, 300 operators).
export const EXPRESSION_MESSAGES = {
  emptyExpression: 'The expression can not be empty;',
  namesEmpty: 'ExpressionAttributeNames must not be empty',
  valuesEmpty: 'ExpressionAttributeValues must not be empty',
  invalidNameKey: (k: string) => `ExpressionAttributeNames contains invalid key: Syntax error; key: "${k}"`,
  invalidValueKey: (k: string) => `ExpressionAttributeValues contains invalid key: Syntax error; key: "${k}"`,
  invalidValue: (msg: string, k: string) => `ExpressionAttributeValues contains invalid value: ${msg} for key ${k}`,
  unusedNames: (keys: string[]) => `Value provided in ExpressionAttributeNames unused in expressions: keys: {${keys.join(', ')}}`,
  unusedValues: (keys: string[]) => `Value provided in ExpressionAttributeValues unused in expressions: keys: {${keys.join(', ')}}`,
  undefinedName: (n: string) => `An expression attribute name used in the document path is not defined; attribute name: ${n}`,
  undefinedValue: (v: string) => `An expression attribute value used in expression is not defined; attribute value: ${v}`,
  reserved: (w: string) => `Attribute name is a reserved keyword; reserved keyword: ${w}`,
  tooLong: (n: number) => `Expression size has exceeded the maximum allowed size; expression size: ${n}`,
  tooManyOperators: (n: number) => `The expression contains too many operators; operator count: ${n}`,
} as const;

export const MAX_EXPRESSION_BYTES = 4096;
export const MAX_OPERATORS = 300;

/**
 * ExpressionAttributeNames/Values of one request, shared by all its expressions so that unused placeholders can be
 * reported once every expression is parsed.
 */
export class ExpressionContext {
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();

  constructor(
    readonly names: Readonly<Record<string, string>> = {},
    readonly values: Readonly<Record<string, AttributeValue>> = {},
  ) {}

  /** Checks the maps themselves (keys, values); returns a context with normalised values. */
  static create(names?: Record<string, string>, values?: Record<string, AttributeValue>): ExpressionContext {
    if (names !== undefined) {
      if (Object.keys(names).length === 0) throw new DynamoValidationError(EXPRESSION_MESSAGES.namesEmpty);
      for (const k of Object.keys(names)) {
        if (!/^#[0-9a-zA-Z_]+$/.test(k)) throw new DynamoValidationError(EXPRESSION_MESSAGES.invalidNameKey(k));
      }
    }
    const normalized: Record<string, AttributeValue> = {};
    if (values !== undefined) {
      if (Object.keys(values).length === 0) throw new DynamoValidationError(EXPRESSION_MESSAGES.valuesEmpty);
      for (const k of Object.keys(values)) {
        if (!/^:[0-9a-zA-Z_]+$/.test(k)) throw new DynamoValidationError(EXPRESSION_MESSAGES.invalidValueKey(k));
      }
      for (const [k, v] of Object.entries(values)) {
        try {
          normalized[k] = normalizeAttributeValue(v);
        } catch (e) {
          if (e instanceof DynamoValidationError) throw new DynamoValidationError(EXPRESSION_MESSAGES.invalidValue(e.message, k));
          throw e;
        }
      }
    }
    return new ExpressionContext(names ?? {}, normalized);
  }

  /** The name behind a #placeholder, or undefined if it is not defined. */
  name(placeholder: string): string | undefined {
    if (!Object.prototype.hasOwnProperty.call(this.names, placeholder)) return undefined;
    this.usedNames.add(placeholder);
    return this.names[placeholder];
  }

  value(placeholder: string): AttributeValue | undefined {
    if (!Object.prototype.hasOwnProperty.call(this.values, placeholder)) return undefined;
    this.usedValues.add(placeholder);
    return this.values[placeholder];
  }

  /** Throws if a name or value was never referenced (names are reported first, as DynamoDB does). */
  assertAllUsed(): void {
    const names = Object.keys(this.names).filter((k) => !this.usedNames.has(k));
    if (names.length) throw new DynamoValidationError(EXPRESSION_MESSAGES.unusedNames(names));
    const values = Object.keys(this.values).filter((k) => !this.usedValues.has(k));
    if (values.length) throw new DynamoValidationError(EXPRESSION_MESSAGES.unusedValues(values));
  }
}

/** Collects the first message per category; the parser reports the first category in DynamoDB's order. */
export class ErrorSink {
  private errors = new Map<string, string>();
  add(category: string, message: string): void {
    if (!this.errors.has(category)) this.errors.set(category, message);
  }
  has(category: string): boolean {
    return this.errors.has(category);
  }
  snapshot(): Map<string, string> {
    return new Map(this.errors);
  }
  restore(s: Map<string, string>): void {
    this.errors = new Map(s);
  }
  first(order: readonly string[]): string | undefined {
    for (const c of order) {
      const m = this.errors.get(c);
      if (m !== undefined) return m;
    }
    return undefined;
  }
}

/** Checks common to every expression before parsing: empty and too long. */
export function checkExpressionText(kind: ExpressionKind, expression: string): void {
  if (expression === '') throw new DynamoValidationError(`Invalid ${kind}: ${EXPRESSION_MESSAGES.emptyExpression}`);
  const size = Buffer.byteLength(expression, 'utf8');
  if (size > MAX_EXPRESSION_BYTES) throw new DynamoValidationError(`Invalid ${kind}: ${EXPRESSION_MESSAGES.tooLong(size)}`);
}
