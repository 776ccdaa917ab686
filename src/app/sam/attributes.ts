/**
 * What `Ref` and `Fn::GetAtt` return for each resource type. Most resources mean nothing locally, but templates
 * still pass their names and ARNs around (environment variables, policies, outputs), so every type yields values
 * shaped like the real ones, and an unknown type or attribute yields a plausible string rather than an error.
 */

import { arn, type ResourceView, type TypeBehaviour } from './resource-view.js';
import { OTHER_TYPES } from './types-other.js';
import { SERVED_TYPES } from './types-served.js';

/** `AWS::Foo::BarBaz` -> service `foo`, resource kind `barbaz`; used for ARNs of types the tables do not know. */
function serviceParts(type: string): { service: string; kind: string } {
  const parts = type.split('::');
  return { service: (parts[1] ?? 'custom').toLowerCase(), kind: (parts[2] ?? parts[1] ?? 'resource').toLowerCase() };
}

const FALLBACK: TypeBehaviour = { ref: (r) => r.name(undefined, 255) };

function fallbackAttribute(r: ResourceView, attribute: string, refValue: unknown): unknown {
  // Many attributes echo a property of the same name (`!GetAtt Vpc.CidrBlock`); the property is the best guess.
  const own = r.prop(attribute);
  if (typeof own === 'string' || typeof own === 'number') return String(own);
  const { service, kind } = serviceParts(r.type);
  const name = typeof refValue === 'string' ? refValue : r.name(undefined, 255);
  if (attribute === 'Arn' || attribute.endsWith('Arn')) return arn(r, service, `${kind}/${name}`);
  if (attribute === 'Name' || attribute.endsWith('Name')) return name;
  if (attribute === 'Id' || attribute.endsWith('Id')) return r.id(attribute, 10, 'lower');
  return `${name}-${attribute.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}`;
}

const TYPES: Readonly<Record<string, TypeBehaviour>> = { ...SERVED_TYPES, ...OTHER_TYPES };

export function refValue(r: ResourceView): unknown {
  return (TYPES[r.type] ?? FALLBACK).ref(r);
}

export function attributeValue(r: ResourceView, attribute: string): unknown {
  const behaviour = TYPES[r.type] ?? FALLBACK;
  const known = behaviour.attrs?.[attribute];
  return known ? known(r) : fallbackAttribute(r, attribute, behaviour.ref(r));
}
