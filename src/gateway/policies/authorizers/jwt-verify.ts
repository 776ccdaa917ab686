/**
 * JSON Web Token verification as API Gateway's JWT and Cognito authorizers do it (http-api-jwt-authorizer.md):
 * RSA signatures only (RS256/384/512 and PS256/384/512), the header's `kid` naming a key of the issuer's JWKS,
 * then the claims — `iss`, `exp` after now, `nbf` and `iat` not after now; the audience check is the caller's.
 * Written on node:crypto; `alg: none`, HMAC algorithms (the RSA-public-key-as-HMAC-secret confusion), a key whose
 * type or declared `alg` does not fit, and any malformed part are rejected before a signature is computed.
 */
import { constants, verify, type KeyObject } from 'node:crypto';

/** The hash behind each accepted algorithm, and whether it uses PSS padding. */
const ALGORITHMS: Readonly<Record<string, { readonly hash: string; readonly pss: boolean; readonly saltLength: number }>> = {
  RS256: { hash: 'sha256', pss: false, saltLength: 0 },
  RS384: { hash: 'sha384', pss: false, saltLength: 0 },
  RS512: { hash: 'sha512', pss: false, saltLength: 0 },
  PS256: { hash: 'sha256', pss: true, saltLength: 32 },
  PS384: { hash: 'sha384', pss: true, saltLength: 48 },
  PS512: { hash: 'sha512', pss: true, saltLength: 64 },
};

export type JwtFailure = 'malformed' | 'algorithm' | 'kid' | 'signature' | 'expired' | 'not-yet-valid' | 'issued-in-future' | 'issuer';

/** A verification key: the key and the `alg` its JWK declares, if any. */
export interface VerificationKey {
  readonly key: KeyObject;
  readonly alg: string | undefined;
}

export interface JwtExpectations {
  /** Accepted `iss` values. */
  readonly issuers: readonly string[];
  /** The key for a `kid`; undefined when the issuer's JWKS has none. */
  keyFor(kid: string): Promise<VerificationKey | undefined>;
  /** Seconds since the epoch (tests pass their own clock). */
  readonly now?: number;
}

export type JwtVerification =
  | { readonly ok: true; readonly header: Readonly<Record<string, unknown>>; readonly claims: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly failure: JwtFailure };

const fail = (failure: JwtFailure): JwtVerification => ({ ok: false, failure });

export async function verifyJwt(token: string, expect: JwtExpectations): Promise<JwtVerification> {
  const parts = token.split('.');
  if (parts.length !== 3) return fail('malformed');
  const header = jsonPart(parts[0]!);
  const claims = jsonPart(parts[1]!);
  const signature = base64url(parts[2]!);
  if (header === undefined || claims === undefined || signature === undefined) return fail('malformed');
  const algorithm = typeof header.alg === 'string' ? ALGORITHMS[header.alg] : undefined;
  if (algorithm === undefined) return fail('algorithm');
  if (typeof header.kid !== 'string') return fail('kid');
  const found = await expect.keyFor(header.kid);
  if (found === undefined) return fail('kid');
  if (!keyFits(found, header.alg as string, algorithm.pss)) return fail('algorithm');
  const signed = Buffer.from(`${parts[0]!}.${parts[1]!}`, 'ascii');
  const key = algorithm.pss ? { key: found.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: algorithm.saltLength } : found.key;
  if (!verify(algorithm.hash, signed, key, signature)) return fail('signature');
  return checkClaims(header, claims, expect);
}

function checkClaims(header: Record<string, unknown>, claims: Record<string, unknown>, expect: JwtExpectations): JwtVerification {
  const now = expect.now ?? Math.floor(Date.now() / 1000);
  if (typeof claims.iss !== 'string' || !expect.issuers.includes(claims.iss)) return fail('issuer');
  if (typeof claims.exp !== 'number' || claims.exp <= now) return fail('expired');
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > now)) return fail('not-yet-valid');
  if (claims.iat !== undefined && (typeof claims.iat !== 'number' || claims.iat > now)) return fail('issued-in-future');
  return { ok: true, header, claims };
}

/** RSA keys only (PSS keys only for PS*), and the JWK's own `alg`, when it declares one, must be the token's. */
function keyFits(found: VerificationKey, alg: string, pss: boolean): boolean {
  const type = found.key.asymmetricKeyType;
  if (found.key.type !== 'public' || !(type === 'rsa' || (pss && type === 'rsa-pss'))) return false;
  return found.alg === undefined || found.alg === alg;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function base64url(part: string): Buffer | undefined {
  return BASE64URL.test(part) ? Buffer.from(part, 'base64url') : undefined;
}

function jsonPart(part: string): Record<string, unknown> | undefined {
  const bytes = base64url(part);
  if (bytes === undefined) return undefined;
  try {
    const value = JSON.parse(bytes.toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
