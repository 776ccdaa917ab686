/**
 * The `Conditions` section and condition expressions (`Fn::And`, `Fn::Or`, `Fn::Not`, `Fn::Equals`,
 * `Condition: Name`). Conditions are evaluated once, on first use, because resources, outputs and `Fn::If` all
 * refer to them by name.
 */

import { TemplateError } from '../model.js';
import { child, describe, isRecord, requireRecord, type JsonRecord } from './values.js';

/** Resolves any other intrinsic (Ref, FindInMap, Equals …) in a condition expression. */
type Resolve = (value: unknown, path: string) => unknown;

export class ConditionTable {
  private readonly defs: JsonRecord;
  private readonly cache = new Map<string, boolean>();
  private readonly inProgress = new Set<string>();
  private resolve: Resolve = () => {
    throw new Error('ConditionTable used before bind()');
  };

  constructor(section: unknown) {
    this.defs = section === undefined || section === null ? {} : requireRecord(section, 'Conditions');
  }

  /** The resolver and the table need each other; the resolver binds itself once built. */
  bind(resolve: Resolve): void {
    this.resolve = resolve;
  }

  names(): string[] {
    return Object.keys(this.defs);
  }

  /** Value of a named condition; `usedAt` is the property path that asked, for the error message. */
  get(name: unknown, usedAt: string): boolean {
    if (typeof name !== 'string' || !(name in this.defs)) {
      throw new TemplateError(`condition ${describe(name)} is not declared in Conditions`, usedAt);
    }
    const known = this.cache.get(name);
    if (known !== undefined) return known;
    const path = `Conditions.${name}`;
    if (this.inProgress.has(name)) throw new TemplateError('condition refers to itself (circular)', path);
    this.inProgress.add(name);
    try {
      const value = this.evaluate(this.defs[name], path);
      this.cache.set(name, value);
      return value;
    } finally {
      this.inProgress.delete(name);
    }
  }

  /** A condition expression: `{Condition: X}`, `Fn::And|Or|Not` (recursively), or an intrinsic giving a boolean. */
  evaluate(expr: unknown, path: string): boolean {
    if (isRecord(expr) && Object.keys(expr).length === 1) {
      const [key, arg] = Object.entries(expr)[0]!;
      if (key === 'Condition') return this.get(arg, path);
      if (key === 'Fn::And') return this.operands(arg, path, key, 2).every((e, i) => this.evaluate(e, child(path, i)));
      if (key === 'Fn::Or') return this.operands(arg, path, key, 2).some((e, i) => this.evaluate(e, child(path, i)));
      if (key === 'Fn::Not') return !this.evaluate(this.operands(arg, path, key, 1, 1)[0], path);
    }
    return asBoolean(this.resolve(expr, path), path);
  }

  private operands(arg: unknown, path: string, fn: string, min: number, max = 10): unknown[] {
    if (!Array.isArray(arg) || arg.length < min || arg.length > max) {
      const count = min === max ? `${min}` : `${min} to ${max}`;
      throw new TemplateError(`${fn} takes a list of ${count} conditions, got ${describe(arg)}`, path);
    }
    return arg;
  }
}

function asBoolean(value: unknown, path: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new TemplateError(`a condition must evaluate to true or false, got ${describe(value)}`, path);
}

/** `Fn::Equals`: CloudFormation compares the values as written, so `1` and `'1'` are equal. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): string =>
    typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return norm(a) === norm(b);
}
