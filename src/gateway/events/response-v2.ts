/**
 * HTTP API: turns a Lambda result into the HTTP response (aws-behaviour.md §3.2, AWS docs
 * http-api-develop-integrations-lambda.md "Lambda function response for format 2.0").
 *
 * Format 2.0:
 * - Valid JSON that is not an object with a `statusCode` → inferred: status 200, `Content-Type: application/json`,
 *   the whole value is the body — a JSON string is unquoted (`"Hello from Lambda!"` → `Hello from Lambda!`), anything
 *   else is sent as the function returned it (`{"hello":"world"}`, `["hello",3,true]`, `3`, `3.1`, `true`)
 *   [D; S Lambda function-URL snapshots, same response format]. A `null` result (handler returned nothing) therefore
 *   gives the body `null` (not recorded).
 * - Structured (`statusCode` present): `cookies` → one `set-cookie` header each, `headers`, `body`,
 *   `isBase64Encoded` (decoded whenever true: HTTP APIs have no binaryMediaTypes); default Content-Type
 *   `application/json` (S function-URL snapshot `{"statusCode":200,"body":"body123"}`).
 *   Unknown keys are ignored (HTTP APIs are not documented as strict like REST; not recorded). A non-string,
 *   non-scalar `body`, a non-array `cookies`, a non-object `headers` or an invalid `statusCode` → null (500).
 * Format 1.0 on an HTTP API: `mapHttpApiV1Response`, the REST validation with base64 decoded whenever flagged.
 *
 * null = malformed; the caller answers 500 `{"message":"Internal Server Error"}` (gatewayError(…, 'HTTP', ids)).
 * `content-length`, `transfer-encoding` and `connection` returned by the function are dropped (the server writes
 * its own framing; not recorded). The server adds `apigw-requestid` with `gatewayHeaders('HTTP', ids)`.
 */
import { INVALID, bodyText, isPlainObject, parseResultJson, scalarText } from './common.js';
import { parseStatusCode, parseV1Result, toGatewayResponse } from './response-v1.js';
import type { GatewayResponse } from './request.js';

const EMPTY = Buffer.alloc(0);

function httpRename(lower: string, name: string): string | null {
  return lower === 'content-length' || lower === 'transfer-encoding' || lower === 'connection' ? null : name;
}

const INFERRED_HEADERS: readonly string[] = Object.freeze(['Content-Type', 'application/json']);

/** HTTP API, payload format 2.0. */
export function mapV2Response(payload: string): GatewayResponse | null {
  const value = parseResultJson(payload);
  if (value === INVALID) return null;

  if (!isPlainObject(value) || !('statusCode' in value)) {
    const text = typeof value === 'string' ? value : payload;
    return {
      statusCode: 200,
      headers: INFERRED_HEADERS.slice(),
      body: text.length === 0 ? EMPTY : Buffer.from(text, 'utf8'),
    };
  }

  const statusCode = parseStatusCode(value.statusCode);
  if (statusCode === null) return null;

  const out: string[] = [];
  let hasContentType = false;
  const rawHeaders = value.headers;
  if (rawHeaders !== undefined && rawHeaders !== null) {
    if (!isPlainObject(rawHeaders)) return null;
    for (const k in rawHeaders) {
      const t = scalarText(rawHeaders[k]);
      if (t === INVALID) return null;
      if (t === undefined) continue;
      const name = httpRename(k.toLowerCase(), k);
      if (name === null) continue;
      if (!hasContentType && name.toLowerCase() === 'content-type') hasContentType = true;
      out.push(name, t);
    }
  }
  const cookies = value.cookies;
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies)) return null;
    for (const c of cookies) {
      const t = scalarText(c);
      if (t === INVALID) return null;
      if (t !== undefined) out.push('set-cookie', t);
    }
  }
  if (!hasContentType) out.unshift('Content-Type', 'application/json');

  const body = bodyText(value.body);
  if (body === INVALID) return null;
  const b64 = value.isBase64Encoded;
  const decode = b64 === true || b64 === 'true';
  return {
    statusCode,
    headers: out,
    body: body.length === 0 ? EMPTY : Buffer.from(body, decode ? 'base64' : 'utf8'),
  };
}

/** HTTP API whose integration uses payload format 1.0: the 1.0 response format; base64 decoded whenever flagged. */
export function mapHttpApiV1Response(payload: string): GatewayResponse | null {
  const result = parseV1Result(payload);
  if (result === null) return null;
  return toGatewayResponse(result, result.isBase64Encoded, httpRename);
}
