import { compareValues } from '../types/compare.js';
import type { Comparator, Condition, DocumentPath, Operand } from './ast.js';
import { pathToString } from './ast.js';
import { attemptReading, expectEnd, type Grammar, immediateType, isKeywordToken, parseCommaList, parseExpression, type ParseState, parsePath, parseValue } from './common.js';
import type { ExpressionContext, ExpressionKind } from './context.js';

// Grammar and semantic checks follow DynamoDB's documented syntax (developer guide, "Condition and filter
// expressions, operators, and functions"); messages and their precedence from architect/dynalite
// db/conditionParser.pegjs, asserted against DynamoDB in test/scan.js and test/query.js.

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const COMPARATORS: readonly string[] = ['=', '<>', '<', '<=', '>', '>='];
const FUNCTION_ARITY: Record<string, number> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
  size: 1,
};
const GRAMMAR: Grammar = {
  keywords: KEYWORDS,
  nameCategory: 'attrNameVal',
  valueCategory: 'attrNameVal',
  errorOrder: ['parens', 'unknownFunction', 'misusedFunction', 'reserved', 'attrNameVal', 'operand', 'distinct', 'function'],
};
const TYPE_NAMES = ['S', 'N', 'B', 'NULL', 'SS', 'BOOL', 'L', 'BS', 'NS', 'M'];

/** Parenthesised nodes, to detect DynamoDB's "redundant parentheses". */
type Parenthesised = { node: Condition | Operand; parens: boolean };

function operandType(op: Operand): string | undefined {
  if (op.kind === 'function') return op.name === 'size' ? 'N' : 'BOOL';
  return immediateType(op);
}

function samePath(a: Operand, b: Operand): DocumentPath | undefined {
  if (a.kind !== 'path' || b.kind !== 'path' || a.path.length !== b.path.length) return undefined;
  return a.path.every((p, i) => p === b.path[i]) ? a.path : undefined;
}

function checkDistinct(state: ParseState, name: string, a: Operand, b: Operand): void {
  const path = samePath(a, b);
  if (path) {
    state.errors.add('distinct', 'The first operand must be distinct from the remaining operands for this operator or function; operator: ' +
      `${name}, first operand: ${pathToString(path)}`);
  }
}

function checkMisused(state: ParseState, ops: Operand[]): void {
  for (const op of ops) {
    if (op.kind === 'function' && op.name !== 'size') {
      state.errors.add('misusedFunction', `The function is not allowed to be used this way in an expression; function: ${op.name}`);
    }
  }
}

function checkFunction(state: ParseState, name: string, args: Operand[]): void {
  const { errors } = state;
  const arity = FUNCTION_ARITY[name];
  if (arity === undefined) {
    errors.add('unknownFunction', `Invalid function name; function: ${name}`);
    return;
  }
  if (arity !== args.length) {
    errors.add('operand', `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
    return;
  }
  if (args.length === 2) checkDistinct(state, name, args[0], args[1]);
  const bad = (type: string) =>
    errors.add('function', `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`);
  switch (name) {
    case 'attribute_exists':
    case 'attribute_not_exists':
      if (args[0].kind !== 'path') errors.add('function', `Operator or function requires a document path; operator or function: ${name}`);
      break;
    case 'begins_with':
      for (const a of args) {
        const t = operandType(a);
        if (t && t !== 'S' && t !== 'B') {
          bad(t);
          break;
        }
      }
      break;
    case 'attribute_type': {
      const t = operandType(args[1]);
      if (t !== 'S') bad(t ?? '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}');
      else if (args[1].kind === 'value' && !TYPE_NAMES.includes((args[1].value as { S: string }).S)) {
        errors.add('function', `Invalid attribute type name found; type: ${(args[1].value as { S: string }).S}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`);
      }
      break;
    }
    case 'size': {
      const t = operandType(args[0]);
      if (t === 'N' || t === 'BOOL' || t === 'NULL') bad(t);
      break;
    }
  }
}

function checkBetween(state: ParseState, low: Operand, high: Operand): void {
  if (low.kind !== 'value' || high.kind !== 'value') return;
  const t1 = Object.keys(low.value)[0];
  const t2 = Object.keys(high.value)[0];
  const show = (t: string, v: unknown) => `AttributeValue: {${t}:${String((v as Record<string, unknown>)[t])}}`;
  const bounds = `lower bound operand: ${show(t1, low.value)}, upper bound operand: ${show(t2, high.value)}`;
  if (t1 !== t2) state.errors.add('function', `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
  else if (compareValues(low.value, high.value) === 1) {
    state.errors.add('function', `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`);
  }
}

function parseOperand(state: ParseState): Parenthesised {
  const { ts } = state;
  if (ts.isPunct('(')) {
    ts.next();
    const inner = parseOperand(state);
    ts.expectPunct(')');
    if (inner.parens) state.errors.add('parens', 'The expression has redundant parentheses;');
    return { node: inner.node, parens: true };
  }
  const t = ts.peek();
  if (t.kind === 'attrValue') return { node: parseValue(state), parens: false };
  if (t.kind === 'name' && ts.isPunct('(', 1)) {
    if (isKeywordToken(state)) ts.fail();
    ts.next();
    ts.next();
    const args = parseCommaList(state, () => op(state));
    ts.expectPunct(')');
    state.operators++;
    checkMisused(state, args);
    checkFunction(state, t.text, args);
    return { node: { kind: 'function', name: t.text, args }, parens: false };
  }
  return { node: { kind: 'path', path: parsePath(state) }, parens: false };
}

function op(state: ParseState): Operand {
  return parseOperand(state).node as Operand;
}

function parseComparison(state: ParseState): Condition {
  const { ts } = state;
  const left = op(state);
  const t = ts.peek();
  if (t.kind === 'punct' && COMPARATORS.includes(t.text)) {
    ts.next();
    const right = op(state);
    state.operators++;
    checkMisused(state, [left, right]);
    checkDistinct(state, t.text, left, right);
    return { kind: 'compare', op: t.text as Comparator, left, right };
  }
  if (ts.isKeyword('BETWEEN')) {
    ts.next();
    const low = op(state);
    if (!ts.isKeyword('AND')) ts.fail();
    ts.next();
    const high = op(state);
    state.operators++;
    checkMisused(state, [left, low, high]);
    checkBetween(state, low, high);
    return { kind: 'between', operand: left, low, high };
  }
  if (ts.isKeyword('IN')) {
    ts.next();
    ts.expectPunct('(');
    const list = parseCommaList(state, () => op(state));
    ts.expectPunct(')');
    state.operators++;
    checkMisused(state, [left, ...list]);
    return { kind: 'in', operand: left, list };
  }
  if (left.kind === 'function') {
    if (left.name === 'size') {
      state.errors.add('misusedFunction', 'The function is not allowed to be used this way in an expression; function: size');
    }
    return { kind: 'function', name: left.name, args: left.args };
  }
  return ts.fail();
}

function parsePrimary(state: ParseState): Parenthesised {
  const { ts } = state;
  if (ts.isPunct('(')) {
    const grouped = attemptReading(state, () => {
      ts.next();
      const inner = parseOr(state);
      ts.expectPunct(')');
      const n = ts.peek();
      if ((n.kind === 'punct' && COMPARATORS.includes(n.text)) || ts.isKeyword('BETWEEN') || ts.isKeyword('IN')) ts.fail();
      return inner;
    });
    if (grouped) {
      if (grouped.parens) state.errors.add('parens', 'The expression has redundant parentheses;');
      return { node: grouped.node, parens: true };
    }
  }
  return { node: parseComparison(state), parens: false };
}

function parseNot(state: ParseState): Parenthesised {
  if (state.ts.isKeyword('NOT')) {
    state.ts.next();
    const operand = parseNot(state).node as Condition;
    state.operators++;
    return { node: { kind: 'not', operand }, parens: false };
  }
  return parsePrimary(state);
}

/** operand ( AND|OR operand )*, left-associative; AND binds tighter because parseOr chains parseAnd. */
function parseChain(state: ParseState, keyword: 'AND' | 'OR', parseOperand: (state: ParseState) => Parenthesised): Parenthesised {
  const kind = keyword === 'AND' ? 'and' : 'or';
  let left = parseOperand(state);
  while (state.ts.isKeyword(keyword)) {
    state.ts.next();
    const right = parseOperand(state);
    state.operators++;
    left = { node: { kind, left: left.node as Condition, right: right.node as Condition }, parens: false };
  }
  return left;
}

function parseAnd(state: ParseState): Parenthesised {
  return parseChain(state, 'AND', parseNot);
}

function parseOr(state: ParseState): Parenthesised {
  return parseChain(state, 'OR', parseAnd);
}

/**
 * Parses a ConditionExpression, FilterExpression or KeyConditionExpression. Resolves #name and :value placeholders
 * from ctx (marking them used); throws DynamoValidationError with "Invalid <kind>: …".
 */
export function parseCondition(expression: string, ctx: ExpressionContext, kind: ExpressionKind = 'ConditionExpression'): Condition {
  return parseExpression(kind, expression, ctx, GRAMMAR, (state) => {
    const condition = parseOr(state).node as Condition;
    expectEnd(state);
    return condition;
  });
}
