/**
 * SAM's `AddDefaultAuthorizerToCorsPreflight` (sam-property-api-apiauth.md, default true): with `Cors` and a
 * `DefaultAuthorizer`, SAM puts the default authorizer on the OPTIONS methods it adds for CORS, so a browser's
 * preflight — which carries no credentials — is refused 401 before the mock can answer, as on AWS. This policy runs
 * that authorizer in the `preflight` phase, listed before the CORS policy so that it runs first, and only for the
 * OPTIONS requests SAM's mock answers: paths without an OPTIONS method of their own (the API's unrouted plan) and
 * OPTIONS requests that reach an ANY route.
 */
import type { ApiSpec, RouteSpec } from '../../../app/model.js';
import type { MatchedRoute } from '../../events/request.js';
import type { Policy } from '../../phases.js';
import { Router } from '../../router.js';
import { compileAuthorizer } from './policy.js';
import type { AuthorizerEnv, AuthorizerServices, RouteAuthorizer } from './target.js';

interface PreflightAuthorizer {
  readonly authorizer: RouteAuthorizer;
  /** Unrouted plan: the paths SAM's OPTIONS mock answers, each as the route its authorizer events describe. */
  readonly paths: Router<MatchedRoute> | undefined;
}

export function corsPreflightAuthorizePolicy(services: AuthorizerServices, env: AuthorizerEnv): Policy<PreflightAuthorizer> {
  return {
    name: 'authorizer-cors-preflight',
    phase: 'preflight',
    compile({ api, route }) {
      const auth = api.corsPreflightAuth;
      const spec = auth === undefined ? undefined : api.authorizers?.[auth.authorizer];
      if (auth === undefined || spec === undefined) return undefined;
      if (route !== undefined && (route.method !== 'ANY' || hasOptionsRoute(api, route.path))) return undefined;
      const options: RouteSpec = { method: 'OPTIONS', path: route?.path ?? '/', functionLogicalId: '', payloadFormatVersion: '1.0', timeoutInMillis: 29_000, eventId: 'Cors' };
      const authorizer = compileAuthorizer({ api, route: options, spec, scopes: auth.scopes, services, env });
      return { authorizer, paths: route === undefined ? mockPaths(api) : undefined };
    },
    onRequest(ctx, config) {
      if (ctx.method !== 'OPTIONS') return undefined;
      if (config.paths === undefined) return config.authorizer.authorize(ctx);
      const route = config.paths.match(ctx.path, 'OPTIONS')?.value;
      // Unrouted requests reach the policies without a matched route: the mock's path stands in for one.
      return route === undefined ? undefined : config.authorizer.authorize({ ...ctx, route });
    },
  };
}

function hasOptionsRoute(api: ApiSpec, path: string): boolean {
  return api.routes.some((r) => r.path === path && r.method === 'OPTIONS');
}

/** The paths SAM adds an OPTIONS mock to: every path of the API without an OPTIONS method of its own. */
function mockPaths(api: ApiSpec): Router<MatchedRoute> {
  const paths = new Router<MatchedRoute>(false);
  const stageVariables = Object.keys(api.stageVariables).length > 0 ? api.stageVariables : null;
  for (const path of new Set(api.routes.map((r) => r.path))) {
    if (hasOptionsRoute(api, path)) continue;
    const route = { apiId: api.apiId, stage: api.stageName, stageVariables, resource: path, routeKey: `OPTIONS ${path}`, resourceId: '', binaryMediaTypes: api.binaryMediaTypes };
    paths.add(path, 'OPTIONS', Object.freeze(route));
  }
  return paths;
}
