/**
 * The SAM `Globals` section, merged into resources the way the SAM translator does it, before any intrinsic is
 * resolved: the resource's scalar wins, maps merge key by key (recursively), lists concatenate (globals first),
 * a type mismatch keeps the resource's value, and an intrinsic function counts as a scalar.
 */

import { TemplateError } from '../model.js';
import { describe, isRecord, requireRecord, type JsonRecord } from './values.js';

const SECTION_TYPES: Readonly<Record<string, string>> = {
  Function: 'AWS::Serverless::Function',
  Api: 'AWS::Serverless::Api',
  HttpApi: 'AWS::Serverless::HttpApi',
  SimpleTable: 'AWS::Serverless::SimpleTable',
  StateMachine: 'AWS::Serverless::StateMachine',
  LayerVersion: 'AWS::Serverless::LayerVersion',
  CapacityProvider: 'AWS::Serverless::CapacityProvider',
};

/** Properties SAM refuses in Globals: they must differ per resource, or (StageName) cannot reach implicit APIs. */
const NOT_GLOBAL: Readonly<Record<string, readonly string[]>> = {
  Function: ['Role', 'Policies', 'FunctionName', 'Events'],
  Api: ['StageName', 'DefinitionBody'],
  HttpApi: ['StageName', 'DefinitionBody'],
};

/**
 * Lists that replace instead of concatenating: a function has exactly one architecture, so a resource's
 * `Architectures` overrides the global one (SAM is moving to this rule, aws/serverless-application-model#3939).
 */
const REPLACED_LISTS = new Set(['Architectures']);

export interface GlobalsSection {
  /** Global properties by section name (`Function`, `Api`, `HttpApi` …), validated. */
  readonly sections: Readonly<Record<string, JsonRecord>>;
}

export function readGlobals(value: unknown): GlobalsSection {
  if (value === undefined || value === null) return { sections: {} };
  const sections: Record<string, JsonRecord> = {};
  for (const [name, props] of Object.entries(requireRecord(value, 'Globals'))) {
    const path = `Globals.${name}`;
    if (!(name in SECTION_TYPES)) {
      throw new TemplateError(`not a Globals section; use one of ${Object.keys(SECTION_TYPES).join(', ')}`, path);
    }
    const record = requireRecord(props, path);
    const refused = Object.keys(record).find((key) => NOT_GLOBAL[name]?.includes(key));
    if (refused) throw new TemplateError(`${refused} cannot be set in Globals; set it on each resource`, `${path}.${refused}`);
    sections[name] = record;
  }
  return { sections };
}

function isIntrinsic(value: JsonRecord): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0]!.startsWith('Fn::'));
}

function kind(value: unknown): 'map' | 'list' | 'scalar' {
  if (Array.isArray(value)) return 'list';
  return isRecord(value) && !isIntrinsic(value) ? 'map' : 'scalar';
}

function merge(globalValue: unknown, localValue: unknown, key: string): unknown {
  const k = kind(globalValue);
  if (k !== kind(localValue) || k === 'scalar') return localValue;
  if (k === 'list') return REPLACED_LISTS.has(key) ? localValue : [...(globalValue as unknown[]), ...(localValue as unknown[])];
  const out: JsonRecord = { ...(globalValue as JsonRecord) };
  for (const [childKey, value] of Object.entries(localValue as JsonRecord)) {
    out[childKey] = childKey in out ? merge(out[childKey], value, childKey) : value;
  }
  return out;
}

/** Global properties for one section merged under a resource's own properties. */
export function mergeProperties(globals: GlobalsSection, section: string, properties: unknown, path: string): JsonRecord {
  const local = properties === undefined || properties === null ? {} : properties;
  if (!isRecord(local)) throw new TemplateError(`must be a mapping, got ${describe(local)}`, path);
  const global = globals.sections[section];
  return global ? (merge(global, local, '') as JsonRecord) : local;
}

/** Resources with their Globals applied (a new object; the parsed template is left untouched). */
export function applyGlobals(globals: GlobalsSection, resources: JsonRecord): JsonRecord {
  const sectionOf = new Map(Object.entries(SECTION_TYPES).map(([section, type]) => [type, section]));
  const out: JsonRecord = {};
  for (const [id, resource] of Object.entries(resources)) {
    const section = isRecord(resource) && typeof resource.Type === 'string' ? sectionOf.get(resource.Type) : undefined;
    out[id] = section && isRecord(resource)
      ? { ...resource, Properties: mergeProperties(globals, section, resource.Properties, `Resources.${id}.Properties`) }
      : resource;
  }
  return out;
}
