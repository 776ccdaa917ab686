import type { AttributeValue } from '../types/attribute-value.js';
import type { DocumentPath, Operand } from './ast.js';
import { pathToString } from './ast.js';
import { type ErrorSink, EXPRESSION_MESSAGES, type ExpressionContext } from './context.js';
import { isReservedWord } from './reserved-words.js';
import type { TokenStream } from './tokenizer.js';

/** Shared parsing state: tokens, placeholders, collected semantic errors, the words that cannot be identifiers. */
export interface ParseState {
  readonly ts: TokenStream;
  readonly ctx: ExpressionContext;
  readonly errors: ErrorSink;
  readonly keywords: ReadonlySet<string>;
  readonly nameCategory: string;
  readonly valueCategory: string;
  operators: number;
}

export function isKeywordToken(state: ParseState, offset = 0): boolean {
  const t = state.ts.peek(offset);
  return t.kind === 'name' && state.keywords.has(t.text.toUpperCase());
}

function pathName(state: ParseState): string {
  const t = state.ts.peek();
  if (t.kind === 'name' && !state.keywords.has(t.text.toUpperCase())) {
    state.ts.next();
    if (isReservedWord(t.text)) state.errors.add('reserved', EXPRESSION_MESSAGES.reserved(t.text));
    return t.text;
  }
  if (t.kind === 'attrName') {
    state.ts.next();
    const resolved = state.ctx.name(t.text);
    if (resolved === undefined) {
      state.errors.add(state.nameCategory, EXPRESSION_MESSAGES.undefinedName(t.text));
      return t.text;
    }
    return resolved;
  }
  return state.ts.fail();
}

/** path := name ( '[' digits ']' | '.' name )* */
export function parsePath(state: ParseState): DocumentPath {
  const { ts } = state;
  const path: DocumentPath = [pathName(state)];
  for (;;) {
    if (ts.isPunct('[')) {
      ts.next();
      const n = ts.peek();
      if (n.kind !== 'number') ts.fail();
      ts.next();
      ts.expectPunct(']');
      path.push(Number(n.text));
    } else if (ts.isPunct('.')) {
      ts.next();
      path.push(pathName(state));
    } else {
      return path;
    }
  }
}

export function parseValue(state: ParseState): Operand {
  const t = state.ts.peek();
  if (t.kind !== 'attrValue') state.ts.fail();
  state.ts.next();
  const value = state.ctx.value(t.text);
  if (value === undefined) {
    state.errors.add(state.valueCategory, EXPRESSION_MESSAGES.undefinedValue(t.text));
    return { kind: 'value', placeholder: t.text, value: { NULL: true } };
  }
  return { kind: 'value', placeholder: t.text, value };
}

/** Adds an error for each later path that overlaps or conflicts with an earlier one (update, projection). */
export function checkPathOverlaps(errors: ErrorSink, paths: DocumentPath[]): void {
  const seen: DocumentPath[] = [];
  for (const path of paths) {
    for (const earlier of seen) {
      let conflict = false;
      let diverged = false;
      for (let i = 0; i < earlier.length && i < path.length; i++) {
        if (typeof earlier[i] !== typeof path[i]) {
          conflict = true;
          break;
        }
        if (earlier[i] !== path[i]) {
          diverged = true;
          break;
        }
      }
      const pair = `must remove or rewrite one of these paths; path one: ${pathToString(earlier)}, path two: ${pathToString(path)}`;
      if (conflict) errors.add('pathConflict', `Two document paths conflict with each other; ${pair}`);
      else if (!diverged) {
        errors.add('pathOverlap', `Two document paths overlap with each other; ${pair}`);
        return;
      }
    }
    seen.push(path);
  }
}

export function immediateType(op: Operand | undefined): string | undefined {
  if (!op || op.kind !== 'value') return undefined;
  return Object.keys(op.value)[0];
}

export function valueOf(op: Operand): AttributeValue | undefined {
  return op.kind === 'value' ? op.value : undefined;
}
