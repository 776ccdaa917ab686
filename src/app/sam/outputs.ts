/**
 * The `Outputs` section resolved to strings (what `aws cloudformation describe-stacks` would show). Outputs whose
 * `Condition` is false are left out, as CloudFormation does not create them.
 */

import { TemplateError } from '../model.js';
import type { Resolver } from './intrinsics.js';
import { describe, isRecord, requireRecord, type JsonRecord } from './values.js';

function outputText(value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // A list (CommaDelimitedList parameter, GetAZs …) is shown the way CloudFormation shows list values.
  if (Array.isArray(value) && value.every((v) => !isRecord(v) && !Array.isArray(v))) return value.map(String).join(',');
  throw new TemplateError(`an output value must be a string, got ${describe(value)}`, path);
}

export function resolveOutputs(section: unknown, resolver: Resolver): Record<string, string> {
  const outputs: Record<string, string> = {};
  const declared: JsonRecord = section === undefined || section === null ? {} : requireRecord(section, 'Outputs');
  for (const [name, raw] of Object.entries(declared)) {
    const path = `Outputs.${name}`;
    const output = requireRecord(raw, path);
    if (output.Condition !== undefined && !resolver.condition(output.Condition, `${path}.Condition`)) continue;
    if (output.Value === undefined) throw new TemplateError('Value is required', `${path}.Value`);
    outputs[name] = outputText(resolver.resolve(output.Value, `${path}.Value`), `${path}.Value`);
    // Export names are not used locally, but resolving them reports broken references as CloudFormation would.
    if (isRecord(output.Export)) resolver.resolve(output.Export, `${path}.Export`);
  }
  return outputs;
}
