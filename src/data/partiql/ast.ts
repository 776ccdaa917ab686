// The statements DynamoDB's PartiQL supports, after parsing. `?` parameters are already bound: every value is a
// DynamoDB AttributeValue, so translation into the expression ASTs needs no further context.
import type { DocumentPath } from '../expressions/ast.js';
import type { AttributeValue } from '../types/attribute-value.js';

export type Expr =
  | { readonly kind: 'path'; readonly path: DocumentPath }
  | { readonly kind: 'value'; readonly value: AttributeValue }
  | { readonly kind: 'missing' }
  | { readonly kind: 'call'; readonly name: string; readonly args: Expr[] }
  | { readonly kind: 'arithmetic'; readonly op: '+' | '-'; readonly left: Expr; readonly right: Expr };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Predicate =
  | { readonly kind: 'and' | 'or'; readonly left: Predicate; readonly right: Predicate }
  | { readonly kind: 'not'; readonly operand: Predicate }
  | { readonly kind: 'compare'; readonly op: Comparator; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'between'; readonly operand: Expr; readonly low: Expr; readonly high: Expr }
  | { readonly kind: 'in'; readonly operand: Expr; readonly list: Expr[] }
  /** `x IS [NOT] MISSING | NULL | STRING …`: the type word upper-cased. */
  | { readonly kind: 'is'; readonly operand: Expr; readonly type: string; readonly negated: boolean }
  | { readonly kind: 'call'; readonly name: string; readonly args: Expr[] };

export interface Target {
  readonly table: string;
  readonly index?: string;
}

export type Returning = 'ALL OLD' | 'ALL NEW' | 'MODIFIED OLD' | 'MODIFIED NEW';

export type Assignment = { readonly kind: 'set'; readonly path: DocumentPath; readonly value: Expr } | { readonly kind: 'remove'; readonly path: DocumentPath };

export type Statement =
  | { readonly kind: 'select'; readonly target: Target; readonly projection: DocumentPath[] | '*'; readonly where?: Predicate }
  | { readonly kind: 'insert'; readonly target: Target; readonly item: Record<string, AttributeValue> }
  | { readonly kind: 'update'; readonly target: Target; readonly assignments: Assignment[]; readonly where?: Predicate; readonly returning?: Returning }
  | { readonly kind: 'delete'; readonly target: Target; readonly where?: Predicate; readonly returning?: Returning };
