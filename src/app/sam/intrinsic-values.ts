/**
 * Intrinsic functions that only reshape values already resolved: Join, Select, Split, Base64, GetAZs, FindInMap,
 * Length, ToJsonString, Cidr. Kept apart from the resolver so each rule reads as CloudFormation documents it.
 */

import { TemplateError } from '../model.js';
import { cidrSubnets } from './cidr.js';
import { describe, isRecord, scalarText, type JsonRecord } from './values.js';

function args(fn: string, value: unknown, path: string, min: number, max = min): unknown[] {
  if (!Array.isArray(value) || value.length < min || value.length > max) {
    const count = min === max ? `${min}` : `${min} or ${max}`;
    throw new TemplateError(`${fn} takes a list of ${count} arguments, got ${describe(value)}`, path);
  }
  return value;
}

function list(fn: string, value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new TemplateError(`${fn} needs a list, got ${describe(value)}`, path);
  return value;
}

export function join(arg: unknown, path: string): string {
  const [delimiter, items] = args('Fn::Join', arg, path, 2);
  const sep = scalarText(delimiter, path);
  return list('Fn::Join', items, path).map((item) => scalarText(item, path)).join(sep);
}

export function select(arg: unknown, path: string): unknown {
  const [indexValue, items] = args('Fn::Select', arg, path, 2);
  const index = Number(scalarText(indexValue, path));
  const from = list('Fn::Select', items, path);
  if (!Number.isInteger(index) || index < 0 || index >= from.length) {
    throw new TemplateError(`Fn::Select index ${describe(indexValue)} is out of range for a list of ${from.length}`, path);
  }
  return from[index];
}

export function split(arg: unknown, path: string): string[] {
  const [delimiter, source] = args('Fn::Split', arg, path, 2);
  return scalarText(source, path).split(scalarText(delimiter, path));
}

export function base64(arg: unknown, path: string): string {
  return Buffer.from(scalarText(arg, path), 'utf8').toString('base64');
}

/** Every region is given three zones, `a` to `c`: enough for templates that `!Select` a zone by index. */
export function getAZs(arg: unknown, defaultRegion: string, path: string): string[] {
  const region = arg === '' || arg === undefined || arg === null ? defaultRegion : scalarText(arg, path);
  return ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
}

/** `[Map, TopKey, SecondKey]`, plus the AWS::LanguageExtensions `{DefaultValue: …}` fourth argument. */
export function findInMap(arg: unknown, mappings: JsonRecord, path: string): unknown {
  const parts = args('Fn::FindInMap', arg, path, 3, 4);
  const [mapName, top, second] = parts.slice(0, 3).map((p) => scalarText(p, path)) as [string, string, string];
  const fallback = isRecord(parts[3]) && 'DefaultValue' in parts[3] ? { value: parts[3].DefaultValue } : undefined;
  const map = mappings[mapName];
  const level = isRecord(map) ? map[top] : undefined;
  const found = isRecord(level) ? level[second] : undefined;
  if (found !== undefined) return found;
  if (fallback) return fallback.value;
  if (!isRecord(map)) throw new TemplateError(`Fn::FindInMap: no mapping ${describe(mapName)}`, path);
  if (!isRecord(level)) throw new TemplateError(`Fn::FindInMap: no key ${describe(top)} in Mappings.${mapName}`, path);
  throw new TemplateError(`Fn::FindInMap: no key ${describe(second)} in Mappings.${mapName}.${top}`, path);
}

export function length(arg: unknown, path: string): number {
  return list('Fn::Length', arg, path).length;
}

export function toJsonString(arg: unknown): string {
  return JSON.stringify(arg);
}

export function cidr(arg: unknown, path: string): string[] {
  const [block, count, bits] = args('Fn::Cidr', arg, path, 3);
  return cidrSubnets(scalarText(block, path), Number(scalarText(count, path)), Number(scalarText(bits, path)), path);
}
