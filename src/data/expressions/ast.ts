import type { AttributeValue } from '../types/attribute-value.js';

/** A document path after placeholder substitution: map keys as strings, list indexes as numbers. */
export type PathElement = string | number;
export type DocumentPath = PathElement[];

export type Operand =
  | { readonly kind: 'path'; readonly path: DocumentPath }
  | { readonly kind: 'value'; readonly placeholder: string; readonly value: AttributeValue }
  | { readonly kind: 'function'; readonly name: string; readonly args: Operand[] };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly operand: Condition }
  | { readonly kind: 'compare'; readonly op: Comparator; readonly left: Operand; readonly right: Operand }
  | { readonly kind: 'between'; readonly operand: Operand; readonly low: Operand; readonly high: Operand }
  | { readonly kind: 'in'; readonly operand: Operand; readonly list: Operand[] }
  | { readonly kind: 'function'; readonly name: string; readonly args: Operand[] };

export type UpdateValue = Operand | { readonly kind: 'arithmetic'; readonly op: '+' | '-'; readonly left: Operand; readonly right: Operand };

export type UpdateAction =
  | { readonly kind: 'set'; readonly path: DocumentPath; readonly value: UpdateValue }
  | { readonly kind: 'remove'; readonly path: DocumentPath }
  | { readonly kind: 'add'; readonly path: DocumentPath; readonly value: AttributeValue }
  | { readonly kind: 'delete'; readonly path: DocumentPath; readonly value: AttributeValue };

export interface UpdateExpression {
  readonly actions: UpdateAction[];
}

/** "[a, b, [3]]", as DynamoDB prints document paths in messages. */
export function pathToString(path: DocumentPath): string {
  return `[${path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join(', ')}]`;
}
