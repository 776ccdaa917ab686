// Lambda's event filtering (FilterCriteria), which uses EventBridge's event pattern syntax
// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html): a pattern is a JSON object whose
// keys follow the record's structure; a leaf is a list of matchers, any of which may match (OR), and every key of
// a pattern must match (AND), with `$or` for alternatives between sets of keys. Matchers: a literal string, number,
// boolean or null (equals; numbers compare as numbers); `{"prefix": s}` and `{"suffix": s}` (also with
// `{"equals-ignore-case": s}` inside); `{"equals-ignore-case": s}`; `{"anything-but": literal | [literals] |
// {"prefix": s} | {"suffix": s} | {"equals-ignore-case": s | [s]}}`; `{"numeric": [">", 0, "<=", 5]}`; `{"exists":
// true|false}` (leaves only); `{"wildcard": "a*b"}`. A record field that is an array matches when any element does.
// Patterns are compiled once per mapping; a malformed one is an error naming what is wrong.

export type EventPredicate = (event: unknown) => boolean;
type ValueMatcher = (value: unknown, present: boolean) => boolean;

export class FilterPatternError extends Error {
  constructor(message: string) {
    super(`Invalid filter pattern: ${message}`);
    this.name = 'FilterPatternError';
  }
}

const NUMERIC_OPS = new Set(['=', '<', '<=', '>', '>=']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A predicate from JSON pattern text; FilterPatternError when the pattern is not one. */
export function compileFilter(patternText: string): EventPredicate {
  let pattern: unknown;
  try {
    pattern = JSON.parse(patternText);
  } catch {
    throw new FilterPatternError('not JSON');
  }
  if (!isObject(pattern)) throw new FilterPatternError('the pattern must be a JSON object');
  return compileObject(pattern, '');
}

/** A predicate that holds when any of the patterns match (and always when there are none), as Lambda applies `Filters`. */
export function compileFilters(patterns: readonly string[]): EventPredicate {
  if (patterns.length === 0) return () => true;
  const predicates = patterns.map(compileFilter);
  return (event) => predicates.some((p) => p(event));
}

function compileObject(pattern: Record<string, unknown>, path: string): EventPredicate {
  const checks: EventPredicate[] = Object.entries(pattern).map(([key, value]) => compileKey(key, value, path));
  return (event) => checks.every((check) => check(event));
}

function compileKey(key: string, value: unknown, path: string): EventPredicate {
  const at = path === '' ? key : `${path}.${key}`;
  if (key === '$or') {
    if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) throw new FilterPatternError(`${at} must list at least two patterns`);
    const alternatives = value.map((v) => compileObject(v as Record<string, unknown>, path));
    return (event) => alternatives.some((alt) => alt(event));
  }
  if (isObject(value)) {
    const nested = compileObject(value, at);
    // A missing object is walked as empty, so that `exists: false` below it matches (as EventBridge does).
    return (event) => {
      const field = isObject(event) ? event[key] : undefined;
      return (field === undefined || isObject(field)) && nested(field);
    };
  }
  if (!Array.isArray(value)) throw new FilterPatternError(`${at} must be an object or a list of matchers`);
  const matchers = value.map((m) => compileMatcher(m, at));
  return (event) => {
    const present = isObject(event) && Object.hasOwn(event, key);
    const field = present ? event[key] : undefined;
    if (Array.isArray(field)) return field.some((element) => matchers.some((m) => m(element, true)));
    return matchers.some((m) => m(field, present));
  };
}

function compileMatcher(matcher: unknown, at: string): ValueMatcher {
  if (!isObject(matcher)) return literal(matcher, at);
  const keys = Object.keys(matcher);
  if (keys.length !== 1) throw new FilterPatternError(`${at}: a matcher object has exactly one key`);
  const [kind] = keys as [string];
  const arg = matcher[kind];
  switch (kind) {
    case 'prefix':
      return textMatcher(arg, at, kind, (v, s) => v.startsWith(s));
    case 'suffix':
      return textMatcher(arg, at, kind, (v, s) => v.endsWith(s));
    case 'equals-ignore-case':
      return ignoreCase(arg, at);
    case 'anything-but':
      return anythingBut(arg, at);
    case 'numeric':
      return numeric(arg, at);
    case 'exists':
      if (typeof arg !== 'boolean') throw new FilterPatternError(`${at}: exists takes true or false`);
      return (value, present) => (present && !isObject(value)) === arg;
    case 'wildcard':
      return wildcard(arg, at);
    default:
      throw new FilterPatternError(`${at}: unknown matcher ${kind}`);
  }
}

function literal(expected: unknown, at: string): ValueMatcher {
  if (expected === null) return (value, present) => present && value === null;
  if (typeof expected === 'number') return (value, present) => present && typeof value === 'number' && value === expected;
  if (typeof expected === 'string' || typeof expected === 'boolean') return (value, present) => present && value === expected;
  throw new FilterPatternError(`${at}: ${JSON.stringify(expected)} is not a matcher`);
}

/** prefix/suffix: a string, or `{"equals-ignore-case": string}` for a case-insensitive one. */
function textMatcher(arg: unknown, at: string, kind: string, test: (value: string, s: string) => boolean): ValueMatcher {
  if (typeof arg === 'string') return (value) => typeof value === 'string' && test(value, arg);
  if (isObject(arg) && typeof arg['equals-ignore-case'] === 'string' && Object.keys(arg).length === 1) {
    const lower = arg['equals-ignore-case'].toLowerCase();
    return (value) => typeof value === 'string' && test(value.toLowerCase(), lower);
  }
  throw new FilterPatternError(`${at}: ${kind} takes a string`);
}

function ignoreCase(arg: unknown, at: string): ValueMatcher {
  const list = Array.isArray(arg) ? arg : [arg];
  if (list.length === 0 || !list.every((s) => typeof s === 'string')) throw new FilterPatternError(`${at}: equals-ignore-case takes a string`);
  const lower = new Set((list as string[]).map((s) => s.toLowerCase()));
  return (value) => typeof value === 'string' && lower.has(value.toLowerCase());
}

function anythingBut(arg: unknown, at: string): ValueMatcher {
  let excluded: ValueMatcher;
  if (isObject(arg)) excluded = compileMatcher(arg, at);
  else {
    const list = Array.isArray(arg) ? arg : [arg];
    if (list.length === 0) throw new FilterPatternError(`${at}: anything-but needs a value`);
    const matchers = list.map((v) => literal(v, at));
    excluded = (value, present) => matchers.some((m) => m(value, present));
  }
  // A missing field is not "anything but": it matches nothing except exists:false.
  return (value, present) => present && !isObject(value) && !excluded(value, present);
}

function numeric(arg: unknown, at: string): ValueMatcher {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0 || arg.length > 4) throw new FilterPatternError(`${at}: numeric takes one or two comparisons`);
  const comparisons: ((n: number) => boolean)[] = [];
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const bound = arg[i + 1];
    if (typeof op !== 'string' || !NUMERIC_OPS.has(op) || typeof bound !== 'number') throw new FilterPatternError(`${at}: numeric comparison ${JSON.stringify(op)} ${JSON.stringify(bound)}`);
    comparisons.push(compare(op, bound));
  }
  return (value) => typeof value === 'number' && comparisons.every((c) => c(value));
}

function compare(op: string, bound: number): (n: number) => boolean {
  switch (op) {
    case '=':
      return (n) => n === bound;
    case '<':
      return (n) => n < bound;
    case '<=':
      return (n) => n <= bound;
    case '>':
      return (n) => n > bound;
    default:
      return (n) => n >= bound;
  }
}

function wildcard(arg: unknown, at: string): ValueMatcher {
  if (typeof arg !== 'string') throw new FilterPatternError(`${at}: wildcard takes a string`);
  const source = arg
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`, 's');
  return (value) => typeof value === 'string' && regex.test(value);
}
