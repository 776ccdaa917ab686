/**
 * The Lambda proxy event, payload format 1.0: REST APIs (aws-behaviour.md §1) and HTTP APIs configured with
 * `PayloadFormatVersion: 1.0` (`opts.httpApi`).
 *
 * Key order. The reference lists the 12 top-level keys alphabetically because LocalStack's snapshot files sort every
 * object (in the same snapshots `"foobar"` follows `"X-Forwarded-Proto"`: plain code-point sorting). Real events
 * captured from AWS use the order of the AWS docs example, which this builder writes:
 *   REST:     resource, path, httpMethod, headers, multiValueHeaders, queryStringParameters,
 *             multiValueQueryStringParameters, pathParameters, stageVariables, requestContext, body, isBase64Encoded
 *   HTTP 1.0: version, resource, path, httpMethod, headers, multiValueHeaders, queryStringParameters,
 *             multiValueQueryStringParameters, requestContext, pathParameters, stageVariables, body, isBase64Encoded
 * REST `requestContext` and `identity` follow real captures (regional API, 2019 and Apr 2023; `deploymentId`, absent
 * in 2023 and present in the 2024 snapshots, is placed before `apiId`); HTTP API 1.0 follows the docs example.
 * Headers are ordered by lower-cased name, as every real capture and the docs example show (Java
 * `CASE_INSENSITIVE_ORDER`): names differing only in case are one header, with the first casing seen.
 */
import {
  DROPPED_REQUEST_HEADERS,
  byLowerName,
  clfTime,
  firstMediaType,
  forwardedPort,
  isHttpApiTextMediaType,
  matchesBinaryMediaTypes,
  parseQuery,
  q,
  stringMapJson,
  type HeaderEntry,
} from './common.js';
import { hasV1Authorizer, httpV1AuthorizerJson, iamIdentityJson, restAuthorizerJson } from './authorizer.js';
import { newTraceRoot } from './ids.js';
import type { GatewayRequest, MatchedRoute, RequestIds } from './request.js';

export interface V1Options {
  /** True when an HTTP API sends payload format 1.0 (adds `version`, HTTP API request context, lower-case headers). */
  readonly httpApi: boolean;
}

/** What does not change between requests on one route, computed on a route's first request (keyed by its deploy-time `MatchedRoute`). */
interface RouteStatic {
  readonly resourceJson: string;
  readonly stageJson: string;
  readonly apiIdJson: string;
  readonly resourceIdJson: string;
  readonly stageVariablesJson: string;
  /** Names of greedy (`{name+}`) path variables. */
  readonly greedy: readonly string[];
}

const routeCache = new WeakMap<MatchedRoute, RouteStatic>();

function routeStatic(route: MatchedRoute): RouteStatic {
  let s = routeCache.get(route);
  if (s === undefined) {
    const greedy: string[] = [];
    const tpl = route.resource;
    let at = tpl.indexOf('+}');
    while (at !== -1) {
      const open = tpl.lastIndexOf('{', at);
      if (open !== -1) greedy.push(tpl.slice(open + 1, at));
      at = tpl.indexOf('+}', at + 2);
    }
    s = {
      resourceJson: q(route.resource),
      stageJson: q(route.stage),
      apiIdJson: q(route.apiId),
      resourceIdJson: q(route.resourceId),
      stageVariablesJson: stringMapJson(route.stageVariables),
      greedy,
    };
    routeCache.set(route, s);
  }
  return s;
}

/**
 * REST paths (§1.4): leading slashes before the stage are ignored; `requestContext.path` is `/<stage>` followed by
 * the rest of the path exactly as sent (`/stage//proxy-value`); `path` is that rest with its leading slashes
 * collapsed to one (`/proxy-value`), inner `//` and percent-encoding kept. A path that does not start with the stage
 * (custom-domain style) is treated as entirely below the stage.
 */
export function restPaths(rawPath: string, stage: string): { path: string; contextPath: string } {
  let i = 0;
  while (rawPath.charCodeAt(i) === 47) i++;
  let remainder: string;
  if (
    rawPath.startsWith(stage, i) &&
    (rawPath.length === i + stage.length || rawPath.charCodeAt(i + stage.length) === 47)
  ) {
    remainder = rawPath.slice(i + stage.length);
  } else {
    remainder = '/' + rawPath.slice(i);
  }
  let j = 0;
  while (remainder.charCodeAt(j) === 47) j++;
  return { path: '/' + remainder.slice(j), contextPath: '/' + stage + remainder };
}

function pathParametersJson(params: GatewayRequest['pathParameters'], greedy: readonly string[]): string {
  if (!params) return 'null';
  let out = '';
  for (const k in params) {
    let v = params[k]!;
    if (greedy.length > 0 && greedy.includes(k)) {
      // `{proxy+}` is sent without leading/trailing slashes (§1.4: `proxy-value/` → `proxy-value`,
      // `/stage//proxy-value` → `proxy-value`); inner `//` and percent-encoding are kept.
      let a = 0;
      let b = v.length;
      while (a < b && v.charCodeAt(a) === 47) a++;
      while (b > a && v.charCodeAt(b - 1) === 47) b--;
      if (a !== 0 || b !== v.length) v = v.slice(a, b);
    }
    out += (out.length === 0 ? '{' : ',') + q(k) + ':' + q(v);
  }
  return out.length === 0 ? 'null' : out + '}';
}

/** Canonical casing of the two headers REST normalises (§1.2). */
function restHeaderName(name: string, lower: string): string {
  if (lower === 'authorization') return 'Authorization';
  if (lower === 'user-agent') return 'User-Agent';
  return name;
}

/**
 * Collects the request headers as API Gateway forwards them: dropped hop-by-hop headers removed, same-name headers
 * merged, `X-Amzn-Trace-Id` / `X-Forwarded-For` / `X-Forwarded-Port` / `X-Forwarded-Proto` (and `Host` if missing)
 * added as a regional API does (§1.2), sorted by lower-cased name.
 */
function collectHeaders(req: GatewayRequest, ids: RequestIds, lowerNames: boolean): Map<string, HeaderEntry> {
  const map = new Map<string, HeaderEntry>();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (DROPPED_REQUEST_HEADERS.has(lower)) continue;
    const value = raw[i + 1]!;
    const e = map.get(lower);
    if (e === undefined) {
      map.set(lower, { name: lowerNames ? lower : restHeaderName(name, lower), lower, values: [value] });
    } else {
      e.values.push(value);
    }
  }
  if (!map.has('host') && req.host) {
    map.set('host', { name: lowerNames ? 'host' : 'Host', lower: 'host', values: [req.host] });
  }
  if (!map.has('x-amzn-trace-id')) {
    const trace = ids.traceId ?? newTraceRoot(req.requestTimeEpoch);
    map.set('x-amzn-trace-id', {
      name: lowerNames ? 'x-amzn-trace-id' : 'X-Amzn-Trace-Id',
      lower: 'x-amzn-trace-id',
      values: [trace],
    });
  }
  const xff = map.get('x-forwarded-for');
  if (xff === undefined) {
    map.set('x-forwarded-for', {
      name: lowerNames ? 'x-forwarded-for' : 'X-Forwarded-For',
      lower: 'x-forwarded-for',
      values: [req.sourceIp],
    });
  } else {
    // the client ip is appended to what the client sent (one header, as the edge captures show: `a, b`)
    xff.values = [xff.values.join(', ') + ', ' + req.sourceIp];
  }
  map.set('x-forwarded-port', {
    name: lowerNames ? 'x-forwarded-port' : 'X-Forwarded-Port',
    lower: 'x-forwarded-port',
    values: [forwardedPort(req)],
  });
  map.set('x-forwarded-proto', {
    name: lowerNames ? 'x-forwarded-proto' : 'X-Forwarded-Proto',
    lower: 'x-forwarded-proto',
    values: [req.scheme ?? 'http'],
  });
  return map;
}

/** The JSON objects of a single-value map (last value wins) and its multi-value twin, built side by side. */
interface SingleMulti {
  single: string;
  multi: string;
}

/** Adds one name with its (non-empty) values to both objects; `close` finishes them. */
function addSingleMulti(out: SingleMulti, name: string, values: readonly string[]): void {
  const k = q(name);
  out.single += (out.single.length === 0 ? '{' : ',') + k + ':' + q(values[values.length - 1]!);
  out.multi += (out.multi.length === 0 ? '{' : ',') + k + ':[' + q(values[0]!);
  for (let i = 1; i < values.length; i++) out.multi += ',' + q(values[i]!);
  out.multi += ']';
}

/** Closes both objects; `empty` is what each is when nothing was added. */
function closeSingleMulti(out: SingleMulti, empty: string): SingleMulti {
  if (out.single.length === 0) return { single: empty, multi: empty };
  return { single: out.single + '}', multi: out.multi + '}' };
}

function headersJson(entries: readonly HeaderEntry[]): SingleMulti {
  const out: SingleMulti = { single: '', multi: '' };
  for (const e of entries) addSingleMulti(out, e.name, e.values);
  return closeSingleMulti(out, '{}');
}

function queryJson(raw: string, semicolonSplits: boolean): SingleMulti {
  const out: SingleMulti = { single: '', multi: '' };
  const map = parseQuery(raw, semicolonSplits);
  if (map !== null) for (const [key, values] of map) addSingleMulti(out, key, values);
  return closeSingleMulti(out, 'null');
}

/**
 * Builds the payload-1.0 event as the JSON string sent to the function.
 *
 * Body: `null` when empty; base64 with `isBase64Encoded: true` when the request Content-Type matches the API's
 * `binaryMediaTypes` (REST) or is not text-like (HTTP API, see `isHttpApiTextMediaType`); else the UTF-8 text.
 */
export function buildV1Event(req: GatewayRequest, route: MatchedRoute, ids: RequestIds, opts: V1Options): string {
  const rs = routeStatic(route);
  const http = opts.httpApi;

  const headerMap = collectHeaders(req, ids, http);
  const entries = Array.from(headerMap.values()).sort(byLowerName);
  const headers = headersJson(entries);
  const query = queryJson(req.rawQueryString, !http);

  const ua = headerMap.get('user-agent');
  const userAgentJson = ua === undefined ? 'null' : q(ua.values[ua.values.length - 1]!);

  let bodyJson = 'null';
  let isBase64 = false;
  if (req.body.length > 0) {
    const ct = headerMap.get('content-type');
    const mediaType = ct === undefined ? '' : firstMediaType(ct.values[0]);
    isBase64 = http ? !isHttpApiTextMediaType(mediaType) : matchesBinaryMediaTypes(mediaType, route.binaryMediaTypes);
    bodyJson = q(isBase64 ? req.body.toString('base64') : req.body.toString('utf8'));
  }

  const method = q(req.method);
  // From `httpMethod` to `multiValueQueryStringParameters` both 1.0 layouts are the same.
  const methodHeadersQuery =
    ',"httpMethod":' +
    method +
    ',"headers":' +
    headers.single +
    ',"multiValueHeaders":' +
    headers.multi +
    ',"queryStringParameters":' +
    query.single +
    ',"multiValueQueryStringParameters":' +
    query.multi;
  const pathParams = pathParametersJson(req.pathParameters, rs.greedy);
  const requestTime = q(clfTime(req.requestTimeEpoch));
  const epoch = String(req.requestTimeEpoch);
  const sourceIp = q(req.sourceIp);
  const iam = iamIdentityJson(req.authorizer?.iam);

  if (!http) {
    const { path, contextPath } = restPaths(req.rawPath, route.stage);
    // `identity.apiKey`/`apiKeyId` appear when the method required a key (mapping-template-reference.md).
    const apiKey = req.apiKey === undefined ? '' : `"apiKey":${q(req.apiKey.value)},"apiKeyId":${q(req.apiKey.id)},`;
    return (
      '{"resource":' +
      rs.resourceJson +
      ',"path":' +
      q(path) +
      methodHeadersQuery +
      ',"pathParameters":' +
      pathParams +
      ',"stageVariables":' +
      rs.stageVariablesJson +
      ',"requestContext":{"resourceId":' +
      rs.resourceIdJson +
      (hasV1Authorizer(req.authorizer) ? ',"authorizer":' + restAuthorizerJson(req.authorizer) : '') +
      ',"resourcePath":' +
      rs.resourceJson +
      ',"httpMethod":' +
      method +
      ',"extendedRequestId":' +
      q(ids.extendedRequestId) +
      ',"requestTime":' +
      requestTime +
      ',"path":' +
      q(contextPath) +
      ',"accountId":' +
      q(ids.accountId) +
      ',"protocol":' +
      q(req.protocol) +
      ',"stage":' +
      rs.stageJson +
      ',"domainPrefix":' +
      q(ids.domainPrefix) +
      ',"requestTimeEpoch":' +
      epoch +
      ',"requestId":' +
      q(ids.requestId) +
      ',"identity":{"cognitoIdentityPoolId":null,"accountId":' +
      iam.accountId +
      ',"cognitoIdentityId":null,"caller":' +
      iam.caller +
      ',' +
      apiKey +
      '"sourceIp":' +
      sourceIp +
      ',"principalOrgId":null,"accessKey":' +
      iam.accessKey +
      ',"cognitoAuthenticationType":null,"cognitoAuthenticationProvider":null,"userArn":' +
      iam.userArn +
      ',"userAgent":' +
      userAgentJson +
      ',"user":' +
      iam.caller +
      '},"domainName":' +
      q(ids.domainName) +
      ',"deploymentId":' +
      q(ids.deploymentId) +
      ',"apiId":' +
      rs.apiIdJson +
      '},"body":' +
      bodyJson +
      ',"isBase64Encoded":' +
      isBase64 +
      '}'
    );
  }

  // HTTP API, payload 1.0 [D http-api-develop-integrations-lambda.md, 1.0 example]: `path` and `requestContext.path`
  // are the request path as sent (with the stage for a named stage; format 1.0 is the one that keeps a custom-domain
  // mapping's base path), `resourceId` is null, `authorizer` is `{"claims":null,"scopes":null}` without an authorizer.
  const rawPath = q(req.rawPath);
  return (
    '{"version":"1.0","resource":' +
    rs.resourceJson +
    ',"path":' +
    rawPath +
    methodHeadersQuery +
    ',"requestContext":{"accountId":' +
    q(ids.accountId) +
    ',"apiId":' +
    rs.apiIdJson +
    ',"authorizer":' +
    (hasV1Authorizer(req.authorizer) ? httpV1AuthorizerJson(req.authorizer) : '{"claims":null,"scopes":null}') +
    ',"domainName":' +
    q(ids.domainName) +
    ',"domainPrefix":' +
    q(ids.domainPrefix) +
    ',"extendedRequestId":' +
    q(ids.extendedRequestId) +
    ',"httpMethod":' +
    method +
    ',"identity":{"accessKey":' +
    iam.accessKey +
    ',"accountId":' +
    iam.accountId +
    ',"caller":' +
    iam.caller +
    ',"cognitoAuthenticationProvider":null,"cognitoAuthenticationType":null,"cognitoIdentityId":null,"cognitoIdentityPoolId":null,"principalOrgId":null,"sourceIp":' +
    sourceIp +
    ',"user":' +
    iam.caller +
    ',"userAgent":' +
    userAgentJson +
    ',"userArn":' +
    iam.userArn +
    '},"path":' +
    rawPath +
    ',"protocol":' +
    q(req.protocol) +
    ',"requestId":' +
    q(ids.requestId) +
    ',"requestTime":' +
    requestTime +
    ',"requestTimeEpoch":' +
    epoch +
    ',"resourceId":null,"resourcePath":' +
    rs.resourceJson +
    ',"stage":' +
    rs.stageJson +
    '},"pathParameters":' +
    pathParams +
    ',"stageVariables":' +
    rs.stageVariablesJson +
    ',"body":' +
    bodyJson +
    ',"isBase64Encoded":' +
    isBase64 +
    '}'
  );
}
