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
 * - AWS_IAM: REST (and HTTP API payload 1.0) events have no `authorizer`; the caller fills `requestContext.identity`
 *   (`accessKey`, `accountId`, `caller`, `user`, `userArn`) [3P captures, blog.daringkoala.com 2023]; HTTP API payload
 *   2.0 has `{"iam":{accessKey, accountId, callerId, cognitoIdentity, principalOrgId, userArn, userId}}` (the
 *   field set of the Powertools and aws_lambda_events types; order as there).
 */

export type AuthorizerKind = 'lambda' | 'jwt' | 'cognito' | 'iam';

/** The signer of an AWS_IAM request, as `requestContext.identity` shows it. */
export interface IamIdentity {
  readonly accessKey: string;
  readonly accountId: string;
  /** `caller` / `callerId` and `user` / `userId`: an IAM user id (AIDA…) or `AROA…:session` of an assumed role. */
  readonly caller: string;
  readonly userArn: string;
}

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
  /** AWS_IAM: who signed the request. */
  readonly iam?: IamIdentity;
}

/** Whether an event shows the authorizer as `requestContext.authorizer` (AWS_IAM fills `identity` instead, on 1.0). */
export function hasV1Authorizer(a: AuthorizerResult | undefined): a is AuthorizerResult {
  return a !== undefined && a.kind !== 'iam';
}

/** The `identity` fields an AWS_IAM caller fills, as JSON values (1.0 events). */
export interface IamIdentityJson {
  readonly accountId: string;
  readonly caller: string;
  readonly accessKey: string;
  readonly userArn: string;
}

/** Without an IAM caller every field is null: one shared object, so the hot path allocates nothing for it. */
const NO_IAM_IDENTITY: IamIdentityJson = Object.freeze({ accountId: 'null', caller: 'null', accessKey: 'null', userArn: 'null' });

export function iamIdentityJson(iam: IamIdentity | undefined): IamIdentityJson {
  if (iam === undefined) return NO_IAM_IDENTITY;
  return { accountId: JSON.stringify(iam.accountId), caller: JSON.stringify(iam.caller), accessKey: JSON.stringify(iam.accessKey), userArn: JSON.stringify(iam.userArn) };
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
  if (a.kind === 'iam') return '{"iam":' + iamV2Json(a.iam!) + '}';
  if (a.kind === 'lambda') return '{"lambda":' + JSON.stringify(a.lambda ?? a.context) + '}';
  return '{"jwt":{"claims":' + claimsJson(a.claims ?? {}, goClaim) + ',"scopes":' + scopesJson(a.scopes) + '}}';
}

function iamV2Json(iam: IamIdentity): string {
  return JSON.stringify({
    accessKey: iam.accessKey,
    accountId: iam.accountId,
    callerId: iam.caller,
    cognitoIdentity: null,
    principalOrgId: null,
    userArn: iam.userArn,
    userId: iam.caller,
  });
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
