// Verification of AWS Signature Version 4 on incoming requests. Never throws:
// every failure comes back as the AwsError AWS would have answered with.
import { timingSafeEqual } from 'node:crypto';
import {
  INVALID_SESSION_TOKEN_MESSAGE,
  SIGNATURE_MISMATCH_MESSAGE,
  incompleteSignature,
  invalidSignature,
  unrecognizedClient,
} from './auth-errors.js';
import {
  ALGORITHM,
  UNSIGNED_PAYLOAD,
  SigningKeyCache,
  canonicalRequest,
  collectHeaders,
  firstHeader,
  parseRawQuery,
  signatureHex,
  stringToSign,
  type HeaderValues,
  type QueryPair,
} from './canonical.js';
import type { CredentialLookup, StoredCredential } from './credentials.js';
import type { AwsError, AwsProtocol } from './errors.js';
import {
  badDateError,
  extractAuth,
  formatAmzDate,
  parseAmzDate,
  parseCredential,
  splitUrl,
  type AuthParts,
  type CredentialScope,
} from './sigv4-parse.js';

export { peekCredentialScope, type CredentialScope } from './sigv4-parse.js';

/** The request as it arrived; nothing here may have been normalised by a framework. */
export interface SigV4Request {
  method: string;
  /** Request target as sent: raw path plus optional `?query`. */
  url: string;
  /** Node's `req.rawHeaders`: alternating names and values, repeats kept. */
  rawHeaders: readonly string[];
  /** Lower-case hex SHA-256 of the whole body as received. */
  payloadSha256: string;
}

export interface SigV4Options {
  credentials: CredentialLookup;
  /** Signing name the credential scope must name, e.g. 'lambda' or 'dynamodb'. */
  service: string;
  /** Decides the wording of some errors (Lambda's REST front differs from the JSON fronts). */
  protocol: AwsProtocol;
  now?: Date;
  keyCache?: SigningKeyCache;
  /** How far a header-signed request's time may be from now: MAX_CLOCK_SKEW_MS unless the service differs. */
  maxSkewMs?: number;
  /** The Region the credential scope must name; any well-formed one when unset. */
  region?: string;
}

export type SigV4Result =
  | { ok: true; accessKeyId: string; region: string; service: string; sessionToken?: string }
  | { ok: false; error: AwsError; canonicalRequest?: string; stringToSign?: string };

/** AWS accepts request times up to 15 minutes either side of its clock (API Gateway's execute-api: 5 minutes). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const defaultKeyCache = new SigningKeyCache();

interface Parsed {
  auth: AuthParts;
  scope: CredentialScope;
}

export function verifySigV4(req: SigV4Request, opts: SigV4Options): SigV4Result {
  const headers = collectHeaders(req.rawHeaders);
  const { rawPath, rawQuery } = splitUrl(req.url);
  const query = parseRawQuery(rawQuery);
  const parsed = parseAndCheck(headers, query, opts);
  if (!('auth' in parsed)) return { ok: false, error: parsed };
  const credential = opts.credentials.lookup(parsed.scope.accessKeyId);
  if (!credential) return { ok: false, error: unrecognizedClient() };

  const canonical = canonicalRequest({
    method: req.method.toUpperCase(),
    rawPath,
    query,
    headers,
    signedHeaders: parsed.auth.signedHeaders,
    payloadHash: payloadHash(parsed.auth, headers, query, req.payloadSha256),
  });
  const { scope, auth } = parsed;
  const scopeString = `${scope.date}/${scope.region}/${scope.service}/${scope.terminator}`;
  const toSign = stringToSign(auth.amzDate, scopeString, canonical);
  const key = (opts.keyCache ?? defaultKeyCache).get(scope.accessKeyId, credential.secretAccessKey, scope.date, scope.region, scope.service);
  if (!sameText(signatureHex(key, toSign), auth.signature)) {
    return { ok: false, error: invalidSignature(SIGNATURE_MISMATCH_MESSAGE), canonicalRequest: canonical, stringToSign: toSign };
  }
  if (!tokenMatches(credential, auth.securityToken)) {
    return { ok: false, error: unrecognizedClient(INVALID_SESSION_TOKEN_MESSAGE) };
  }
  return { ok: true, accessKeyId: scope.accessKeyId, region: scope.region, service: scope.service, sessionToken: auth.securityToken };
}

/** Everything that can be checked before knowing the secret, in AWS's order. */
function parseAndCheck(headers: HeaderValues, query: readonly QueryPair[], opts: SigV4Options): Parsed | AwsError {
  const auth = extractAuth(headers, query, opts.protocol);
  if (!('mode' in auth)) return auth;
  const signedAt = parseAmzDate(auth.amzDate);
  if (!signedAt) return badDateError(opts.protocol, auth.amzDate);
  const skew = checkClock(auth, signedAt, opts.now ?? new Date(), opts.maxSkewMs ?? MAX_CLOCK_SKEW_MS);
  if (skew) return skew;
  if (!auth.signedHeaders.includes('host')) {
    return invalidSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (auth.algorithm !== ALGORITHM) {
    return incompleteSignature(opts.protocol, `Unsupported AWS 'algorithm': '${auth.algorithm}' (only ${ALGORITHM} for now). `);
  }
  const scope = parseCredential(auth.credential);
  if (!scope) {
    return incompleteSignature(
      opts.protocol,
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${auth.credential}'`,
    );
  }
  const scopeError = checkScope(scope, auth.amzDate, opts.service, opts.region);
  return scopeError ?? { auth, scope };
}

/**
 * Header-signed requests must be within the skew (15 minutes, execute-api 5) of now; presigned ones are
 * good from that long before X-Amz-Date until X-Amz-Expires after it.
 */
function checkClock(auth: AuthParts, signedAt: Date, now: Date, skewMs: number): AwsError | undefined {
  // Times are compared as numbers; the dates are formatted only for an error (every request passes through here).
  const latest = now.getTime() + skewMs;
  if (signedAt.getTime() > latest) {
    return invalidSignature(
      `Signature not yet current: ${auth.amzDate} is still later than ${formatAmzDate(new Date(latest))} (${formatAmzDate(now)} + ${lifetimeLabel(skewMs)})`,
    );
  }
  const lifetimeMs = auth.expires === undefined ? skewMs : auth.expires * 1000;
  const oldest = now.getTime() - lifetimeMs;
  if (signedAt.getTime() < oldest) {
    return invalidSignature(
      `Signature expired: ${auth.amzDate} is now earlier than ${formatAmzDate(new Date(oldest))} (${formatAmzDate(now)} - ${lifetimeLabel(lifetimeMs)})`,
    );
  }
  return undefined;
}

function lifetimeLabel(ms: number): string {
  const seconds = ms / 1000;
  return seconds % 60 === 0 ? `${seconds / 60} min.` : `${seconds} sec.`;
}

/** All scope mismatches are reported together, each sentence followed by a space, as AWS does. */
function checkScope(scope: CredentialScope, amzDate: string, service: string, region: string | undefined): AwsError | undefined {
  const problems: string[] = [];
  if (!/^[a-z0-9-]+$/.test(scope.region) || (region !== undefined && scope.region !== region)) {
    problems.push(`Credential should be scoped to a valid region, not '${scope.region}'. `);
  }
  if (scope.service !== service) problems.push(`Credential should be scoped to correct service: '${service}'. `);
  if (scope.terminator !== 'aws4_request') {
    problems.push(`Credential should be scoped with a valid terminator: 'aws4_request', not '${scope.terminator}'. `);
  }
  if (scope.date !== amzDate.slice(0, 8)) {
    problems.push(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
        `'${scope.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  return problems.length > 0 ? invalidSignature(problems.join('')) : undefined;
}

/**
 * UNSIGNED-PAYLOAD is honoured as the client declared it; any other declared
 * hash is ignored in favour of the body's real one, so a body altered in
 * transit fails even when x-amz-content-sha256 was left intact.
 */
function payloadHash(auth: AuthParts, headers: HeaderValues, query: readonly QueryPair[], actual: string): string {
  const declared =
    auth.mode === 'query'
      ? (query.find((pair) => pair.key === 'X-Amz-Content-Sha256')?.value ?? firstHeader(headers, 'x-amz-content-sha256'))
      : firstHeader(headers, 'x-amz-content-sha256');
  return declared?.trim() === UNSIGNED_PAYLOAD ? UNSIGNED_PAYLOAD : actual;
}

/** Session keys are only valid with their own token; long-term keys ignore a stray one. */
function tokenMatches(credential: StoredCredential, provided: string | undefined): boolean {
  if (credential.sessionToken === undefined) return true;
  return provided !== undefined && sameText(credential.sessionToken, provided);
}

function sameText(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
