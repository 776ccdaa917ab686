/**
 * The HTTP API Lambda proxy event, payload format 2.0 (aws-behaviour.md §3.1, AWS docs
 * http-api-develop-integrations-lambda.md). Key order is the docs example's:
 *   version, routeKey, rawPath, rawQueryString, cookies, headers, queryStringParameters, requestContext, body,
 *   pathParameters, isBase64Encoded, stageVariables
 *   requestContext: accountId, apiId, domainName, domainPrefix, http{method, path, protocol, sourceIp, userAgent},
 *   requestId, routeKey, stage, time, timeEpoch
 * Keys without data are omitted: cookies, queryStringParameters, body, pathParameters, stageVariables
 * (`authentication` exists only with mTLS, which this builder does not know about; `authorizer` only when the
 * route's authorizer set `GatewayRequest.authorizer`).
 */
import {
  DROPPED_REQUEST_HEADERS,
  clfTime,
  firstMediaType,
  forwardedPort,
  isHttpApiTextMediaType,
  parseQuery,
  q,
  stringMapJson,
} from './common.js';
import { httpV2AuthorizerJson } from './authorizer.js';
import { newTraceRoot } from './ids.js';
import type { GatewayRequest, MatchedRoute, RequestIds } from './request.js';

interface RouteStatic {
  readonly routeKeyJson: string;
  readonly stageJson: string;
  readonly apiIdJson: string;
  /** `,"stageVariables":{…}` or '' when there are none. */
  readonly stageVariablesPart: string;
}

const routeCache = new WeakMap<MatchedRoute, RouteStatic>();

function routeStatic(route: MatchedRoute): RouteStatic {
  let s = routeCache.get(route);
  if (s === undefined) {
    const sv = stringMapJson(route.stageVariables);
    s = {
      routeKeyJson: q(route.routeKey),
      stageJson: q(route.stage),
      apiIdJson: q(route.apiId),
      stageVariablesPart: sv === 'null' ? '' : ',"stageVariables":' + sv,
    };
    routeCache.set(route, s);
  }
  return s;
}

/**
 * Builds the payload-2.0 event as the JSON string sent to the function.
 *
 * - Header names lower-cased; repeated headers joined with `,` (no space, as the docs example `value1,value2`);
 *   hop-by-hop headers dropped except `content-length` (kept: real 2.0 captures show it); `x-amzn-trace-id`,
 *   `x-forwarded-for` (client ip appended), `x-forwarded-port`, `x-forwarded-proto` added.
 * - Every `Cookie` header is removed from `headers` and split on `"; "` into `cookies`.
 * - `rawPath` / `requestContext.http.path`: the path as sent, stage prefix included for a named stage.
 * - `rawQueryString` as received; `queryStringParameters` decoded (`+` → space, percent-decoding), repeats joined with `,`.
 * - Body base64-encoded unless the Content-Type is text-like (`isHttpApiTextMediaType`).
 */
export function buildV2Event(req: GatewayRequest, route: MatchedRoute, ids: RequestIds): string {
  const rs = routeStatic(route);

  const cookies: string[] = [];
  const map = collectHeaders(req, ids, cookies);
  let headers = '';
  for (const name of Array.from(map.keys()).sort()) {
    headers += (headers.length === 0 ? '{' : ',') + q(name) + ':' + q(joined(map.get(name)!));
  }
  headers += '}';

  let cookiesPart = '';
  if (cookies.length > 0) {
    cookiesPart = ',"cookies":[' + q(cookies[0]!);
    for (let i = 1; i < cookies.length; i++) cookiesPart += ',' + q(cookies[i]!);
    cookiesPart += ']';
  }

  let queryPart = '';
  const query = parseQuery(req.rawQueryString, false);
  if (query !== null) {
    let qs = '';
    for (const [k, vs] of query) qs += (qs.length === 0 ? '{' : ',') + q(k) + ':' + q(joined(vs));
    queryPart = ',"queryStringParameters":' + qs + '}';
  }

  let bodyPart = '';
  let isBase64 = false;
  if (req.body.length > 0) {
    const ct = map.get('content-type');
    isBase64 = !isHttpApiTextMediaType(firstMediaType(ct === undefined ? undefined : ct[0]));
    bodyPart = ',"body":' + q(isBase64 ? req.body.toString('base64') : req.body.toString('utf8'));
  }

  let pathPart = '';
  const pp = stringMapJson(req.pathParameters);
  if (pp !== 'null') pathPart = ',"pathParameters":' + pp;

  const ua = map.get('user-agent');
  const rawPath = q(req.rawPath);

  return (
    '{"version":"2.0","routeKey":' +
    rs.routeKeyJson +
    ',"rawPath":' +
    rawPath +
    ',"rawQueryString":' +
    q(req.rawQueryString) +
    cookiesPart +
    ',"headers":' +
    headers +
    queryPart +
    ',"requestContext":{"accountId":' +
    q(ids.accountId) +
    ',"apiId":' +
    rs.apiIdJson +
    (req.authorizer === undefined ? '' : ',"authorizer":' + httpV2AuthorizerJson(req.authorizer)) +
    ',"domainName":' +
    q(ids.domainName) +
    ',"domainPrefix":' +
    q(ids.domainPrefix) +
    ',"http":{"method":' +
    q(req.method) +
    ',"path":' +
    rawPath +
    ',"protocol":' +
    q(req.protocol) +
    ',"sourceIp":' +
    q(req.sourceIp) +
    ',"userAgent":' +
    q(ua === undefined ? '' : joined(ua)) +
    '},"requestId":' +
    q(ids.requestId) +
    ',"routeKey":' +
    rs.routeKeyJson +
    ',"stage":' +
    rs.stageJson +
    ',"time":' +
    q(clfTime(req.requestTimeEpoch)) +
    ',"timeEpoch":' +
    req.requestTimeEpoch +
    '}' +
    bodyPart +
    pathPart +
    ',"isBase64Encoded":' +
    isBase64 +
    rs.stageVariablesPart +
    '}'
  );
}

/** Repeated values of one name, joined with `,` (no space). */
function joined(values: readonly string[]): string {
  return values.length === 1 ? values[0]! : values.join(',');
}

/**
 * The request headers by lower-cased name, as 2.0 forwards them (see `buildV2Event`); every `Cookie` header goes
 * to `cookies` instead, split on `"; "`.
 */
function collectHeaders(req: GatewayRequest, ids: RequestIds, cookies: string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    if (lower === 'cookie') {
      for (const c of value.split('; ')) if (c.length > 0) cookies.push(c);
      continue;
    }
    if (lower !== 'content-length' && DROPPED_REQUEST_HEADERS.has(lower)) continue;
    const list = map.get(lower);
    if (list === undefined) map.set(lower, [value]);
    else list.push(value);
  }
  if (!map.has('host') && req.host) map.set('host', [req.host]);
  if (!map.has('x-amzn-trace-id')) map.set('x-amzn-trace-id', [ids.traceId ?? newTraceRoot(req.requestTimeEpoch)]);
  const xff = map.get('x-forwarded-for');
  map.set('x-forwarded-for', [xff === undefined ? req.sourceIp : xff.join(', ') + ', ' + req.sourceIp]);
  map.set('x-forwarded-port', [forwardedPort(req)]);
  map.set('x-forwarded-proto', [req.scheme ?? 'http']);
  return map;
}
