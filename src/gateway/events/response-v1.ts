/**
 * Turns a Lambda proxy result in payload format 1.0 into the HTTP response (aws-behaviour.md §2).
 *
 * API Gateway reads the result like a strict Java (Jackson) bean of five properties — `statusCode`, `headers`,
 * `multiValueHeaders`, `body`, `isBase64Encoded` — which explains every recorded row:
 * - unknown key → malformed (502); not a JSON object (`"justAString"`, `null`) → malformed;
 * - scalars are coerced to the declared type: header value `true` → `"true"`, `statusCode` `"201"` → 201, a number
 *   `body` → its text (AWS accepts `body: 42`: aws/aws-sam-cli#1124, fixed in SAM by #1263 "Integer Body Support");
 * - objects/arrays where a string is declared (a JSON object as `body`, the classic "Malformed Lambda proxy response")
 *   → malformed; `multiValueHeaders` values must be lists;
 * - `statusCode` missing or null → 200; not an integer (`"test"`) → malformed.
 * Not recorded, decided here: statusCode outside 100–599 → malformed; null header values are skipped; a numeric body
 * is written with JavaScript's number formatting (Jackson would keep the JSON text, e.g. `1.50`).
 *
 * The mappers return the function's headers only (plus the default Content-Type); the server adds the API Gateway
 * headers with `gatewayHeaders` (responses/gateway-responses.ts), and writes Date and Content-Length.
 */
import { INVALID, bodyText, firstMediaType, isPlainObject, matchesBinaryMediaTypes, parseResultJson, rawHeader, scalarText } from './common.js';
import type { GatewayRequest, GatewayResponse, MatchedRoute } from './request.js';

/** A validated payload-1.0 result. */
export interface V1Result {
  readonly statusCode: number;
  /** Merged header list [name, value, …] (multiValueHeaders first, per §2), without the default Content-Type. */
  readonly headers: string[];
  readonly body: string;
  readonly isBase64Encoded: boolean;
}

const ALLOWED_KEYS: ReadonlySet<string> = new Set([
  'statusCode',
  'headers',
  'multiValueHeaders',
  'body',
  'isBase64Encoded',
]);

const STATUS_TEXT = /^[+-]?\d{1,10}$/;

/**
 * `statusCode` as Jackson reads an `int`: integer numbers (floats truncated) and integer strings; null/missing → 200.
 * Returns null when invalid (or outside 100–599).
 */
export function parseStatusCode(v: unknown): number | null {
  let n: number;
  if (v === undefined || v === null) return 200;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    n = Math.trunc(v);
  } else if (typeof v === 'string') {
    const t = v.trim();
    if (!STATUS_TEXT.test(t)) return null;
    n = Number(t);
  } else {
    return null;
  }
  return n >= 100 && n <= 599 ? n : null;
}

function parseBoolean(v: unknown): boolean | null {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const t = v.toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
  }
  return null;
}

/** Parses and validates a payload-1.0 result; null when API Gateway would call it malformed. */
export function parseV1Result(payload: string): V1Result | null {
  const value = parseResultJson(payload);
  if (!isPlainObject(value)) return null;
  for (const k in value) if (!ALLOWED_KEYS.has(k)) return null;

  const statusCode = parseStatusCode(value.statusCode);
  if (statusCode === null) return null;

  const isBase64Encoded = parseBoolean(value.isBase64Encoded);
  if (isBase64Encoded === null) return null;

  const body = bodyText(value.body);
  if (body === INVALID) return null;

  const single: [string, string][] = [];
  const rawSingle = value.headers;
  if (rawSingle !== undefined && rawSingle !== null) {
    if (!isPlainObject(rawSingle)) return null;
    for (const k in rawSingle) {
      const t = scalarText(rawSingle[k]);
      if (t === INVALID) return null;
      if (t !== undefined) single.push([k, t]);
    }
  }

  const headers: string[] = [];
  const rawMulti = value.multiValueHeaders;
  if (rawMulti !== undefined && rawMulti !== null) {
    if (!isPlainObject(rawMulti)) return null;
    for (const k in rawMulti) {
      const list = rawMulti[k];
      if (list === null) continue;
      if (!Array.isArray(list)) return null;
      const values: string[] = [];
      for (const item of list) {
        const t = scalarText(item);
        if (t === INVALID) return null;
        if (t !== undefined) values.push(t);
      }
      // §2: a `headers` entry with the same name (any case) is merged after the multi values and the
      // multiValueHeaders casing wins; a value already present in multiValueHeaders is not repeated [D].
      if (single.length > 0) {
        const lower = k.toLowerCase();
        for (let i = 0; i < single.length; i++) {
          const s = single[i]!;
          if (s[0].toLowerCase() === lower) {
            if (!values.includes(s[1])) values.push(s[1]);
            single.splice(i, 1);
            i--;
          }
        }
      }
      for (const v of values) headers.push(k, v);
    }
  }
  for (const [k, v] of single) headers.push(k, v);

  return { statusCode, headers, body, isBase64Encoded };
}

function hasHeader(headers: readonly string[], lowerName: string): boolean {
  for (let i = 0; i < headers.length; i += 2) if (headers[i]!.toLowerCase() === lowerName) return true;
  return false;
}

const EMPTY = Buffer.alloc(0);

/**
 * Builds the response from a validated result: default `Content-Type: application/json` (even without a body, §2),
 * header renaming (`rename` returns the name to write, or null to drop), body decoding.
 */
export function toGatewayResponse(
  result: V1Result,
  decodeBase64: boolean,
  rename: (lowerName: string, name: string) => string | null,
): GatewayResponse {
  const out: string[] = [];
  const h = result.headers;
  if (!hasHeader(h, 'content-type')) out.push('Content-Type', 'application/json');
  for (let i = 0; i < h.length; i += 2) {
    const name = rename(h[i]!.toLowerCase(), h[i]!);
    if (name !== null) out.push(name, h[i + 1]!);
  }
  const body =
    result.body.length === 0
      ? EMPTY
      : decodeBase64
        ? Buffer.from(result.body, 'base64')
        : Buffer.from(result.body, 'utf8');
  return { statusCode: result.statusCode, headers: out, body };
}

/**
 * Function response headers REST APIs rename to `x-amzn-Remapped-<name>` (API Gateway writes its own) and the one
 * they drop [LS-code method_response.py for AWS_PROXY; AWS known-issues header-remapping table].
 */
const REST_REMAPPED: ReadonlyMap<string, string> = new Map([
  ['connection', 'x-amzn-Remapped-Connection'],
  ['content-length', 'x-amzn-Remapped-Content-Length'],
  ['date', 'x-amzn-Remapped-Date'],
  ['server', 'x-amzn-Remapped-Server'],
]);

function restRename(lower: string, name: string): string | null {
  if (lower === 'transfer-encoding') return null;
  return REST_REMAPPED.get(lower) ?? name;
}

/**
 * REST API: maps the function's payload-1.0 result; null = malformed (the caller answers 502
 * `{"message": "Internal server error"}`, gatewayError('MALFORMED_LAMBDA_RESPONSE', 'REST', ids)).
 * The body is base64-decoded only when `isBase64Encoded` is true and the first media type of the request's `Accept`
 * matches the API's `binaryMediaTypes`; otherwise the base64 text is returned as is (§2, recorded).
 */
export function mapV1Response(payload: string, req: GatewayRequest, route: MatchedRoute): GatewayResponse | null {
  const result = parseV1Result(payload);
  if (result === null) return null;
  const decode =
    result.isBase64Encoded &&
    matchesBinaryMediaTypes(firstMediaType(rawHeader(req.rawHeaders, 'accept')), route.binaryMediaTypes);
  return toGatewayResponse(result, decode, restRename);
}
