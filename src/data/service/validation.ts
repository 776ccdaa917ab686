// Request field checks with DynamoDB's wording: "1 validation error detected: Value null at 'tableName' failed to
// satisfy constraint: Member must not be null" (architect/dynalite validations/index.js, checked against AWS in
// its test/*.js). Type mismatches are SerializationExceptions, as the coral front reports them.
import { DynamoValidationError } from '../types/errors.js';
import { serializationException } from './errors.js';

export type Json = Record<string, unknown>;

export function displayValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `'[${value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')}]'`;
  return `'${String(value)}'`;
}

export class FieldChecks {
  private readonly messages: string[] = [];

  fail(value: unknown, path: string, constraint: string): void {
    this.messages.push(`Value ${displayValue(value)} at '${path}' failed to satisfy constraint: ${constraint}`);
  }

  notNull(value: unknown, path: string): boolean {
    if (value === undefined || value === null) {
      this.fail(value, path, 'Member must not be null');
      return false;
    }
    return true;
  }

  enumValue(value: unknown, path: string, allowed: readonly string[]): void {
    if (typeof value === 'string' && !allowed.includes(value)) this.fail(value, path, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }

  tableName(value: unknown, path = 'tableName', required = true): void {
    if (value === undefined || value === null) {
      if (required) this.notNull(value, path);
      return;
    }
    const name = value as string;
    if (!/^[a-zA-Z0-9_.-]+$/.test(name)) this.fail(name, path, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
    if (name.length < 3) this.fail(name, path, 'Member must have length greater than or equal to 3');
    if (name.length > 255) this.fail(name, path, 'Member must have length less than or equal to 255');
  }

  range(value: unknown, path: string, min: number | undefined, max: number | undefined): void {
    if (typeof value !== 'number') return;
    if (min !== undefined && value < min) this.fail(value, path, `Member must have value greater than or equal to ${min}`);
    if (max !== undefined && value > max) this.fail(value, path, `Member must have value less than or equal to ${max}`);
  }

  length(value: unknown, path: string, min: number | undefined, max: number | undefined): void {
    const len = Array.isArray(value) || typeof value === 'string' ? value.length : Object.keys((value ?? {}) as object).length;
    if (value === undefined || value === null) return;
    if (min !== undefined && len < min) this.fail(value, path, `Member must have length greater than or equal to ${min}`);
    if (max !== undefined && len > max) this.fail(value, path, `Member must have length less than or equal to ${max}`);
  }

  /** Throws "N validation error(s) detected: …" when anything failed (AWS lists at most 10). */
  done(): void {
    const n = this.messages.length;
    if (n === 0) return;
    throw new DynamoValidationError(`${n} validation error${n === 1 ? '' : 's'} detected: ${this.messages.slice(0, 10).join('; ')}`);
  }
}

function typeName(value: unknown): string {
  if (typeof value === 'number') return 'NUMBER_VALUE';
  if (value === true) return 'TRUE_VALUE';
  if (value === false) return 'FALSE_VALUE';
  if (typeof value === 'string') return 'STRING_VALUE';
  return 'VALUE';
}

/** Shape checks the coral deserialiser makes before validation: wrong JSON types → SerializationException. */
export const shape = {
  string(data: Json, key: string): string | undefined {
    const v = data[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) throw serializationException('Start of list found where not expected');
    if (typeof v === 'object') throw serializationException('Start of structure or map found where not expected');
    throw serializationException(`${typeName(v)} cannot be converted to String`);
  },
  integer(data: Json, key: string): number | undefined {
    const v = data[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number') return Math.trunc(v);
    if (Array.isArray(v)) throw serializationException('Start of list found where not expected');
    if (typeof v === 'object') throw serializationException('Start of structure or map found where not expected');
    if (typeof v === 'string') throw serializationException('STRING_VALUE can not be converted to an Integer');
    throw serializationException(`${typeName(v)} cannot be converted to Integer`);
  },
  boolean(data: Json, key: string): boolean | undefined {
    const v = data[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'object') throw serializationException(Array.isArray(v) ? 'Start of list found where not expected' : 'Start of structure or map found where not expected');
    throw serializationException(`${typeName(v)} cannot be converted to Boolean`);
  },
  struct(data: Json, key: string): Json | undefined {
    const v = data[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'object' && !Array.isArray(v)) return v as Json;
    if (Array.isArray(v)) throw serializationException('Start of list found where not expected');
    throw serializationException(`Unexpected value type in payload`);
  },
  list(data: Json, key: string): unknown[] | undefined {
    const v = data[key];
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v)) return v;
    throw serializationException(typeof v === 'object' ? 'Start of structure or map found where not expected' : 'Unrecognized collection type class java.lang.String');
  },
};
