// Reading the SigV4 inputs out of a request: the Authorization header or the
// presigned X-Amz-* query parameters, the request date and the credential
// scope. Failures are worded as AWS's front end words them (the order of the
// checks and the messages follow DynamoDB, as pinned by dynalite's tests).
import { incompleteSignature, invalidSignature, missingAuthenticationToken } from './auth-errors.js';
import { firstHeader, parseRawQuery, type HeaderValues, type QueryPair } from './canonical.js';
import type { AwsError, AwsProtocol } from './errors.js';

export interface AuthParts {
  mode: 'header' | 'query';
  algorithm: string;
  credential: string;
  signedHeaders: string[];
  signature: string;
  /** The request time exactly as it enters the string to sign (ISO 8601 basic). */
  amzDate: string;
  /** Presigned lifetime in seconds, when X-Amz-Expires was given. */
  expires?: number;
  securityToken?: string;
}

export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
}

export function splitUrl(url: string): { rawPath: string; rawQuery: string } {
  // Absolute-form targets (proxies) carry scheme and host; the signature covers only the path.
  const target = url.startsWith('/') ? url : url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '') || '/';
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? '' : target.slice(q + 1).split('#')[0];
  return { rawPath: rawPath === '' ? '/' : rawPath, rawQuery };
}

function queryValue(query: readonly QueryPair[], key: string): string | undefined {
  return query.find((pair) => pair.key === key)?.value;
}

/** Which form of authentication the request uses, or the error AWS gives when it is unusable. */
export function extractAuth(headers: HeaderValues, query: readonly QueryPair[], protocol: AwsProtocol): AuthParts | AwsError {
  const authorization = firstHeader(headers, 'authorization');
  const presigned = query.some((pair) => pair.key === 'X-Amz-Algorithm');
  if (authorization !== undefined && presigned) {
    return invalidSignature("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  }
  if (presigned) return fromQuery(query, headers, protocol);
  if (authorization === undefined || !authorization.trim().startsWith('AWS4-')) {
    return missingAuthenticationToken(protocol);
  }
  return fromHeader(authorization, headers, protocol);
}

function fromHeader(authorization: string, headers: HeaderValues, protocol: AwsProtocol): AuthParts | AwsError {
  const [algorithm, ...rest] = authorization.trim().split(/[\s,]+/);
  const params = new Map<string, string>();
  for (const item of rest) {
    const eq = item.indexOf('=');
    if (eq > 0) params.set(item.slice(0, eq), item.slice(eq + 1));
  }
  const amzDate = firstHeader(headers, 'x-amz-date') ?? dateHeaderAsBasic(firstHeader(headers, 'date'));
  const missing = ['Credential', 'Signature', 'SignedHeaders']
    .filter((name) => !params.get(name))
    .map((name) => `Authorization header requires '${name}' parameter. `);
  if (amzDate === undefined) {
    missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
  }
  if (missing.length > 0 || amzDate === undefined) {
    return incompleteSignature(protocol, `${missing.join('')}Authorization=${authorization}`);
  }
  return {
    mode: 'header',
    algorithm,
    credential: params.get('Credential') ?? '',
    signedHeaders: splitSignedHeaders(params.get('SignedHeaders') ?? ''),
    signature: params.get('Signature') ?? '',
    amzDate,
    securityToken: firstHeader(headers, 'x-amz-security-token'),
  };
}

const PRESIGN_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'];

function fromQuery(query: readonly QueryPair[], headers: HeaderValues, protocol: AwsProtocol): AuthParts | AwsError {
  const missing = PRESIGN_PARAMS.filter((name) => !queryValue(query, name));
  if (missing.length > 0) {
    const parts = missing.map((name) => `AWS query-string parameters must include '${name}'. `);
    return incompleteSignature(protocol, `${parts.join('')}Re-examine the query-string parameters.`);
  }
  const expiresRaw = queryValue(query, 'X-Amz-Expires');
  const expires = expiresRaw === undefined ? undefined : Number(expiresRaw);
  if (expires !== undefined && !(Number.isInteger(expires) && expires >= 1 && expires <= 604800)) {
    // Wording borrowed from S3, the one service that documents this check.
    return incompleteSignature(
      protocol,
      'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
    );
  }
  return {
    mode: 'query',
    algorithm: queryValue(query, 'X-Amz-Algorithm') ?? '',
    credential: queryValue(query, 'X-Amz-Credential') ?? '',
    signedHeaders: splitSignedHeaders(queryValue(query, 'X-Amz-SignedHeaders') ?? ''),
    signature: queryValue(query, 'X-Amz-Signature') ?? '',
    amzDate: queryValue(query, 'X-Amz-Date') ?? '',
    expires,
    securityToken: queryValue(query, 'X-Amz-Security-Token') ?? firstHeader(headers, 'x-amz-security-token'),
  };
}

function splitSignedHeaders(value: string): string[] {
  return value.split(';').map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
}

/** `Date:` (RFC 7231) converted to the basic format, as AWS does when X-Amz-Date is absent. */
function dateHeaderAsBasic(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : formatAmzDate(new Date(ms));
}

/** `20150830T123600Z`; undefined when the string is not a real instant in that exact format. */
export function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [+m[1], +m[2], +m[3], +m[4], +m[5], +m[6]];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 20150231 over into March (and years 0–99 into the 1900s); reading the fields back catches that.
  const exact =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return exact ? date : undefined;
}

export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}/, '').replace(/[-:]/g, '');
}

export function badDateError(protocol: AwsProtocol, value: string): AwsError {
  return incompleteSignature(protocol, `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`);
}

/** `AKID/20150830/us-east-1/lambda/aws4_request`; trailing slashes are ignored as AWS does. */
export function parseCredential(credential: string): CredentialScope | undefined {
  const parts = credential.replace(/\/+$/, '').split('/');
  if (parts.length !== 5) return undefined;
  const [accessKeyId, date, region, service, terminator] = parts;
  return { accessKeyId, date, region, service, terminator };
}

/** The credential scope a request claims, for routing before it is verified. */
export function peekCredentialScope(url: string, rawHeaders: readonly string[]): CredentialScope | undefined {
  const authorization = firstRawHeader(rawHeaders, 'authorization');
  const fromHeader = authorization ? /Credential=([^,\s]+)/.exec(authorization)?.[1] : undefined;
  const credential = fromHeader ?? queryValue(parseRawQuery(splitUrl(url).rawQuery), 'X-Amz-Credential');
  return credential ? parseCredential(credential) : undefined;
}

/** The first value of a header (lower-case `name`) straight from `rawHeaders`, without building the whole map. */
function firstRawHeader(rawHeaders: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i].length === name.length && rawHeaders[i].toLowerCase() === name) return rawHeaders[i + 1];
  }
  return undefined;
}
