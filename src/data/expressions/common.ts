import type { AttributeValue } from '../types/attribute-value.js';
import { DynamoValidationError } from '../types/errors.js';
import type { DocumentPath, Operand } from './ast.js';
import { pathToString } from './ast.js';
import { checkExpressionText, ErrorSink, EXPRESSION_MESSAGES, type ExpressionContext, type ExpressionKind, MAX_OPERATORS } from './context.js';
import { isReservedWord } from './reserved-words.js';
import { SyntaxFailure, tokenize, TokenStream } from './tokenizer.js';

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

/** What differs between the expression grammars: their keywords, error categories and error precedence. */
export interface Grammar {
  readonly keywords: ReadonlySet<string>;
  readonly nameCategory: string;
  readonly valueCategory: string;
  /** Error categories by precedence: DynamoDB reports only the first semantic error found in this order. */
  readonly errorOrder: readonly string[];
}

/**
 * Parses a whole expression of `kind` with `parse`, then reports what DynamoDB reports, in its order: an empty or too
 * long text, a syntax error, the first semantic error by the grammar's precedence, too many operators.
 */
export function parseExpression<T>(kind: ExpressionKind, expression: string, ctx: ExpressionContext, grammar: Grammar, parse: (state: ParseState) => T): T {
  checkExpressionText(kind, expression);
  const ts = new TokenStream(expression, tokenize(expression));
  const { keywords, nameCategory, valueCategory } = grammar;
  const state: ParseState = { ts, ctx, errors: new ErrorSink(), keywords, nameCategory, valueCategory, operators: 0 };
  let result: T;
  try {
    result = parse(state);
  } catch (e) {
    if (e instanceof SyntaxFailure) throw ts.syntaxError(kind);
    throw e;
  }
  const message = state.errors.first(grammar.errorOrder);
  if (message !== undefined) throw new DynamoValidationError(`Invalid ${kind}: ${message}`);
  if (state.operators > MAX_OPERATORS) throw new DynamoValidationError(`Invalid ${kind}: ${EXPRESSION_MESSAGES.tooManyOperators(state.operators)}`);
  return result;
}

/** Fails with a syntax error unless every token was consumed. */
export function expectEnd(state: ParseState): void {
  if (state.ts.peek().kind !== 'eof') state.ts.fail();
}

/** item ( ',' item )* */
export function parseCommaList<T>(state: ParseState, parseItem: () => T): T[] {
  const items = [parseItem()];
  while (state.ts.isPunct(',')) {
    state.ts.next();
    items.push(parseItem());
  }
  return items;
}

/**
 * Tries a reading that may turn out wrong (a '(' that opens a group or only an operand). On a syntax failure the
 * position, the errors collected and the operator count are all put back, so the other reading starts clean.
 */
export function attemptReading<T>(state: ParseState, parse: () => T): T | undefined {
  const snapshot = state.errors.snapshot();
  const operators = state.operators;
  const result = state.ts.attempt(parse);
  if (result === undefined) {
    state.errors.restore(snapshot);
    state.operators = operators;
  }
  return result;
}
