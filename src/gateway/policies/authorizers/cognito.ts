/**
 * REST API Cognito user-pool authorizers (apigateway-integrate-with-cognito.md): the token header (default
 * `Authorization`; the raw token — a `Bearer ` prefix is accepted too) must match `ValidationExpression` if one is
 * set; the token must be signed by one of the user pools' keys and issued by that pool
 * (`https://cognito-idp.{region}.amazonaws.com/{poolId}`), and not be expired; a method with `AuthorizationScopes`
 * needs one of them in the token's `scope` (an access token). Failures answer 401 `{"message":"Unauthorized"}`,
 * an expired token 401 `{"message":"The incoming token has expired"}` [3P widely reported]. The claims reach the
 * event as `requestContext.authorizer.claims`.
 *
 * Self-hosted identity providers (cognito-local, Keycloak …): `portico up --cognito-jwks-url` replaces the pool's
 * JWKS URL (a template with `{region}` and `{userPoolId}`); tokens issued by that URL's base (the URL without
 * `/.well-known/jwks.json`) are then accepted as well as the Cognito issuer.
 */
import type { JWTVerifyGetKey } from 'jose';
import type { CognitoAuthorizerSpec } from '../../../app/model.js';
import type { PolicyContext, RequestOutcome } from '../../phases.js';
import { scopesOf } from './http-jwt.js';
import { identityValues } from './identity.js';
import { JwksUnavailableError } from './jwks.js';
import { verifyJwt } from './jwt-verify.js';
import { AUTHORIZER_FAILED, UNAUTHORIZED, type AuthorizerTarget, type RouteAuthorizer } from './target.js';
import { loadJose } from './jose-module.js';

export const COGNITO_JWKS_URL = 'https://cognito-idp.{region}.amazonaws.com/{userPoolId}/.well-known/jwks.json';
const EXPIRED: RequestOutcome = Object.freeze({ ...UNAUTHORIZED, message: 'The incoming token has expired' });

interface Pool {
  readonly jwksUrl: string;
  readonly issuers: readonly string[];
}

export function cognitoAuthorizer(target: AuthorizerTarget<CognitoAuthorizerSpec>): RouteAuthorizer {
  const { spec, services, scopes, api } = target;
  const template = services.cognitoJwksUrl ?? COGNITO_JWKS_URL;
  // Loaded at deploy time, so the first request does not wait for the import.
  void loadJose();
  const pools: Pool[] = spec.userPools.map(({ region, userPoolId }) => {
    const jwksUrl = template.replaceAll('{region}', region).replaceAll('{userPoolId}', userPoolId);
    const issuers = [`https://cognito-idp.${region}.amazonaws.com/${userPoolId}`];
    if (services.cognitoJwksUrl !== undefined) issuers.push(jwksUrl.replace(/\/\.well-known\/jwks\.json$/, ''));
    return { jwksUrl, issuers };
  });
  const validation = spec.validationExpression === undefined ? undefined : new RegExp(`^(?:${spec.validationExpression})$`);
  return {
    async authorize(ctx) {
      const values = identityValues(spec.identitySources, ctx, api.stageVariables);
      if (values === undefined) return UNAUTHORIZED;
      if (validation !== undefined && !validation.test(values[0]!)) return UNAUTHORIZED;
      const token = values[0]!.replace(/^Bearer\s+/i, '');
      try {
        for (const pool of pools) {
          const outcome = await tryPool(ctx, token, pool, services.jwks.keysFor(pool.jwksUrl), scopes);
          if (outcome !== 'next') return outcome;
        }
      } catch (error) {
        if (error instanceof JwksUnavailableError) return AUTHORIZER_FAILED;
        throw error;
      }
      return UNAUTHORIZED;
    },
  };
}

/** The answer of one pool, or 'next' when the token is not this pool's (another pool may have signed it). */
async function tryPool(ctx: PolicyContext, token: string, pool: Pool, keys: JWTVerifyGetKey, scopes: readonly string[]): Promise<RequestOutcome | 'next'> {
  const verification = await verifyJwt(token, { issuers: pool.issuers, keys });
  if (!verification.ok) {
    if (verification.failure === 'expired') return EXPIRED;
    return verification.failure === 'kid' || verification.failure === 'issuer' ? 'next' : UNAUTHORIZED;
  }
  const { claims } = verification;
  if (scopes.length > 0 && !scopes.some((s) => scopesOf(claims)?.includes(s))) return UNAUTHORIZED;
  ctx.authorizer = { kind: 'cognito', principalId: typeof claims.sub === 'string' ? claims.sub : '', context: {}, integrationLatency: 0, claims };
  return undefined;
}
