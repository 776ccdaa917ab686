/**
 * The view of one resource that the attribute tables work from, and the ARN helper they share.
 */

import type { StackEnv } from './stack.js';

/** A resource as seen by the attribute table: its identity, its (resolved, lazily) properties and id helpers. */
export interface ResourceView {
  readonly logicalId: string;
  readonly type: string;
  readonly env: StackEnv;
  /** A resolved property, or undefined when not set. */
  prop(name: string): unknown;
  /** The string property `nameProp` if set, else CloudFormation's generated `<stack>-<logicalId>-<SUFFIX>`. */
  name(nameProp: string | undefined, maxLength?: number): string;
  /** A deterministic id unique to this resource and `purpose`. */
  id(purpose: string, length: number, kind: 'upper' | 'lower' | 'uuid'): string;
}

export interface TypeBehaviour {
  ref(r: ResourceView): unknown;
  readonly attrs?: Readonly<Record<string, (r: ResourceView) => unknown>>;
}

export function arn(r: ResourceView, service: string, resource: string, scope: 'regional' | 'global' | 's3' = 'regional'): string {
  const { partition, region, accountId } = r.env;
  if (scope === 's3') return `arn:${partition}:${service}:::${resource}`;
  return `arn:${partition}:${service}:${scope === 'global' ? '' : region}:${accountId}:${resource}`;
}
