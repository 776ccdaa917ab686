import type { AuthorizerResult } from './authorizer.js';

/**
 * What the gateway knows about one request once the route has matched: the input of the payload builders
 * (v1.ts, v2.ts) and of the response mappers. Built once per request by the server; read-only afterwards.
 */
export interface GatewayRequest {
  readonly method: string;
  /** The path as the client sent it, still percent-encoded, without the query string (stage prefix included when addressed by path). */
  readonly rawPath: string;
  /** Path parameters extracted by the router, values as in the path (still percent-encoded); null when none. */
  readonly pathParameters: Readonly<Record<string, string>> | null;
  /** Raw query string without `?`, '' when none. */
  readonly rawQueryString: string;
  /** Header names and values in the order received, names as the client cased them (Node's `rawHeaders`). */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly requestTimeEpoch: number;
  /** Protocol string, e.g. `HTTP/1.1`. */
  readonly protocol: string;
  /** Host header value as received (with port). */
  readonly host: string;
  /**
   * Added for the `X-Forwarded-Proto` header the builders add (AWS always sends `https`; Portico reports the scheme
   * the client really used so apps that build absolute URLs keep working). Default `http`.
   */
  readonly scheme?: 'http' | 'https';
  /**
   * Added for the `X-Forwarded-Port` header the builders add: the local port the client connected to. Default: the
   * port in `host`, else 80 (`http`) / 443 (`https`).
   */
  readonly localPort?: number;
  /** REST: the API key the request was admitted with, when its method requires one. */
  readonly apiKey?: { readonly id: string; readonly value: string };
  /** What the route's authorizer allowed the request with, shown in the event's `requestContext.authorizer`. */
  readonly authorizer?: AuthorizerResult;
}

/**
 * The route a request matched, with everything the payload builders need from the deployment: compiled once per
 * route at deploy time (`CompiledRoute.matched`), so the builders can cache what they derive from it by identity.
 */
export interface MatchedRoute {
  readonly apiId: string;
  readonly stage: string;
  readonly stageVariables: Readonly<Record<string, string>> | null;
  /** REST resource path template (`/items/{id}`) or HTTP API route path. */
  readonly resource: string;
  /** HTTP API route key, `GET /items/{id}` or `$default`. */
  readonly routeKey: string;
  readonly resourceId: string;
  readonly binaryMediaTypes: readonly string[];
}

/** Per-request identifiers and the account, supplied by the gateway. */
export interface RequestIds {
  readonly requestId: string;
  readonly extendedRequestId: string;
  readonly accountId: string;
  readonly deploymentId: string;
  readonly domainName: string;
  readonly domainPrefix: string;
  /**
   * Added so the event and the response share one X-Ray trace: the `X-Amzn-Trace-Id` value the function sees. The
   * server sets it once per request with `traceIdFor(req.rawHeaders)` (ids.ts: the client's value, else a new
   * `Root=1-…`) and passes the same value to `gatewayHeaders`. When absent the builders generate one.
   */
  readonly traceId?: string;
}

/** The HTTP response the gateway writes, produced by the response mappers. */
export interface GatewayResponse {
  readonly statusCode: number;
  /** Flat list [name, value, name, value …]; a name may repeat (each value is its own header line). */
  readonly headers: readonly string[];
  readonly body: Buffer;
}
