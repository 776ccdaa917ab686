/**
 * HTTP API JWT authorizers (http-api-jwt-authorizer.md): the identity source (default `Authorization`) holds the
 * token, with or without a `Bearer ` prefix; the issuer's keys come from its OpenID discovery document; the token
 * is verified (jwt-verify.ts); `aud` must be one of the configured audiences — or, only when there is no `aud`,
 * `client_id`; a route with `AuthorizationScopes` needs one of them in `scope` (space-separated) or `scp`.
 * Missing or invalid tokens answer 401 `{"message":"Unauthorized"}` with a `www-authenticate` challenge, missing
 * scopes 403 `{"message":"Forbidden"}`; claims and scopes reach the event as `requestContext.authorizer.jwt`.
 *
 * The challenge is written as AWS sends it, `Bearer scope="" error="invalid_token" error_description="…"` [3P
 * recollection of captured responses: "the token has expired", "the token does not have a valid audience"; the
 * other descriptions are unverified].
 */
import type { JwtAuthorizerSpec } from '../../../app/model.js';
import type { RequestOutcome } from '../../phases.js';
import { identityValues } from './identity.js';
import { JwksUnavailableError } from './jwks.js';
import { verifyJwt, type JwtFailure } from './jwt-verify.js';
import { AUTHORIZER_FAILED, FORBIDDEN, UNAUTHORIZED, type AuthorizerTarget, type RouteAuthorizer } from './target.js';
import { loadJose } from './jose-module.js';

const DESCRIPTIONS: Readonly<Record<JwtFailure | 'audience', string>> = {
  malformed: 'the token is malformed',
  algorithm: 'the token is not signed with an accepted algorithm',
  kid: 'the token does not have a valid key id',
  signature: 'the token does not have a valid signature',
  expired: 'the token has expired',
  'not-yet-valid': 'the token is not valid yet',
  'issued-in-future': 'the token was issued in the future',
  issuer: 'the token does not have a valid issuer',
  audience: 'the token does not have a valid audience',
};

export function httpJwtAuthorizer(target: AuthorizerTarget<JwtAuthorizerSpec>): RouteAuthorizer {
  const { spec, services, scopes, api } = target;
  const issuer = spec.issuer;
  // Loaded at deploy time, so the first request does not wait for the import.
  void loadJose();
  return {
    async authorize(ctx) {
      const values = identityValues(spec.identitySources, ctx, api.stageVariables);
      if (values === undefined) return UNAUTHORIZED;
      const token = values[0]!.replace(/^Bearer\s+/i, '');
      let verification;
      try {
        const jwksUri = await services.jwks.jwksUriFor(issuer);
        verification = await verifyJwt(token, { issuers: [issuer], keys: services.jwks.keysFor(jwksUri) });
      } catch (error) {
        if (error instanceof JwksUnavailableError) return AUTHORIZER_FAILED;
        throw error;
      }
      if (!verification.ok) return invalidToken(verification.failure);
      const { claims } = verification;
      if (!audienceMatches(claims, spec.audience)) return invalidToken('audience');
      const tokenScopes = scopesOf(claims);
      if (scopes.length > 0 && !scopes.some((s) => tokenScopes?.includes(s))) return FORBIDDEN;
      ctx.authorizer = {
        kind: 'jwt',
        principalId: typeof claims.sub === 'string' ? claims.sub : '',
        context: {},
        integrationLatency: 0,
        claims,
        scopes: tokenScopes,
      };
      return undefined;
    },
  };
}

function invalidToken(failure: JwtFailure | 'audience'): RequestOutcome {
  return { ...UNAUTHORIZED, headers: ['www-authenticate', `Bearer scope="" error="invalid_token" error_description="${DESCRIPTIONS[failure]}"`] };
}

/** `aud` (a string or a list) against the audiences; `client_id` only when the token has no `aud`. */
function audienceMatches(claims: Readonly<Record<string, unknown>>, audience: readonly string[]): boolean {
  if (audience.length === 0) return true;
  const aud = claims.aud;
  if (aud !== undefined) return (Array.isArray(aud) ? aud : [aud]).some((a) => typeof a === 'string' && audience.includes(a));
  return typeof claims.client_id === 'string' && audience.includes(claims.client_id);
}

/** The token's scopes: `scope` (space-separated, OAuth 2.0) or `scp` (a list or a string); null when neither. */
export function scopesOf(claims: Readonly<Record<string, unknown>>): string[] | null {
  const raw = claims.scope ?? claims.scp;
  if (typeof raw === 'string') return raw.split(' ').filter((s) => s.length > 0);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return null;
}
