/**
 * The `Parameters` section: each parameter's value (override, else Default), checked against its constraints the
 * way CloudFormation checks them at create time, so a bad value fails before anything starts.
 */

import { TemplateError } from '../model.js';
import { child, describe, optionalList, requireRecord, scalarText, type JsonRecord } from './values.js';

/** `Ref` to a list-typed parameter yields a list; every other parameter yields a string. */
export type ParamValue = string | readonly string[];

export interface ParameterValues {
  readonly values: ReadonlyMap<string, ParamValue>;
  readonly warnings: readonly string[];
}

const PLAIN_TYPES = new Set(['String', 'Number', 'CommaDelimitedList', 'List<Number>']);
const SSM_TYPE = /^AWS::SSM::Parameter::Value<(.+)>$/;

function isListType(type: string): boolean {
  const ssm = SSM_TYPE.exec(type);
  const inner = ssm ? ssm[1]! : type;
  return inner === 'CommaDelimitedList' || inner.startsWith('List<');
}

function checkType(type: unknown, path: string): string {
  if (typeof type !== 'string') throw new TemplateError(`Type is required, got ${describe(type)}`, path);
  // AWS-specific types (AWS::EC2::VPC::Id, List<AWS::EC2::Subnet::Id> …) hold plain strings.
  const known = PLAIN_TYPES.has(type) || type.startsWith('AWS::') || /^List<AWS::.+>$/.test(type);
  if (!known) throw new TemplateError(`unsupported parameter Type ${describe(type)}`, `${path}.Type`);
  return type;
}

/** Default may be written as a YAML number or list; CloudFormation reads it as text. */
function defaultText(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map((v, i) => scalarText(v, child(path, i))).join(',');
  return scalarText(value, path);
}

function fail(spec: JsonRecord, path: string, problem: string): never {
  const hint = typeof spec.ConstraintDescription === 'string' ? ` (${spec.ConstraintDescription})` : '';
  throw new TemplateError(`${problem}${hint}`, path);
}

function checkNumber(item: string, spec: JsonRecord, path: string): void {
  const n = Number(item);
  if (item.trim() === '' || !Number.isFinite(n)) fail(spec, path, `${describe(item)} is not a number`);
  if (spec.MinValue !== undefined && n < Number(spec.MinValue)) fail(spec, path, `${n} is below MinValue ${String(spec.MinValue)}`);
  if (spec.MaxValue !== undefined && n > Number(spec.MaxValue)) fail(spec, path, `${n} is above MaxValue ${String(spec.MaxValue)}`);
}

function checkString(item: string, spec: JsonRecord, path: string): void {
  if (spec.MinLength !== undefined && item.length < Number(spec.MinLength)) {
    fail(spec, path, `${describe(item)} is shorter than MinLength ${String(spec.MinLength)}`);
  }
  if (spec.MaxLength !== undefined && item.length > Number(spec.MaxLength)) {
    fail(spec, path, `${describe(item)} is longer than MaxLength ${String(spec.MaxLength)}`);
  }
  if (typeof spec.AllowedPattern === 'string' && !new RegExp(`^(?:${spec.AllowedPattern})$`, 'u').test(item)) {
    fail(spec, path, `${describe(item)} does not match AllowedPattern ${spec.AllowedPattern}`);
  }
}

function checkConstraints(type: string, items: readonly string[], spec: JsonRecord, path: string): void {
  const allowed = optionalList(spec.AllowedValues, `${path}.AllowedValues`).map((v) => String(v));
  const numeric = type === 'Number' || type === 'List<Number>';
  for (const item of items) {
    if (allowed.length > 0 && !allowed.includes(item)) {
      fail(spec, path, `value ${describe(item)} is not one of the AllowedValues: ${allowed.join(', ')}`);
    }
    if (numeric) checkNumber(item, spec, path);
    else checkString(item, spec, path);
  }
}

function resolveOne(name: string, raw: unknown, override: string | undefined, warnings: string[]): ParamValue {
  const path = `Parameters.${name}`;
  const spec = requireRecord(raw, path);
  const type = checkType(spec.Type, path);
  const fallback = defaultText(spec.Default, `${path}.Default`);
  const text = override ?? fallback;
  if (text === undefined) {
    throw new TemplateError('no value given and no Default; pass a parameter override for it', path);
  }
  if (SSM_TYPE.test(type) && override === undefined) {
    warnings.push(`Parameter ${name} is read from SSM Parameter Store on AWS; Portico uses its Default as the value`);
  }
  const list = isListType(type);
  const items = list ? text.split(',') : [text];
  checkConstraints(SSM_TYPE.exec(type)?.[1] ?? type, items, spec, path);
  return list ? items : text;
}

export function resolveParameters(section: unknown, overrides: Readonly<Record<string, string>>): ParameterValues {
  const declared = section === undefined || section === null ? {} : requireRecord(section, 'Parameters');
  const values = new Map<string, ParamValue>();
  const warnings: string[] = [];
  for (const [name, raw] of Object.entries(declared)) {
    values.set(name, resolveOne(name, raw, overrides[name], warnings));
  }
  const unknown = Object.keys(overrides).filter((name) => !(name in declared));
  if (unknown.length > 0) {
    warnings.push(`Parameter overrides not declared in the template were ignored: ${unknown.join(', ')}`);
  }
  return { values, warnings };
}
