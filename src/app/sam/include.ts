/**
 * `Fn::Transform: {Name: AWS::Include, Parameters: {Location}}`: replace the node by the parsed content of a local
 * file (typically an OpenAPI body with `Fn::Sub`/`Fn::GetAtt` inside, which are resolved later like any other
 * value). Runs before resolution because it reads files, and resolution is synchronous.
 */

import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { TemplateError } from '../model.js';
import { parseTemplateText } from './yaml.js';
import { child, describe, isRecord, type JsonRecord } from './values.js';

/** Resolves `Location` (it may be a `!Sub`) to a string. */
export type LocationResolver = (value: unknown, path: string) => unknown;

const MAX_DEPTH = 8;

function includeSpec(value: unknown): JsonRecord | undefined {
  return isRecord(value) && value.Name === 'AWS::Include' ? value : undefined;
}

async function readInclude(spec: JsonRecord, baseDir: string, resolveLocation: LocationResolver, path: string) {
  const locationPath = `${path}.Fn::Transform.Parameters.Location`;
  const params = isRecord(spec.Parameters) ? spec.Parameters : {};
  const location = resolveLocation(params.Location, locationPath);
  if (typeof location !== 'string' || location === '') {
    throw new TemplateError(`AWS::Include needs a Location, got ${describe(location)}`, locationPath);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new TemplateError(`AWS::Include from ${describe(location)} is not supported; use a local file path`, locationPath);
  }
  const file = isAbsolute(location) ? location : resolvePath(baseDir, location);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new TemplateError(`AWS::Include file ${describe(location)} cannot be read (looked in ${file})`, locationPath);
  }
  return { file, content: parseTemplateText(text, location) };
}

async function expand(value: unknown, baseDir: string, resolveLocation: LocationResolver, path: string, depth: number): Promise<unknown> {
  if (Array.isArray(value)) {
    return Promise.all(value.map((item, i) => expand(item, baseDir, resolveLocation, child(path, i), depth)));
  }
  if (!isRecord(value)) return value;
  const spec = includeSpec(value['Fn::Transform']);
  if (spec) {
    if (depth >= MAX_DEPTH) throw new TemplateError('AWS::Include nested too deeply (circular include?)', path);
    const { file, content } = await readInclude(spec, baseDir, resolveLocation, path);
    const expanded = await expand(content, dirname(file), resolveLocation, path, depth + 1);
    const siblings = Object.keys(value).filter((key) => key !== 'Fn::Transform');
    if (siblings.length === 0) return expanded;
    // Section-level form: the included mapping is merged into the mapping that holds `Fn::Transform`.
    if (!isRecord(expanded)) throw new TemplateError('AWS::Include beside other keys must include a mapping', path);
    const rest = Object.fromEntries(siblings.map((key) => [key, value[key]]));
    const expandedRest = (await expand(rest, baseDir, resolveLocation, path, depth)) as JsonRecord;
    return { ...expandedRest, ...expanded };
  }
  const out: JsonRecord = {};
  for (const [key, item] of Object.entries(value)) out[key] = await expand(item, baseDir, resolveLocation, child(path, key), depth);
  return out;
}

/** Returns a copy of `value` with every AWS::Include replaced; `baseDir` anchors relative Locations. */
export function expandIncludes(value: unknown, baseDir: string, resolveLocation: LocationResolver, path: string): Promise<unknown> {
  return expand(value, baseDir, resolveLocation, path, 0);
}
