/**
 * What an authorizer hands on to the integration (the `authorize` phase sets it on the request's PolicyContext),
 * and how each event format shows it as `requestContext.authorizer`:
 * - REST, Lambda authorizer: flat — the `context` values, then `principalId` and `integrationLatency` (aws-behaviour
 *   §5.3); values are stringified ("123", "true"), null kept [D authorizer output page; 3P capture
 *   DefinitelyTyped#69823: `{"str":"hello","bool":"true","null":null,"num":"123","principalId":…,"integrationLatency":0}`].
 * - REST, Cognito: `{"claims":{…}}`, every claim a string; `exp`/`iat` as Java's `Date.toString()` in UTC
 *   (`Fri May 01 15:47:58 UTC 2020`) [3P captures].
 * - HTTP API payload 2.0: `{"lambda":{…}}` (context as the function returned it) or `{"jwt":{"claims":{…},"scopes":…}}`
 *   (§3.1; Powertools fixtures); JWT claims are strings, arrays written `[a b]` [3P, unverified for arrays].
 * - HTTP API payload 1.0: JWT as `{"claims":{…},"scopes":…}` (the docs' 1.0 example); Lambda flat as REST [?].
 */

export type AuthorizerKind = 'lambda' | 'jwt' | 'cognito';

/** What a Lambda authorizer's `context` may hold on REST APIs. */
export type AuthorizerContextValue = string | number | boolean | null;

export interface AuthorizerResult {
  readonly kind: AuthorizerKind;
  /** Lambda: the returned `principalId`; JWT / Cognito: the `sub` claim ('' without one). */
  readonly principalId: string;
  /** Lambda `context` values that are strings, numbers, booleans or null (REST allows nothing else). */
  readonly context: Readonly<Record<string, AuthorizerContextValue>>;
  /** `usageIdentifierKey` from a REST Lambda authorizer: the API key when the API's key source is AUTHORIZER. */
  readonly usageIdentifierKey?: string;
  /** Milliseconds the authorizer function took; 0 when its result came from the cache. */
  readonly integrationLatency: number;
  /** HTTP API Lambda authorizers: the `context` as returned (any JSON values). */
  readonly lambda?: Readonly<Record<string, unknown>>;
  /** JWT and Cognito: the token's claims. */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** JWT: the token's scopes, or null when it has none. */
  readonly scopes?: readonly string[] | null;
}

/** `requestContext.authorizer` of a REST (payload 1.0) event. */
export function restAuthorizerJson(a: AuthorizerResult): string {
  if (a.kind === 'cognito') return '{"claims":' + claimsJson(a.claims ?? {}, javaDateClaim) + '}';
  return flatLambdaJson(a);
}

/** `requestContext.authorizer` of an HTTP API event sent with payload format 1.0. */
export function httpV1AuthorizerJson(a: AuthorizerResult): string {
  if (a.kind === 'lambda') return flatLambdaJson(a);
  return '{"claims":' + claimsJson(a.claims ?? {}, goClaim) + ',"scopes":' + scopesJson(a.scopes) + '}';
}

/** `requestContext.authorizer` of an HTTP API event sent with payload format 2.0. */
export function httpV2AuthorizerJson(a: AuthorizerResult): string {
  if (a.kind === 'lambda') return '{"lambda":' + JSON.stringify(a.lambda ?? a.context) + '}';
  return '{"jwt":{"claims":' + claimsJson(a.claims ?? {}, goClaim) + ',"scopes":' + scopesJson(a.scopes) + '}}';
}

function flatLambdaJson(a: AuthorizerResult): string {
  const out: Record<string, string | number | null> = {};
  for (const [key, value] of Object.entries(a.context)) out[key] = value === null ? null : String(value);
  out.principalId = a.principalId;
  out.integrationLatency = a.integrationLatency;
  return JSON.stringify(out);
}

function scopesJson(scopes: readonly string[] | null | undefined): string {
  return scopes ? JSON.stringify(scopes) : 'null';
}

function claimsJson(claims: Readonly<Record<string, unknown>>, text: (key: string, value: unknown) => string): string {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(claims)) out[key] = text(key, value);
  return JSON.stringify(out);
}

/** HTTP APIs (written in Go): scalars as text, arrays as `[a b]`, objects as JSON. */
function goClaim(_key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return '[' + value.map((v) => goClaim('', v)).join(' ') + ']';
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** REST (written in Java): `exp` and `iat` as `Date.toString()` in UTC, other scalars as text. */
function javaDateClaim(key: string, value: unknown): string {
  if ((key === 'exp' || key === 'iat') && typeof value === 'number') {
    const d = new Date(value * 1000);
    const two = (n: number): string => String(n).padStart(2, '0');
    return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
  }
  return goClaim(key, value);
}
