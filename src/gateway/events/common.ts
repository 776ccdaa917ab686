/**
 * Helpers shared by the payload builders (v1.ts, v2.ts) and the response mappers. Pure, allocation-light, no regex
 * compiled per call.
 */
import type { GatewayRequest } from './request.js';

/** `JSON.stringify` for a string: V8's fast path, used for every string value written into an event. */
export const q = JSON.stringify as (value: string) => string;

// ---------------------------------------------------------------------------------------------------------------
// Time

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
let clfSecond = -1;
let clfValue = '';

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Common Log Format time in UTC, `04/Mar/2020:19:15:17 +0000` (REST `requestTime`, HTTP API `time`). Cached per second. */
export function clfTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second === clfSecond) return clfValue;
  const d = new Date(second * 1000);
  clfValue =
    pad2(d.getUTCDate()) +
    '/' +
    MONTHS[d.getUTCMonth()] +
    '/' +
    d.getUTCFullYear() +
    ':' +
    pad2(d.getUTCHours()) +
    ':' +
    pad2(d.getUTCMinutes()) +
    ':' +
    pad2(d.getUTCSeconds()) +
    ' +0000';
  clfSecond = second;
  return clfValue;
}

// ---------------------------------------------------------------------------------------------------------------
// Media types

/** Lower-cased `type/subtype` of the first media type in a header value (`Accept` lists: first entry only), '' if none. */
export function firstMediaType(value: string | undefined): string {
  if (!value) return '';
  let end = value.length;
  const comma = value.indexOf(',');
  if (comma !== -1) end = comma;
  const semi = value.indexOf(';');
  if (semi !== -1 && semi < end) end = semi;
  return value.slice(0, end).trim().toLowerCase();
}

interface BinaryMatcher {
  readonly all: boolean;
  readonly exact: ReadonlySet<string>;
  /** `image/` for `image/*`. */
  readonly prefixes: readonly string[];
}

const matcherCache = new WeakMap<readonly string[], BinaryMatcher>();

function compileBinaryMediaTypes(list: readonly string[]): BinaryMatcher {
  let all = false;
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const raw of list) {
    const t = firstMediaType(raw);
    if (t === '*/*') all = true;
    else if (t.endsWith('/*')) prefixes.push(t.slice(0, -1));
    else if (t) exact.add(t);
  }
  return { all, exact, prefixes };
}

/**
 * Whether a media type (from `firstMediaType`) matches an API's `binaryMediaTypes`. Wildcards are honoured in the
 * configured entries only: the all-types entry (star/star) matches everything, even a missing header; `image/` + star
 * matches `image/png`; a client's wildcard matches only the same literal entry
 * [D api-gateway-payload-encodings-workflow.md, lambda-proxy-binary-media.md].
 */
export function matchesBinaryMediaTypes(mediaType: string, list: readonly string[]): boolean {
  if (list.length === 0) return false;
  let m = matcherCache.get(list);
  if (m === undefined) {
    m = compileBinaryMediaTypes(list);
    matcherCache.set(list, m);
  }
  if (m.all) return true;
  if (mediaType === '') return false;
  if (m.exact.has(mediaType)) return true;
  for (const p of m.prefixes) if (mediaType.startsWith(p)) return true;
  return false;
}

/**
 * HTTP APIs send a request body as text only for `text/…`, `application/json`, `application/xml` and
 * `application/javascript`; anything else (also no Content-Type, and `application/x-www-form-urlencoded`) is
 * base64-encoded. [3P measured against AWS: ministackorg/ministack#766; the AWS docs only say "binary → base64".]
 */
export function isHttpApiTextMediaType(mediaType: string): boolean {
  return (
    mediaType.startsWith('text/') ||
    mediaType === 'application/json' ||
    mediaType === 'application/xml' ||
    mediaType === 'application/javascript'
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Headers

/**
 * Request headers API Gateway does not forward to the integration, Lambda proxy included
 * [LS-code header_utils.py DROPPED_FROM_REQUEST_COMMON, consistent with all snapshots; AWS known-issues header table].
 */
export const DROPPED_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'content-length',
  'content-md5',
  'expect',
  'max-forwards',
  'proxy-authenticate',
  'server',
  'te',
  'transfer-encoding',
  'trailer',
  'upgrade',
  'www-authenticate',
  'keep-alive',
]);

/** One request header name with all its values in arrival order. */
export interface HeaderEntry {
  name: string;
  readonly lower: string;
  values: string[];
}

/** The value of the first header called `lowerName` in Node's `rawHeaders`, or undefined. */
export function rawHeader(rawHeaders: readonly string[], lowerName: string): string | undefined {
  const len = lowerName.length;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === len && name.toLowerCase() === lowerName) return rawHeaders[i + 1];
  }
  return undefined;
}

/** Port for `X-Forwarded-Port`: `localPort`, else the port in `host`, else the scheme's default. */
export function forwardedPort(req: GatewayRequest): string {
  if (req.localPort !== undefined) return String(req.localPort);
  const host = req.host;
  const colon = host.lastIndexOf(':');
  if (colon !== -1 && host.indexOf(']', colon) === -1) {
    const port = host.slice(colon + 1);
    if (port.length > 0) return port;
  }
  return req.scheme === 'https' ? '443' : '80';
}

/** Sort comparator on lower-cased names (Java `String.CASE_INSENSITIVE_ORDER`, which the REST captures follow). */
export function byLowerName(a: HeaderEntry, b: HeaderEntry): number {
  return a.lower < b.lower ? -1 : a.lower > b.lower ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Query strings

/** Decodes one query-string key or value: `+` → space, then percent-decoding; malformed escapes are kept as sent. */
export function decodeQueryComponent(s: string): string {
  const hasPlus = s.indexOf('+') !== -1;
  const hasPercent = s.indexOf('%') !== -1;
  if (!hasPlus && !hasPercent) return s;
  const spaced = hasPlus ? s.replaceAll('+', ' ') : s;
  if (!hasPercent) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return decodeLenient(spaced);
  }
}

const HEX = /^[0-9a-fA-F]{2}$/;

/** Percent-decoding that leaves invalid escapes (and bytes that are not valid UTF-8) as they were. */
function decodeLenient(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const pct = s.indexOf('%', i);
    if (pct === -1) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, pct);
    // gather a run of valid %XX escapes and decode it as a unit (multi-byte UTF-8)
    let j = pct;
    while (j + 3 <= s.length && s.charCodeAt(j) === 37 && HEX.test(s.slice(j + 1, j + 3))) j += 3;
    if (j === pct) {
      out += '%';
      i = pct + 1;
      continue;
    }
    const run = s.slice(pct, j);
    try {
      out += decodeURIComponent(run);
    } catch {
      out += run;
    }
    i = j;
  }
  return out;
}

/**
 * Parses a raw query string into name → values (first-occurrence order of names, values in order).
 * `;` separates pairs too when `semicolonSplits` (REST known issue: "`;` … results in the data being split").
 * A name without `=` gets the value ''.
 */
export function parseQuery(raw: string, semicolonSplits: boolean): Map<string, string[]> | null {
  if (raw.length === 0) return null;
  let map: Map<string, string[]> | null = null;
  let start = 0;
  const n = raw.length;
  for (let i = 0; i <= n; i++) {
    const c = i === n ? 38 : raw.charCodeAt(i);
    if (c !== 38 && !(semicolonSplits && c === 59)) continue;
    if (i > start) {
      const piece = raw.slice(start, i);
      const eq = piece.indexOf('=');
      const key = decodeQueryComponent(eq === -1 ? piece : piece.slice(0, eq));
      const value = eq === -1 ? '' : decodeQueryComponent(piece.slice(eq + 1));
      if (map === null) map = new Map();
      const list = map.get(key);
      if (list === undefined) map.set(key, [value]);
      else list.push(value);
    }
    start = i + 1;
  }
  return map;
}

// ---------------------------------------------------------------------------------------------------------------
// Lambda results (response-v1.ts, response-v2.ts)

/** Marks a value that makes a whole Lambda result malformed. */
export const INVALID = Symbol('invalid');

/** The result as JSON, or INVALID when it is not JSON. */
export function parseResultJson(payload: string): unknown {
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return INVALID;
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A scalar of a result (header value, cookie, body) as API Gateway stringifies it: `true` → `"true"`, `42` → `"42"`.
 * undefined for `null` (skipped); INVALID for anything else (objects, arrays, non-finite numbers).
 */
export function scalarText(v: unknown): string | undefined | typeof INVALID {
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return Number.isFinite(v) ? String(v) : INVALID;
    default:
      return v === null ? undefined : INVALID;
  }
}

/** A result's `body` as text: '' when missing or null, INVALID when not a scalar. */
export function bodyText(v: unknown): string | typeof INVALID {
  if (v === undefined || v === null) return '';
  return scalarText(v) ?? INVALID;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON fragments

/** `{"k":"v",…}` of a string map, or `null` when the map is null or empty. */
export function stringMapJson(map: Readonly<Record<string, string>> | null | undefined): string {
  if (!map) return 'null';
  let out = '';
  for (const k in map) {
    out += (out.length === 0 ? '{' : ',') + q(k) + ':' + q(map[k]!);
  }
  return out.length === 0 ? 'null' : out + '}';
}
