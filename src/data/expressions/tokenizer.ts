import { DynamoValidationError } from '../types/errors.js';

export type TokenKind = 'name' | 'attrName' | 'attrValue' | 'number' | 'punct' | 'invalid' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const PUNCT = ['<>', '<=', '>=', '=', '<', '>', '(', ')', '[', ']', '.', ',', '+', '-'];

function isIdentStart(c: string): boolean {
  return /[A-Za-z_]/.test(c);
}
function isIdentPart(c: string): boolean {
  return /[A-Za-z0-9_]/.test(c);
}

/** Splits an expression into tokens. Never throws: unknown characters become 'invalid' tokens for the parser. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
      continue;
    }
    const start = i;
    if (c === '#' || c === ':') {
      i++;
      while (i < source.length && isIdentPart(source[i])) i++;
      const kind = i - start > 1 ? (c === '#' ? 'attrName' : 'attrValue') : 'invalid';
      tokens.push({ kind, text: source.slice(start, i), start, end: i });
      continue;
    }
    if (isIdentStart(c)) {
      while (i < source.length && isIdentPart(source[i])) i++;
      tokens.push({ kind: 'name', text: source.slice(start, i), start, end: i });
      continue;
    }
    if (/[0-9]/.test(c)) {
      while (i < source.length && isIdentPart(source[i])) i++;
      const text = source.slice(start, i);
      tokens.push({ kind: /^[0-9]+$/.test(text) ? 'number' : 'invalid', text, start, end: i });
      continue;
    }
    const p = PUNCT.find((x) => source.startsWith(x, i));
    if (p) {
      i += p.length;
      tokens.push({ kind: 'punct', text: p, start, end: i });
      continue;
    }
    i++;
    tokens.push({ kind: 'invalid', text: c, start, end: i });
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: source.length, end: source.length });
  return tokens;
}

/**
 * DynamoDB's syntax error: the offending token and the source from the token before it to the token after it,
 * e.g. `Syntax error; token: ":", near: "hits : incr"` for "ADD hits : incr" (aws/aws-cdk#7591) and
 * `token: "INVALID", near: "INVALID SYNTAX"` (nubo-db/dynoxide#12, captured from DynamoDB).
 */
export function syntaxErrorMessage(source: string, tokens: Token[], index: number): string {
  const tok = tokens[index];
  const prev = index > 0 ? tokens[index - 1] : undefined;
  const next = tokens[index + 1];
  const start = prev ? prev.start : tok.start;
  const end = tok.kind === 'eof' ? (prev ? prev.end : tok.start) : next && next.kind !== 'eof' ? next.end : tok.end;
  return `Syntax error; token: "${tok.text}", near: "${source.slice(start, end)}"`;
}

export class SyntaxFailure extends Error {
  constructor(readonly index: number) {
    super('syntax');
  }
}

/** A cursor over tokens shared by the parsers. */
export class TokenStream {
  pos = 0;
  furthest = 0;
  constructor(readonly source: string, readonly tokens: Token[]) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }
  next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }
  isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'punct' && t.text === text;
  }
  isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'name' && t.text.toUpperCase() === word;
  }
  fail(): never {
    this.furthest = Math.max(this.furthest, this.pos);
    throw new SyntaxFailure(this.pos);
  }
  expectPunct(text: string): Token {
    if (!this.isPunct(text)) this.fail();
    return this.next();
  }
  /** Runs a parse attempt; restores the position and returns undefined if it hits a syntax error. */
  attempt<T>(fn: () => T): T | undefined {
    const saved = this.pos;
    try {
      return fn();
    } catch (e) {
      if (e instanceof SyntaxFailure) {
        this.pos = saved;
        return undefined;
      }
      throw e;
    }
  }
  syntaxError(kind: string): DynamoValidationError {
    const index = Math.max(this.furthest, this.pos);
    return new DynamoValidationError(`Invalid ${kind}: ${syntaxErrorMessage(this.source, this.tokens, index)}`);
  }
}
