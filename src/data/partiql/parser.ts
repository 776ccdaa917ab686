// A recursive-descent parser for the PartiQL subset DynamoDB runs (developer guide, "PartiQL statements for
// DynamoDB": SELECT, INSERT, UPDATE, DELETE; "Data types"; "Functions"; "Operators"). `?` parameters are bound while
// parsing, in order. Nesting is bounded, so a deeply nested statement is an error, not a stack overflow.
import type { DocumentPath } from '../expressions/ast.js';
import type { AttributeValue } from '../types/attribute-value.js';
import { DynamoValidationError } from '../types/errors.js';
import { normalizeAttributeValue } from '../types/validate.js';
import type { Assignment, Comparator, Expr, Predicate, Returning, Statement, Target } from './ast.js';
import { PartiqlSyntaxError } from './errors.js';
import { MAX_NESTING, PARTIQL_MESSAGES } from './messages.js';
import { tokenize, type Token } from './tokenizer.js';

/** Words that end a path or start a clause; everything else may name an attribute unquoted. */
const KEYWORDS = new Set([
  'SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'IN', 'BETWEEN', 'IS', 'MISSING', 'NULL', 'TRUE', 'FALSE',
  'VALUE', 'VALUES', 'SET', 'REMOVE', 'RETURNING', 'INTO', 'UPDATE', 'DELETE', 'INSERT',
]);
const COMPARATORS: Readonly<Record<string, Comparator>> = { '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

class Parser {
  private pos = 0;
  private depth = 0;
  private bound = 0;
  private readonly tokens: Token[];

  constructor(source: string, private readonly parameters: readonly AttributeValue[]) {
    this.tokens = tokenize(source);
  }

  // ------------------------------------------------------------------ cursor

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'word' && t.text.toUpperCase() === word;
  }

  private isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'punct' && t.text === text;
  }

  private fail(): never {
    throw new PartiqlSyntaxError();
  }

  /** Consumes the current token and answers `value`. */
  private take<T>(value: T): T {
    this.next();
    return value;
  }

  private expectWord(word: string): void {
    if (!this.isWord(word)) this.fail();
    this.next();
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) this.fail();
    this.next();
  }

  /** Runs `parse` one level deeper; past MAX_NESTING the statement is refused. */
  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_NESTING) throw new PartiqlSyntaxError();
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  // ------------------------------------------------------------------ statements

  statement(): Statement {
    const t = this.peek();
    let statement: Statement;
    if (this.isWord('SELECT')) statement = this.select();
    else if (this.isWord('INSERT')) statement = this.insert();
    else if (this.isWord('UPDATE')) statement = this.update();
    else if (this.isWord('DELETE')) statement = this.delete();
    else if (t.kind === 'eof') this.fail();
    // DynamoDB's own words for a statement that is no SELECT, INSERT, UPDATE or DELETE.
    else throw new DynamoValidationError(PARTIQL_MESSAGES.malformed(PARTIQL_MESSAGES.notDml));
    if (this.isPunct(';')) this.next();
    if (this.peek().kind !== 'eof') this.fail();
    if (this.bound > this.parameters.length) throw new DynamoValidationError(PARTIQL_MESSAGES.parameterCount);
    return statement;
  }

  private select(): Statement {
    this.next();
    let projection: DocumentPath[] | '*';
    if (this.isPunct('*')) {
      this.next();
      projection = '*';
      if (this.isPunct(',')) throw new DynamoValidationError(PARTIQL_MESSAGES.starAndOthers);
    } else {
      projection = this.commaList(() => {
        if (this.isPunct('*')) throw new DynamoValidationError(PARTIQL_MESSAGES.starAndOthers);
        return this.path();
      });
    }
    this.expectWord('FROM');
    const target = this.target();
    const where = this.optionalWhere();
    return { kind: 'select', target, projection, ...(where ? { where } : {}) };
  }

  private insert(): Statement {
    this.next();
    this.expectWord('INTO');
    const target = this.target();
    this.expectWord('VALUE');
    if (!this.isPunct('{') && this.peek().kind !== 'param') this.fail();
    const item = this.literal();
    if (!('M' in item)) throw new DynamoValidationError(PARTIQL_MESSAGES.itemFormat);
    if (this.isWord('RETURNING')) throw new DynamoValidationError(PARTIQL_MESSAGES.returningInsert);
    return { kind: 'insert', target, item: item.M };
  }

  private update(): Statement {
    this.next();
    const target = this.target();
    const assignments: Assignment[] = [];
    while (this.isWord('SET') || this.isWord('REMOVE')) {
      const set = this.next().text.toUpperCase() === 'SET';
      assignments.push(
        ...this.commaList((): Assignment => {
          const path = this.path();
          if (!set) return { kind: 'remove', path };
          this.expectPunct('=');
          return { kind: 'set', path, value: this.arithmetic() };
        }),
      );
    }
    if (assignments.length === 0) this.fail();
    const where = this.optionalWhere();
    const returning = this.optionalReturning();
    return { kind: 'update', target, assignments, ...(where ? { where } : {}), ...(returning ? { returning } : {}) };
  }

  private delete(): Statement {
    this.next();
    this.expectWord('FROM');
    const target = this.target();
    const where = this.optionalWhere();
    const returning = this.optionalReturning();
    if (returning && returning !== 'ALL OLD') throw new DynamoValidationError(PARTIQL_MESSAGES.returningDelete(`${returning} *`));
    return { kind: 'delete', target, ...(where ? { where } : {}), ...(returning ? { returning } : {}) };
  }

  /** "table" or "table"."index" (at most two components). */
  private target(): Target {
    const table = this.identifier();
    if (!this.isPunct('.')) return { table };
    this.next();
    const index = this.identifier();
    if (this.isPunct('.')) throw new DynamoValidationError(PARTIQL_MESSAGES.pathElements);
    return { table, index };
  }

  private optionalWhere(): Predicate | undefined {
    if (!this.isWord('WHERE')) return undefined;
    this.next();
    return this.or();
  }

  private optionalReturning(): Returning | undefined {
    if (!this.isWord('RETURNING')) return undefined;
    this.next();
    const which = this.next().text.toUpperCase();
    const image = this.next().text.toUpperCase();
    if ((which !== 'ALL' && which !== 'MODIFIED') || (image !== 'OLD' && image !== 'NEW')) this.fail();
    if (!this.isPunct('*')) throw new DynamoValidationError(PARTIQL_MESSAGES.returningSyntax);
    this.next();
    return `${which} ${image}` as Returning;
  }

  // ------------------------------------------------------------------ names and paths

  private identifier(): string {
    const t = this.peek();
    if (t.kind === 'quoted' || (t.kind === 'word' && !KEYWORDS.has(t.text.toUpperCase()))) {
      this.next();
      return t.text;
    }
    return this.fail();
  }

  /** name ( '.' name | '[' digits ']' )* */
  private path(): DocumentPath {
    const path: DocumentPath = [this.identifier()];
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        path.push(this.identifier());
      } else if (this.isPunct('[')) {
        this.next();
        const n = this.next();
        if (n.kind !== 'number' || !/^[0-9]+$/.test(n.text)) this.fail();
        this.expectPunct(']');
        path.push(Number(n.text));
      } else {
        return path;
      }
    }
  }

  private commaList<T>(item: () => T): T[] {
    const items = [item()];
    while (this.isPunct(',')) {
      this.next();
      items.push(item());
    }
    return items;
  }

  // ------------------------------------------------------------------ conditions

  private or(): Predicate {
    return this.nested(() => {
      let left = this.and();
      while (this.isWord('OR')) {
        this.next();
        left = { kind: 'or', left, right: this.and() };
      }
      return left;
    });
  }

  private and(): Predicate {
    let left = this.not();
    while (this.isWord('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.not() };
    }
    return left;
  }

  private not(): Predicate {
    if (!this.isWord('NOT')) return this.predicate();
    this.next();
    return this.nested(() => ({ kind: 'not', operand: this.not() }));
  }

  private predicate(): Predicate {
    if (this.isPunct('(')) {
      this.next();
      const inner = this.or();
      this.expectPunct(')');
      return inner;
    }
    const left = this.operand();
    const t = this.peek();
    if (t.kind === 'punct' && COMPARATORS[t.text]) {
      this.next();
      return { kind: 'compare', op: COMPARATORS[t.text]!, left, right: this.operand() };
    }
    const negated = this.isWord('NOT') && (this.isWord('IN', 1) || this.isWord('BETWEEN', 1));
    if (negated) this.next();
    let predicate: Predicate;
    if (this.isWord('BETWEEN')) {
      this.next();
      const low = this.operand();
      this.expectWord('AND');
      predicate = { kind: 'between', operand: left, low, high: this.operand() };
    } else if (this.isWord('IN')) {
      this.next();
      predicate = { kind: 'in', operand: left, list: this.inList() };
    } else if (this.isWord('IS')) {
      this.next();
      const not = this.isWord('NOT');
      if (not) this.next();
      const type = this.next();
      if (type.kind !== 'word') this.fail();
      return { kind: 'is', operand: left, type: type.text.toUpperCase(), negated: not };
    } else if (left.kind === 'call') {
      return { kind: 'call', name: left.name, args: left.args };
    } else {
      return this.fail();
    }
    return negated ? { kind: 'not', operand: predicate } : predicate;
  }

  /** IN ( a, b ) or IN [ a, b ]. */
  private inList(): Expr[] {
    const close = this.isPunct('(') ? ')' : this.isPunct('[') ? ']' : this.fail();
    this.next();
    const list = this.commaList(() => this.operand());
    this.expectPunct(close);
    return list;
  }

  // ------------------------------------------------------------------ operands and values

  /** A value, a path or a function call. */
  private operand(): Expr {
    const t = this.peek();
    if (t.kind === 'word' && this.isPunct('(', 1)) {
      this.next();
      this.next();
      const args = this.isPunct(')') ? [] : this.nested(() => this.commaList(() => this.arithmetic()));
      this.expectPunct(')');
      return { kind: 'call', name: t.text.toLowerCase(), args };
    }
    if (this.isWord('MISSING')) {
      this.next();
      return { kind: 'missing' };
    }
    if (t.kind === 'quoted' || (t.kind === 'word' && !KEYWORDS.has(t.text.toUpperCase()))) return { kind: 'path', path: this.path() };
    return { kind: 'value', value: this.literal() };
  }

  /** operand ( ('+' | '-') operand )? — SET's arithmetic. */
  private arithmetic(): Expr {
    const left = this.operand();
    if (!this.isPunct('+') && !this.isPunct('-')) return left;
    const op = this.next().text as '+' | '-';
    return { kind: 'arithmetic', op, left, right: this.operand() };
  }

  private literal(): AttributeValue {
    return this.nested(() => normalizeAttributeValue(this.rawLiteral()));
  }

  private rawLiteral(): AttributeValue {
    const t = this.peek();
    if (t.kind === 'string') return this.take({ S: t.text });
    if (t.kind === 'number') return this.take({ N: t.text });
    if (this.isPunct('-') && this.peek(1).kind === 'number') {
      this.next();
      return { N: `-${this.next().text}` };
    }
    if (t.kind === 'param') {
      this.next();
      const value = this.parameters[this.bound++];
      return value ?? { NULL: true };
    }
    if (this.isWord('TRUE') || this.isWord('FALSE')) return this.take({ BOOL: t.text.toUpperCase() === 'TRUE' });
    if (this.isWord('NULL')) return this.take({ NULL: true });
    if (this.isPunct('[')) return { L: this.sequence('[', ']', () => this.literal()) };
    if (this.isPunct('<<')) return this.bag();
    if (this.isPunct('{')) return { M: this.map() };
    return this.fail();
  }

  private sequence<T>(open: string, close: string, item: () => T): T[] {
    this.expectPunct(open);
    const items = this.isPunct(close) ? [] : this.commaList(item);
    this.expectPunct(close);
    return items;
  }

  /** << 'a', 'b' >> is a string set, << 1, 2 >> a number set; DynamoDB refuses empty and mixed bags. */
  private bag(): AttributeValue {
    const elements = this.sequence('<<', '>>', () => {
      const t = this.peek();
      if (t.kind === 'string') return this.take({ S: t.text });
      if (t.kind === 'number' || (this.isPunct('-') && this.peek(1).kind === 'number')) return this.rawLiteral() as { N: string };
      throw new DynamoValidationError(PARTIQL_MESSAGES.bagType);
    });
    if (elements.length === 0) throw new DynamoValidationError(PARTIQL_MESSAGES.emptyBag);
    if (elements.every((e) => 'S' in e)) return { SS: elements.map((e) => (e as { S: string }).S) };
    if (elements.every((e) => 'N' in e)) return { NS: elements.map((e) => (e as { N: string }).N) };
    throw new DynamoValidationError(PARTIQL_MESSAGES.bagType);
  }

  /** { 'key': value, … }; keys are string literals or quoted names, each at most once. */
  private map(): Record<string, AttributeValue> {
    const map: Record<string, AttributeValue> = {};
    this.sequence('{', '}', () => {
      const key = this.next();
      if (key.kind !== 'string' && key.kind !== 'quoted') this.fail();
      this.expectPunct(':');
      if (Object.prototype.hasOwnProperty.call(map, key.text)) throw new DynamoValidationError(PARTIQL_MESSAGES.duplicateTupleKey(key.text, 'item'));
      map[key.text] = this.literal();
    });
    return map;
  }
}

/** Parses one statement, binding `?` parameters in order; fails when the statement uses more than were sent. */
export function parseStatement(source: string, parameters: readonly AttributeValue[]): Statement {
  try {
    return new Parser(source, parameters).statement();
  } catch (e) {
    if (e instanceof PartiqlSyntaxError) throw new DynamoValidationError(PARTIQL_MESSAGES.malformed(source));
    throw e;
  }
}
