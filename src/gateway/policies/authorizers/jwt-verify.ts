/**
 * JSON Web Token verification as API Gateway's JWT and Cognito authorizers do it (http-api-jwt-authorizer.md), on
 * `jose`: RSA signatures only (RS256/384/512 and PS256/384/512, an allow-list checked before any key is looked up,
 * so `alg: none` and the HMAC-with-the-RSA-public-key confusion never reach a key), a `kid` naming a key of the
 * issuer's JWKS, then the claims — `iss`, `exp` (required) after now, `nbf` not after now. Two checks jose leaves to
 * its caller are made here: `kid` is required (AWS picks the key by it), and `iat` must not be in the future. The
 * audience check is the caller's (HTTP APIs accept `client_id` in place of `aud`, which jose cannot express).
 */
import type { JWTVerifyGetKey } from 'jose';
import { jose, loadJose } from './jose-module.js';

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

export type JwtFailure = 'malformed' | 'algorithm' | 'kid' | 'signature' | 'expired' | 'not-yet-valid' | 'issued-in-future' | 'issuer';

export interface JwtExpectations {
  /** Accepted `iss` values. */
  readonly issuers: readonly string[];
  /** The issuer's keys (jwks.ts); a fetch failure rejects with JwksUnavailableError, which is rethrown. */
  readonly keys: JWTVerifyGetKey;
  /** Seconds since the epoch (tests pass their own clock). */
  readonly now?: number;
}

export type JwtVerification =
  | { readonly ok: true; readonly header: Readonly<Record<string, unknown>>; readonly claims: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly failure: JwtFailure };

const fail = (failure: JwtFailure): JwtVerification => ({ ok: false, failure });

/** Thrown by the key resolver when the header names no `kid`; jose would otherwise try every key of the set. */
class MissingKid extends Error {}

export async function verifyJwt(token: string, expect: JwtExpectations): Promise<JwtVerification> {
  const now = expect.now ?? Math.floor(Date.now() / 1000);
  const { jwtVerify } = await loadJose();
  try {
    const { payload, protectedHeader } = await jwtVerify(token, keyByKid(expect.keys), {
      algorithms: ALGORITHMS,
      issuer: [...expect.issuers],
      requiredClaims: ['exp'],
      currentDate: new Date(now * 1000),
    });
    if (payload.iat !== undefined && payload.iat > now) return fail('issued-in-future');
    return { ok: true, header: protectedHeader, claims: payload };
  } catch (error) {
    const failure = failureOf(error);
    if (failure === undefined) throw error;
    return fail(failure);
  }
}

function keyByKid(keys: JWTVerifyGetKey): JWTVerifyGetKey {
  return (header, token) => {
    if (typeof header.kid !== 'string') throw new MissingKid();
    return keys(header, token);
  };
}

/** jose's error, as the failure the authorizers answer with; undefined for anything else (a JWKS fetch failure). */
function failureOf(error: unknown): JwtFailure | undefined {
  if (error instanceof MissingKid) return 'kid';
  const { errors } = jose();
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return claimFailure(error.claim);
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return 'algorithm';
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return 'kid';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'malformed';
  // A key jose cannot use for the token's algorithm (an RSA modulus under 2048 bits is a TypeError in jose).
  if (error instanceof errors.JWKInvalid || error instanceof TypeError) return 'algorithm';
  return undefined;
}

function claimFailure(claim: string): JwtFailure {
  if (claim === 'iss') return 'issuer';
  if (claim === 'nbf') return 'not-yet-valid';
  if (claim === 'iat') return 'issued-in-future';
  if (claim === 'exp') return 'expired';
  return 'malformed';
}
