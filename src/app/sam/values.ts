/**
 * Small type guards and conversions for template values. Templates are untyped data, so every reader checks shapes
 * here and reports a TemplateError naming the property path instead of failing later with a TypeError.
 */

import { TemplateError } from '../model.js';

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Short rendering of a value for error messages (never the whole object). */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A scalar as CloudFormation sees it: numbers and booleans become their text, anything else is an error. */
export function scalarText(value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError(`expected a string, got ${describe(value)}`, path);
}

export function optionalText(value: unknown, path: string): string | undefined {
  return value === undefined || value === null ? undefined : scalarText(value, path);
}

export function requireRecord(value: unknown, path: string, what = 'a mapping'): JsonRecord {
  if (!isRecord(value)) throw new TemplateError(`must be ${what}, got ${describe(value)}`, path);
  return value;
}

export function optionalRecord(value: unknown, path: string): JsonRecord {
  return value === undefined || value === null ? {} : requireRecord(value, path);
}

export function optionalList(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new TemplateError(`must be a list, got ${describe(value)}`, path);
  return value;
}

/** An integer property within bounds; numeric strings (e.g. from `!Ref` to a Number parameter) are accepted. */
export function integerIn(value: unknown, path: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isInteger(n)) throw new TemplateError(`must be a whole number, got ${describe(value)}`, path);
  if (n < min || n > max) throw new TemplateError(`must be between ${min} and ${max}, got ${n}`, path);
  return n;
}

/** Values of a string map (Environment.Variables, stage variables): scalars stringified as CloudFormation does. */
export function stringMap(value: unknown, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(optionalRecord(value, path))) {
    out[key] = scalarText(item, `${path}.${key}`);
  }
  return out;
}

/** Joins a property path with a key; list indices use brackets. */
export function child(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : `${path}.${key}`;
}
