/**
 * The `authorize` phase: the route's authorizer, compiled at deploy time by kind (one file each), run before the
 * API key check because an authorizer may supply the key (`usageIdentifierKey`). It answers 401/403/500 itself or
 * leaves its result on the PolicyContext (`ctx.authorizer`) for the api-key phase and the integration's event.
 */
import type { Policy } from '../../phases.js';
import { cognitoAuthorizer } from './cognito.js';
import { httpJwtAuthorizer } from './http-jwt.js';
import { httpLambdaAuthorizer } from './http-lambda.js';
import { iamAuthorizer } from './iam.js';
import { JwksCache } from './jwks.js';
import { restLambdaAuthorizer } from './rest-lambda.js';
import { InMemoryAuthorizerResultCache } from './result-cache.js';
import type { AuthorizerEnv, AuthorizerServices, AuthorizerTarget, RouteAuthorizer } from './target.js';

export type { AuthorizerServices, IamCredentials } from './target.js';

/** Services for a gateway without functions (tests): Lambda authorizers answer 500, JWTs are still verified. */
export function defaultAuthorizerServices(): AuthorizerServices {
  return { invoker: undefined, cache: new InMemoryAuthorizerResultCache(), jwks: new JwksCache(), cognitoJwksUrl: undefined };
}

export function authorizePolicy(services: AuthorizerServices, env: AuthorizerEnv): Policy<RouteAuthorizer> {
  return {
    name: 'authorizer',
    phase: 'authorize',
    compile({ api, route }) {
      const auth = route?.auth;
      const spec = auth === undefined ? undefined : api.authorizers?.[auth.authorizer];
      if (route === undefined || auth === undefined || spec === undefined) return undefined;
      return compileAuthorizer({ api, route, spec, scopes: auth.scopes, services, env });
    },
    onRequest(ctx, authorizer) {
      return authorizer.authorize(ctx);
    },
  };
}

/** The route authorizer of the target's kind. */
export function compileAuthorizer(target: AuthorizerTarget): RouteAuthorizer {
  const { spec } = target;
  switch (spec.kind) {
    case 'REST_LAMBDA':
      return restLambdaAuthorizer({ ...target, spec });
    case 'COGNITO':
      return cognitoAuthorizer({ ...target, spec });
    case 'HTTP_LAMBDA':
      return httpLambdaAuthorizer({ ...target, spec });
    case 'JWT':
      return httpJwtAuthorizer({ ...target, spec });
    case 'AWS_IAM':
      return iamAuthorizer({ ...target, spec });
  }
}
