/**
 * SAM's `AddApiKeyRequiredToCorsPreflight` (sam-property-api-apiauth.md, default true): with `Cors` and the API's
 * `Auth.ApiKeyRequired`, the OPTIONS methods SAM adds for CORS require the API key too, so a browser's preflight —
 * which carries no `x-api-key` — gets 403 `{"message":"Forbidden"}` before the mock answers, as on AWS
 * (serverless-application-model#1786). Like the preflight authorizer (authorizers/cors-preflight.ts), it runs in the
 * `preflight` phase ahead of the CORS mock, for the OPTIONS requests the mock answers: paths without an OPTIONS
 * method of their own (the API's unrouted plan) and OPTIONS requests that reach an ANY route.
 */
import type { ApiSpec } from '../../app/model.js';
import type { Policy } from '../phases.js';
import { Router } from '../router.js';
import type { UsagePlanRegistry } from '../usage-plans/registry.js';
import { admitKey, apiKeyConfig, type ApiKeyConfig } from './api-key.js';

/** One ANY route's OPTIONS method, or the mock's paths (unrouted plan), each with its method's key check. */
type PreflightKey = { readonly kind: 'route'; readonly config: ApiKeyConfig } | { readonly kind: 'paths'; readonly paths: Router<ApiKeyConfig> };

export function corsPreflightApiKeyPolicy(registry: UsagePlanRegistry): Policy<PreflightKey> {
  return {
    name: 'api-key-cors-preflight',
    phase: 'preflight',
    compile({ api, route }) {
      if (api.corsPreflightApiKeyRequired !== true) return undefined;
      if (route === undefined) return { kind: 'paths', paths: mockPaths(api) };
      if (route.method !== 'ANY' || hasOptionsRoute(api, route.path)) return undefined;
      return { kind: 'route', config: apiKeyConfig(api, route.path, 'OPTIONS') };
    },
    onRequest(ctx, preflight) {
      if (ctx.method !== 'OPTIONS') return undefined;
      const config = preflight.kind === 'route' ? preflight.config : preflight.paths.match(ctx.path, 'OPTIONS')?.value;
      return config === undefined ? undefined : admitKey(registry, ctx, config);
    },
  };
}

function hasOptionsRoute(api: ApiSpec, path: string): boolean {
  return api.routes.some((r) => r.path === path && r.method === 'OPTIONS');
}

/** The paths SAM adds an OPTIONS mock to: every path of the API without an OPTIONS method of its own. */
function mockPaths(api: ApiSpec): Router<ApiKeyConfig> {
  const paths = new Router<ApiKeyConfig>(false);
  for (const path of new Set(api.routes.map((r) => r.path))) {
    if (!hasOptionsRoute(api, path)) paths.add(path, 'OPTIONS', apiKeyConfig(api, path, 'OPTIONS'));
  }
  return paths;
}
