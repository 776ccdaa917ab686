// PartiQL tokens as DynamoDB reads them: 'string' literals ('' escapes a quote), "quoted identifiers" ("" escapes a
// double quote), numbers, bare words, `?` parameters and punctuation including the bag brackets << >>. Comments
// (-- to end of line, /* … */) are skipped, as DynamoDB accepts them.
import { PartiqlSyntaxError } from './errors.js';

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'param' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The word as written, the identifier or string without quotes, the number's text, or the punctuation. */
  readonly text: string;
  readonly start: number;
}

const PUNCT = ['<<', '>>', '<>', '!=', '<=', '>=', '=', '<', '>', '(', ')', '[', ']', '{', '}', ',', '.', ':', '*', '+', '-', ';'];

function isWordStart(c: string): boolean {
  return /[A-Za-z_$]/.test(c);
}

function isWordPart(c: string): boolean {
  return /[A-Za-z0-9_$]/.test(c);
}

/** Reads a quoted run starting at `start` (the opening quote); a doubled quote stands for one. */
function readQuoted(source: string, start: number, quote: string): { text: string; end: number } {
  let text = '';
  let i = start + 1;
  for (;;) {
    if (i >= source.length) throw new PartiqlSyntaxError();
    const c = source[i]!;
    if (c === quote) {
      if (source[i + 1] === quote) {
        text += quote;
        i += 2;
        continue;
      }
      return { text, end: i + 1 };
    }
    text += c;
    i++;
  }
}

/** Index just past a comment starting at `i`, or `i` when none starts there. */
function skipComment(source: string, i: number): number {
  if (source.startsWith('--', i)) {
    const end = source.indexOf('\n', i);
    return end < 0 ? source.length : end + 1;
  }
  if (source.startsWith('/*', i)) {
    const end = source.indexOf('*/', i + 2);
    if (end < 0) throw new PartiqlSyntaxError();
    return end + 2;
  }
  return i;
}

function readNumber(source: string, start: number): number {
  let i = start;
  while (/[0-9]/.test(source[i] ?? '')) i++;
  if (source[i] === '.' && /[0-9]/.test(source[i + 1] ?? '')) {
    i++;
    while (/[0-9]/.test(source[i] ?? '')) i++;
  }
  if (/[eE]/.test(source[i] ?? '') && /[-+0-9]/.test(source[i + 1] ?? '')) {
    i += /[-+]/.test(source[i + 1]!) ? 2 : 1;
    while (/[0-9]/.test(source[i] ?? '')) i++;
  }
  return i;
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const afterComment = skipComment(source, i);
    if (afterComment !== i) {
      i = afterComment;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"') {
      const { text, end } = readQuoted(source, i, c);
      tokens.push({ kind: c === "'" ? 'string' : 'quoted', text, start });
      i = end;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      i = readNumber(source, i);
      tokens.push({ kind: 'number', text: source.slice(start, i), start });
    } else if (isWordStart(c)) {
      while (i < source.length && isWordPart(source[i]!)) i++;
      tokens.push({ kind: 'word', text: source.slice(start, i), start });
    } else if (c === '?') {
      i++;
      tokens.push({ kind: 'param', text: '?', start });
    } else {
      const p = PUNCT.find((x) => source.startsWith(x, i));
      if (!p) throw new PartiqlSyntaxError();
      i += p.length;
      tokens.push({ kind: 'punct', text: p, start });
    }
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: source.length });
  return tokens;
}
