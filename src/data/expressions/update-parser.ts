import type { AttributeValue } from '../types/attribute-value.js';
import type { DocumentPath, Operand, UpdateAction, UpdateExpression, UpdateValue } from './ast.js';
import { attemptReading, checkPathOverlaps, type Grammar, immediateType, isKeywordToken, parseCommaList, parseExpression, type ParseState, parsePath, parseValue } from './common.js';
import type { ExpressionContext } from './context.js';

// Grammar: developer guide, "Update expressions" (SET with + / -, list_append, if_not_exists; REMOVE; ADD; DELETE).
// Messages and precedence: architect/dynalite db/updateParser.pegjs, asserted against DynamoDB in test/updateItem.js.

const SECTIONS = ['SET', 'REMOVE', 'ADD', 'DELETE'] as const;
const KEYWORDS = new Set<string>(SECTIONS);
const FUNCTION_ARITY: Record<string, number> = { if_not_exists: 2, list_append: 2, '+': 2, '-': 2 };
const GRAMMAR: Grammar = {
  keywords: KEYWORDS,
  nameCategory: 'attrName',
  valueCategory: 'attrValue',
  errorOrder: ['reserved', 'unknownFunction', 'section', 'attrName', 'attrValue', 'pathOverlap', 'pathConflict', 'operand', 'function'],
};
const TYPE_NAMES: Record<string, string> = { S: 'STRING', N: 'NUMBER', B: 'BINARY', NULL: 'NULL', BOOL: 'BOOLEAN', L: 'LIST', M: 'MAP' };

function checkFunction(state: ParseState, name: string, args: Operand[]): void {
  const arity = FUNCTION_ARITY[name];
  if (arity === undefined) {
    state.errors.add('unknownFunction', `Invalid function name; function: ${name}`);
    return;
  }
  if (arity !== args.length) {
    state.errors.add('function', `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
    return;
  }
  const bad = (type: string) =>
    state.errors.add('function', `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`);
  if (name === 'if_not_exists') {
    if (args[0].kind !== 'path') state.errors.add('function', `Operator or function requires a document path; operator or function: ${name}`);
    return;
  }
  const wanted = name === 'list_append' ? 'L' : 'N';
  for (const a of args) {
    const t = immediateType(a);
    if (t && t !== wanted) {
      bad(t);
      return;
    }
  }
}

function parseOperand(state: ParseState): Operand {
  const { ts } = state;
  if (ts.isPunct('(')) {
    ts.next();
    const inner = parseOperand(state);
    ts.expectPunct(')');
    return inner;
  }
  const t = ts.peek();
  if (t.kind === 'attrValue') return parseValue(state);
  if (t.kind === 'name' && ts.isPunct('(', 1)) {
    if (isKeywordToken(state)) ts.fail();
    ts.next();
    ts.next();
    const args = parseCommaList(state, () => parseOperand(state));
    ts.expectPunct(')');
    state.operators++;
    checkFunction(state, t.text, args);
    return { kind: 'function', name: t.text, args };
  }
  return { kind: 'path', path: parsePath(state) };
}

function parseSetValueInner(state: ParseState): UpdateValue {
  const left = parseOperand(state);
  const { ts } = state;
  if (ts.isPunct('+') || ts.isPunct('-')) {
    const op = ts.next().text as '+' | '-';
    const right = parseOperand(state);
    state.operators++;
    checkFunction(state, op, [left, right]);
    return { kind: 'arithmetic', op, left, right };
  }
  return left;
}

function parseSetValue(state: ParseState): UpdateValue {
  const { ts } = state;
  if (ts.isPunct('(')) {
    const grouped = attemptReading(state, () => {
      ts.next();
      const v = parseSetValueInner(state);
      ts.expectPunct(')');
      if (ts.isPunct('+') || ts.isPunct('-')) ts.fail();
      return v;
    });
    if (grouped) return grouped;
  }
  return parseSetValueInner(state);
}

function checkOperand(state: ParseState, operator: 'ADD' | 'DELETE', value: Operand): void {
  const t = immediateType(value);
  if (t && TYPE_NAMES[t] && !(operator === 'ADD' && t === 'N')) {
    state.errors.add('operand', `Incorrect operand type for operator or function; operator: ${operator}, operand type: ${TYPE_NAMES[t]}`);
  }
}

function parseAction(state: ParseState, section: (typeof SECTIONS)[number]): UpdateAction {
  const path = parsePath(state);
  switch (section) {
    case 'SET':
      state.ts.expectPunct('=');
      return { kind: 'set', path, value: parseSetValue(state) };
    case 'REMOVE':
      return { kind: 'remove', path };
    case 'ADD':
    case 'DELETE': {
      const value = parseValue(state);
      checkOperand(state, section, value);
      return { kind: section === 'ADD' ? 'add' : 'delete', path, value: (value as { value: AttributeValue }).value };
    }
  }
}

/** section action ( ',' action )* ( section … )*, each of SET, REMOVE, ADD and DELETE at most once. */
function parseSections(state: ParseState): UpdateAction[] {
  const { ts } = state;
  const actions: UpdateAction[] = [];
  const seen = new Set<string>();
  do {
    const t = ts.peek();
    const found = SECTIONS.find((s) => t.kind === 'name' && t.text.toUpperCase() === s);
    const section = found ?? ts.fail();
    ts.next();
    if (seen.has(section)) state.errors.add('section', `The "${section}" section can only be used once in an update expression;`);
    seen.add(section);
    actions.push(...parseCommaList(state, () => parseAction(state, section)));
  } while (ts.peek().kind !== 'eof');
  return actions;
}

/** Parses an UpdateExpression; throws DynamoValidationError with "Invalid UpdateExpression: …". */
export function parseUpdate(expression: string, ctx: ExpressionContext): UpdateExpression {
  return parseExpression('UpdateExpression', expression, ctx, GRAMMAR, (state) => {
    const actions = parseSections(state);
    checkPathOverlaps(state.errors, actions.map((a): DocumentPath => a.path));
    return { actions };
  });
}
