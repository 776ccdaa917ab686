/**
 * Wires the pieces that resolve a template — conditions, resource table, resolver — which refer to each other
 * (a condition may `Ref` a parameter, a resource name may `!Sub` another resource's name …).
 */

import { ConditionTable } from './conditions.js';
import { Resolver } from './intrinsics.js';
import type { ParamValue } from './parameters.js';
import { ResourceTable } from './resources.js';
import type { StackEnv } from './stack.js';
import { optionalRecord, type JsonRecord } from './values.js';

export interface Scope {
  readonly resolver: Resolver;
  readonly table: ResourceTable;
  readonly conditions: ConditionTable;
}

export interface ScopeInputs {
  readonly template: JsonRecord;
  /** Resources to resolve against (Globals applied, includes possibly expanded). */
  readonly resources: JsonRecord;
  readonly env: StackEnv;
  readonly parameters: ReadonlyMap<string, ParamValue>;
  readonly importValues: Readonly<Record<string, string>>;
}

export function createScope(inputs: ScopeInputs): Scope {
  const conditions = new ConditionTable(inputs.template.Conditions);
  const table = new ResourceTable(inputs.resources, inputs.env);
  const resolver = new Resolver({
    env: inputs.env,
    parameters: inputs.parameters,
    mappings: optionalRecord(inputs.template.Mappings, 'Mappings'),
    conditions,
    references: table,
    importValues: inputs.importValues,
  });
  table.bind(resolver);
  return { resolver, table, conditions };
}
