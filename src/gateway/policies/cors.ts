/**
 * CORS, as API Gateway applies it.
 *
 * HTTP APIs (`CorsConfiguration`, http-api-cors.md): API Gateway answers preflight `OPTIONS` requests itself "even
 * if there isn't an OPTIONS route configured", and adds the configured headers to integration responses, ignoring
 * the CORS headers the backend returns. A request gets CORS headers only when it carries `Origin`; a preflight needs
 * `Origin` and `Access-Control-Request-Method`. A route that matches the OPTIONS request (an OPTIONS or ANY route,
 * or `$default`, which "catches … OPTIONS requests") takes it instead: the automatic answer is for requests no route
 * matches. The answer is 204 [3P captures]; a disallowed origin gets the 204 without CORS headers [?].
 *
 * REST APIs (SAM `Cors`, sam-property-api-corsconfiguration.md): SAM adds an OPTIONS method with a MOCK integration
 * to every path that has no OPTIONS method of its own, answering 200 with the configured headers (samtranslator
 * swagger.py `add_cors`); `Access-Control-Allow-Methods` defaults to the path's methods plus OPTIONS, every method
 * for ANY. Proxy integrations' responses are left alone: with Lambda proxy the function sets its own CORS headers.
 */
import type { ApiSpec, HttpCorsSpec, RestCorsSpec } from '../../app/model.js';
import { rawHeader } from '../events/common.js';
import type { GatewayResponse } from '../events/request.js';
import type { Policy } from '../phases.js';
import { Router } from '../router.js';

/** What SAM's ANY method expands to (samtranslator `_ALL_HTTP_METHODS`), sorted as SAM sorts it. */
const ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
/** The MOCK integration's response template in SAM's OPTIONS method. */
const REST_PREFLIGHT_BODY = Buffer.from('{}\n', 'utf8');
const EMPTY = Buffer.alloc(0);

interface HttpPreflight {
  readonly kind: 'http';
  readonly origins: OriginRule;
  /** Every preflight header except the origin, computed once. */
  readonly headers: readonly string[];
}

/** REST paths answered by SAM's mock: the API's unrouted requests, or an ANY route's OPTIONS requests. */
type RestPreflight = { readonly kind: 'rest-paths'; readonly paths: Router<GatewayResponse> } | { readonly kind: 'rest-route'; readonly response: GatewayResponse };

type PreflightConfig = HttpPreflight | RestPreflight;

interface ResponseConfig {
  readonly origins: OriginRule;
  /** Headers added after `Access-Control-Allow-Origin`. */
  readonly headers: readonly string[];
}

/** `*`, or the exact origins allowed. */
type OriginRule = '*' | ReadonlySet<string>;

export const corsPreflight: Policy<PreflightConfig> = {
  name: 'cors-preflight',
  phase: 'preflight',
  compile({ api, route }) {
    const cors = api.cors;
    if (cors?.kind === 'HTTP') return route === undefined ? httpPreflight(cors) : undefined;
    if (cors?.kind !== 'REST') return undefined;
    if (route === undefined) return { kind: 'rest-paths', paths: restPaths(api, cors) };
    // An OPTIONS request reaching an ANY route: SAM's OPTIONS method, more specific than ANY, answers it.
    if (route.method !== 'ANY' || hasOptionsRoute(api, route.path)) return undefined;
    return { kind: 'rest-route', response: restPreflight(api, cors, route.path) };
  },
  onRequest(ctx, config) {
    if (ctx.method !== 'OPTIONS') return undefined;
    if (config.kind === 'rest-route') return config.response;
    if (config.kind === 'rest-paths') return config.paths.match(ctx.path, 'OPTIONS')?.value;
    const origin = rawHeader(ctx.rawHeaders, 'origin');
    if (origin === undefined || rawHeader(ctx.rawHeaders, 'access-control-request-method') === undefined) return undefined;
    const allowed = allowedOrigin(config.origins, origin);
    const headers = allowed === undefined ? [] : ['access-control-allow-origin', allowed, ...config.headers];
    return { statusCode: 204, headers, body: EMPTY };
  },
};

export const corsHeaders: Policy<ResponseConfig> = {
  name: 'cors-headers',
  phase: 'response',
  compile({ api, route }) {
    const cors = api.cors;
    if (cors?.kind !== 'HTTP' || route === undefined) return undefined;
    const headers: string[] = [];
    if (cors.allowCredentials) headers.push('access-control-allow-credentials', 'true');
    if (cors.exposeHeaders.length > 0) headers.push('access-control-expose-headers', cors.exposeHeaders.join(','));
    return { origins: originRule(cors), headers };
  },
  onResponse(ctx, response, config) {
    const kept = withoutCorsHeaders(response.headers);
    const origin = rawHeader(ctx.rawHeaders, 'origin');
    const allowed = origin === undefined ? undefined : allowedOrigin(config.origins, origin);
    if (allowed !== undefined) kept.push('access-control-allow-origin', allowed, ...config.headers);
    return { ...response, headers: kept };
  },
};

function httpPreflight(cors: HttpCorsSpec): HttpPreflight {
  const headers: string[] = [];
  if (cors.allowCredentials) headers.push('access-control-allow-credentials', 'true');
  if (cors.allowHeaders.length > 0) headers.push('access-control-allow-headers', cors.allowHeaders.join(','));
  if (cors.allowMethods.length > 0) headers.push('access-control-allow-methods', cors.allowMethods.join(','));
  if (cors.maxAge !== undefined) headers.push('access-control-max-age', String(cors.maxAge));
  return { kind: 'http', origins: originRule(cors), headers };
}

function originRule(cors: HttpCorsSpec): OriginRule {
  return cors.allowOrigins.includes('*') ? '*' : new Set(cors.allowOrigins);
}

function allowedOrigin(rule: OriginRule, origin: string): string | undefined {
  if (rule === '*') return '*';
  return rule.has(origin) ? origin : undefined;
}

/** The backend's own CORS headers, which API Gateway ignores once the API configures CORS. */
function withoutCorsHeaders(headers: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    if (!headers[i]!.toLowerCase().startsWith('access-control-')) out.push(headers[i]!, headers[i + 1]!);
  }
  return out;
}

function hasOptionsRoute(api: ApiSpec, path: string): boolean {
  return api.routes.some((r) => r.path === path && r.method === 'OPTIONS');
}

function restPaths(api: ApiSpec, cors: RestCorsSpec): Router<GatewayResponse> {
  const paths = new Router<GatewayResponse>(false);
  for (const path of new Set(api.routes.map((r) => r.path))) {
    if (!hasOptionsRoute(api, path)) paths.add(path, 'OPTIONS', restPreflight(api, cors, path));
  }
  return paths;
}

/** SAM's mock answer for one path, in the order SAM writes the response parameters. */
function restPreflight(api: ApiSpec, cors: RestCorsSpec, path: string): GatewayResponse {
  const headers = ['Content-Type', 'application/json', 'Access-Control-Allow-Origin', cors.allowOrigin];
  if (cors.allowHeaders) headers.push('Access-Control-Allow-Headers', cors.allowHeaders);
  headers.push('Access-Control-Allow-Methods', cors.allowMethods || methodsOf(api, path));
  if (cors.maxAge !== undefined) headers.push('Access-Control-Max-Age', cors.maxAge);
  if (cors.allowCredentials) headers.push('Access-Control-Allow-Credentials', 'true');
  return Object.freeze({ statusCode: 200, headers: Object.freeze(headers), body: REST_PREFLIGHT_BODY });
}

/** SAM's default `Access-Control-Allow-Methods`: the path's methods and OPTIONS, or every method for ANY. */
function methodsOf(api: ApiSpec, path: string): string {
  const methods = api.routes.filter((r) => r.path === path).map((r) => r.method.toUpperCase());
  if (methods.includes('ANY')) return ALL_METHODS.join(',');
  return [...new Set([...methods, 'OPTIONS'])].sort().join(',');
}
