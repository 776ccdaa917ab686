/**
 * API Gateway's own responses: the REST gateway-response table (aws-behaviour.md §4.1), the default error responses
 * of REST APIs and HTTP APIs (§4.2, §3.2), and the headers API Gateway adds to every response.
 *
 * Bodies are byte-exact. Note the two REST spellings: responses rendered from the default gateway-response template
 * `{"message":$context.error.messageString}` have no space (`{"message":"Missing Authentication Token"}`), while the
 * integration errors have one (`{"message": "Internal server error"}` — Content-Length 36 in the recorded regional
 * response — `{"message": "Endpoint request timed out"}`, `{"message": "Request Too Long"}`).
 *
 * Sources, per entry below: [S] recorded against AWS (LocalStack snapshots), [3P] third-party captures of real
 * responses, [LS] LocalStack's implementation only, [?] not verified anywhere — chosen to be plausible, measure.
 */
import { responseTraceId } from '../events/ids.js';
import type { GatewayResponse, RequestIds } from '../events/request.js';

/** REST API gateway response types (GetGatewayResponses). */
export type GatewayResponseType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'BAD_REQUEST_BODY'
  | 'BAD_REQUEST_PARAMETERS'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX'
  | 'EXPIRED_TOKEN'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'INVALID_API_KEY'
  | 'INVALID_SIGNATURE'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'QUOTA_EXCEEDED'
  | 'REQUEST_TOO_LARGE'
  | 'RESOURCE_NOT_FOUND'
  | 'THROTTLED'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'WAF_FILTERED';

/**
 * Default status of each gateway response type as the REST control plane reports it (§4.1, [S]
 * `test_gateway_response_crud`); DEFAULT_4XX/5XX have none. At runtime INTEGRATION_FAILURE is never 504: a Lambda
 * failure answers 502 (§2/§4.2), a non-POST AWS_PROXY integration 500 (§1.6); `gatewayError` uses 502.
 */
export const GATEWAY_RESPONSE_DEFAULT_STATUS: Readonly<Record<GatewayResponseType, number | null>> = Object.freeze({
  ACCESS_DENIED: 403,
  API_CONFIGURATION_ERROR: 500,
  AUTHORIZER_CONFIGURATION_ERROR: 500,
  AUTHORIZER_FAILURE: 500,
  BAD_REQUEST_BODY: 400,
  BAD_REQUEST_PARAMETERS: 400,
  DEFAULT_4XX: null,
  DEFAULT_5XX: null,
  EXPIRED_TOKEN: 403,
  INTEGRATION_FAILURE: 504,
  INTEGRATION_TIMEOUT: 504,
  INVALID_API_KEY: 403,
  INVALID_SIGNATURE: 403,
  MISSING_AUTHENTICATION_TOKEN: 403,
  QUOTA_EXCEEDED: 429,
  REQUEST_TOO_LARGE: 413,
  RESOURCE_NOT_FOUND: 404,
  THROTTLED: 429,
  UNAUTHORIZED: 401,
  UNSUPPORTED_MEDIA_TYPE: 415,
  WAF_FILTERED: 403,
});

/** Default response template of every type (§4.1). */
export const DEFAULT_GATEWAY_RESPONSE_TEMPLATE = '{"message":$context.error.messageString}';

/**
 * Errors the gateway can answer itself: the gateway response types (except the DEFAULT_* families) plus the Lambda
 * scenarios whose observed answer differs from the table:
 * - LAMBDA_FUNCTION_ERROR: the function raised / the invoke failed; MALFORMED_LAMBDA_RESPONSE: the proxy result does
 *   not follow the format (mappers returned null). REST 502, HTTP API 500.
 * - LAMBDA_REQUEST_TOO_LARGE: the event exceeds Lambda's 6 MB invoke limit (REST 413 `{"message": "Request Too Long"}`).
 */
export type GatewayErrorType =
  | Exclude<GatewayResponseType, 'DEFAULT_4XX' | 'DEFAULT_5XX'>
  | 'LAMBDA_FUNCTION_ERROR'
  | 'MALFORMED_LAMBDA_RESPONSE'
  | 'LAMBDA_REQUEST_TOO_LARGE';

/** Explicit-deny wording of captures from Oct 2024 and May 2026 (2023 captures lack "in an identity-based policy"). */
export const ACCESS_DENIED_EXPLICIT =
  'User is not authorized to access this resource with an explicit deny in an identity-based policy';
/** Implicit deny (the authorizer's policy does not allow the method). */
export const ACCESS_DENIED_IMPLICIT = 'User is not authorized to access this resource';

export interface GatewayErrorOptions {
  /**
   * Replaces the message where AWS varies it: ACCESS_DENIED (`ACCESS_DENIED_IMPLICIT`), BAD_REQUEST_PARAMETERS
   * (`Missing required request parameters: [x-header-param, issuer, qs1]`), BAD_REQUEST_BODY.
   */
  readonly message?: string;
  /** Headers added to the response (a JWT authorizer's `www-authenticate`). */
  readonly headers?: readonly string[];
  /**
   * Replaces `x-amzn-ErrorType` where AWS varies it within one type: AWS_IAM's INVALID_SIGNATURE answers are
   * `InvalidSignatureException`, `UnrecognizedClientException` or `IncompleteSignatureException`.
   */
  readonly errorType?: string;
}

interface ErrorSpec {
  readonly status: number;
  readonly body: Buffer;
  readonly contentType: string;
  /** `x-amzn-ErrorType` (REST), or null. */
  readonly errorType: string | null;
  /** Whether the request-id headers are sent (false only for the front-end 10 MB rejection). */
  readonly ids: boolean;
  /** Renders the body for a custom message. */
  readonly render?: (message: string) => string;
}

const JSON_CT = 'application/json';

function rest(
  status: number,
  body: string,
  errorType: string | null,
  render?: (message: string) => string,
): ErrorSpec {
  return { status, body: Buffer.from(body, 'utf8'), contentType: JSON_CT, errorType, ids: true, render };
}

const INTERNAL_SERVER_ERROR_REST = '{"message": "Internal server error"}';

/** REST API (regional) answers. */
const REST: Readonly<Record<GatewayErrorType, ErrorSpec>> = {
  // [3P re:Post KC api-gateway-403-error-lambda-authorizer; dev.to] capital M; x-amzn-ErrorType [LS]
  ACCESS_DENIED: rest(403, '{"Message":' + JSON.stringify(ACCESS_DENIED_EXPLICIT) + '}', 'AccessDeniedException', (m) =>
    '{"Message":' + JSON.stringify(m) + '}',
  ),
  // Configuration errors (bad endpoint, restricted header mapping, unresolvable stage variable) [S] §4.2
  API_CONFIGURATION_ERROR: rest(500, INTERNAL_SERVER_ERROR_REST, 'InternalServerErrorException'),
  // [3P loige.co, dev.to; LS "message is None by default in AWS"]; spacing as recorded in the reference
  AUTHORIZER_CONFIGURATION_ERROR: rest(500, '{"message": null}', 'AuthorizerConfigurationException'),
  // [?] body as AUTHORIZER_CONFIGURATION_ERROR; x-amzn-ErrorType [LS]
  AUTHORIZER_FAILURE: rest(500, '{"message": null}', 'AuthorizerFailureException'),
  // [S] test_api_gateway_request_validator; x-amzn-ErrorType [LS]
  BAD_REQUEST_BODY: rest(400, '{"message": "Invalid request body"}', 'BadRequestException', (m) =>
    '{"message": ' + JSON.stringify(m) + '}',
  ),
  // [S] same test; the names are listed header → path → querystring
  BAD_REQUEST_PARAMETERS: rest(
    400,
    '{"message": "Missing required request parameters: []"}',
    'BadRequestException',
    (m) => '{"message": ' + JSON.stringify(m) + '}',
  ),
  // [?] the message IAM-signed requests commonly get; x-amzn-ErrorType [LS]
  EXPIRED_TOKEN: rest(403, '{"message":"The security token included in the request is expired"}', 'ExpiredTokenException'),
  // A failed Lambda integration: 502 like LAMBDA_FUNCTION_ERROR [S invoke-api-empty-response], not the 504 of the
  // CRUD table. (AWS answers 500 for the other INTEGRATION_FAILURE case, an AWS_PROXY integration whose
  // integrationHttpMethod is not POST [S §1.6]; SAM always writes POST, so Portico never meets it.)
  INTEGRATION_FAILURE: rest(502, INTERNAL_SERVER_ERROR_REST, 'InternalServerErrorException'),
  // [3P widely reported] body; x-amzn-ErrorType [LS]
  INTEGRATION_TIMEOUT: rest(504, '{"message": "Endpoint request timed out"}', 'InternalServerErrorException'),
  // [S status] TestUsagePlans; body [3P ministack#1746]; x-amzn-ErrorType [LS]
  INVALID_API_KEY: rest(403, '{"message":"Forbidden"}', 'ForbiddenException'),
  // [?] wording of SigV4 signature mismatches; x-amzn-ErrorType [LS]
  INVALID_SIGNATURE: rest(
    403,
    '{"message":"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}',
    'InvalidSignatureException',
    // AWS_IAM: the signature's own failure (expired, unknown key …), with its x-amzn-ErrorType (iam.ts)
    (m) => '{"message":' + JSON.stringify(m) + '}',
  ),
  // [S] test_routing_not_found (unknown path, or known path with an undefined method)
  MISSING_AUTHENTICATION_TOKEN: rest(
    403,
    '{"message":"Missing Authentication Token"}',
    'MissingAuthenticationTokenException',
  ),
  // [3P ministack#1746; re:Post] body; x-amzn-ErrorType [LS]
  QUOTA_EXCEEDED: rest(429, '{"message":"Limit Exceeded"}', 'LimitExceededException'),
  // [3P capture, koki-develop/lgtm-generator#10 (2021, edge API)]: the front end rejects a body over 10 MB with this
  // text, `content-type: text; charset=utf-8`, no x-amzn-RequestId / x-amzn-ErrorType. The reference's
  // `{"message":"Request Too Long"}` is what the same capture shows for the Lambda 6 MB limit (LAMBDA_REQUEST_TOO_LARGE).
  REQUEST_TOO_LARGE: {
    status: 413,
    body: Buffer.from('HTTP content length exceeded 10485760 bytes.', 'utf8'),
    contentType: 'text; charset=utf-8',
    errorType: null,
    ids: false,
  },
  // [?] not reachable through routing (unknown paths answer MISSING_AUTHENTICATION_TOKEN); x-amzn-ErrorType [LS]
  RESOURCE_NOT_FOUND: rest(404, '{"message":"Not Found"}', 'ResourceNotFoundException'),
  // [3P ministack#1746; re:Post KC api-gateway-429-limit]; x-amzn-ErrorType [LS]
  THROTTLED: rest(429, '{"message":"Too Many Requests"}', 'TooManyRequestsException'),
  // [D apigateway-use-lambda-authorizer.md; 3P]
  // The message varies for Cognito authorizers: `The incoming token has expired` [3P widely reported]
  UNAUTHORIZED: rest(401, '{"message":"Unauthorized"}', 'UnauthorizedException', (m) => '{"message":' + JSON.stringify(m) + '}'),
  // [3P ministack#1746] body as recorded there (not JSON); x-amzn-ErrorType [LS]
  UNSUPPORTED_MEDIA_TYPE: rest(415, 'Unsupported Media Type', 'BadRequestException'),
  // [?] x-amzn-ErrorType [LS]
  WAF_FILTERED: rest(403, '{"message":"Forbidden"}', 'WafFilteredException'),
  // [S] test_aws_proxy_response_payload_format_validation (invoke-api-empty-response); x-amzn-ErrorType [LS]
  LAMBDA_FUNCTION_ERROR: rest(502, INTERNAL_SERVER_ERROR_REST, 'InternalServerErrorException'),
  // [S] same test (wrong-format, just-string, invalid-status-code, multi-headers-invalid)
  MALFORMED_LAMBDA_RESPONSE: rest(502, INTERNAL_SERVER_ERROR_REST, 'InternalServerErrorException'),
  // [3P capture, koki-develop/lgtm-generator#10]: 413, application/json, x-amzn-errortype BadRequestException
  LAMBDA_REQUEST_TOO_LARGE: rest(413, '{"message": "Request Too Long"}', 'BadRequestException'),
};

function http(status: number, body: string): ErrorSpec {
  return { status, body: Buffer.from(body, 'utf8'), contentType: JSON_CT, errorType: null, ids: true };
}

const HTTP_NOT_FOUND = http(404, '{"message":"Not Found"}'); // [3P captured probes]
const HTTP_INTERNAL = http(500, '{"message":"Internal Server Error"}'); // [D http-api-troubleshooting-lambda.md]
const HTTP_FORBIDDEN = http(403, '{"message":"Forbidden"}'); // [3P widely reported]
const HTTP_TOO_MANY = http(429, '{"message":"Too Many Requests"}'); // [?]
const HTTP_TOO_LARGE = http(413, '{"message":"Request Entity Too Large"}'); // [?]
const HTTP_BAD_REQUEST = http(400, '{"message":"Bad Request"}'); // [?]

/** HTTP API answers: `{"message":…}` without a space, no x-amzn-ErrorType, `apigw-requestid`. */
const HTTP: Readonly<Record<GatewayErrorType, ErrorSpec>> = {
  ACCESS_DENIED: HTTP_FORBIDDEN,
  API_CONFIGURATION_ERROR: HTTP_INTERNAL,
  AUTHORIZER_CONFIGURATION_ERROR: HTTP_INTERNAL, // [D http-api-lambda-authorizer.md: invalid authorizer output → 500]
  AUTHORIZER_FAILURE: HTTP_INTERNAL,
  BAD_REQUEST_BODY: HTTP_BAD_REQUEST,
  BAD_REQUEST_PARAMETERS: HTTP_BAD_REQUEST,
  EXPIRED_TOKEN: HTTP_FORBIDDEN,
  INTEGRATION_FAILURE: HTTP_INTERNAL,
  INTEGRATION_TIMEOUT: http(503, '{"message":"Service Unavailable"}'), // [3P serverless#11222, sst#2232]
  INVALID_API_KEY: HTTP_FORBIDDEN,
  // [?] AWS_IAM routes: the signature's failure as REST words it, without x-amzn-ErrorType (unverified on HTTP APIs)
  INVALID_SIGNATURE: { ...HTTP_FORBIDDEN, render: (m) => '{"message":' + JSON.stringify(m) + '}' },
  MISSING_AUTHENTICATION_TOKEN: HTTP_NOT_FOUND, // HTTP APIs answer an unknown route with 404
  QUOTA_EXCEEDED: HTTP_TOO_MANY,
  REQUEST_TOO_LARGE: HTTP_TOO_LARGE,
  RESOURCE_NOT_FOUND: HTTP_NOT_FOUND,
  THROTTLED: HTTP_TOO_MANY,
  UNAUTHORIZED: http(401, '{"message":"Unauthorized"}'), // [D http-api-lambda-authorizer.md]
  UNSUPPORTED_MEDIA_TYPE: http(415, '{"message":"Unsupported Media Type"}'), // [?]
  WAF_FILTERED: HTTP_FORBIDDEN,
  LAMBDA_FUNCTION_ERROR: HTTP_INTERNAL, // [D] function error, invalid output, missing permission → 500
  MALFORMED_LAMBDA_RESPONSE: HTTP_INTERNAL,
  LAMBDA_REQUEST_TOO_LARGE: HTTP_TOO_LARGE,
};

/**
 * Headers API Gateway adds to a response (the server calls this for Lambda responses; `gatewayError` includes them).
 * REST (regional, [S] header-remapping snapshots): `x-amzn-RequestId` (UUID), `x-amz-apigw-id` (extended request id)
 * and, for Lambda (AWS_PROXY) integrations only, `X-Amzn-Trace-Id` — pass the request's trace value
 * (`RequestIds.traceId`) as `traceId` to get it (`responseTraceId` adds Parent/Sampled). HTTP API: `apigw-requestid`.
 * `Date`, `Content-Length` and `Connection` are written by the server.
 */
export function gatewayHeaders(kind: 'REST' | 'HTTP', ids: RequestIds, traceId?: string): string[] {
  if (kind === 'HTTP') return ['apigw-requestid', ids.requestId];
  const out = ['x-amzn-RequestId', ids.requestId, 'x-amz-apigw-id', ids.extendedRequestId];
  if (traceId !== undefined) out.push('X-Amzn-Trace-Id', responseTraceId(traceId));
  return out;
}

/**
 * The response API Gateway sends for `type` when the API has no custom gateway response: exact status, body,
 * Content-Type, `x-amzn-ErrorType` (REST) and the request-id headers.
 */
export function gatewayError(
  type: GatewayErrorType,
  apiKind: 'REST' | 'HTTP',
  ids: RequestIds,
  opts?: GatewayErrorOptions,
): GatewayResponse {
  const spec = (apiKind === 'REST' ? REST : HTTP)[type];
  const headers = ['Content-Type', spec.contentType];
  if (spec.errorType !== null) headers.push('x-amzn-ErrorType', opts?.errorType ?? spec.errorType);
  if (opts?.headers !== undefined) headers.push(...opts.headers);
  if (spec.ids) headers.push(...gatewayHeaders(apiKind, ids));
  const body =
    opts?.message !== undefined && spec.render !== undefined ? Buffer.from(spec.render(opts.message), 'utf8') : spec.body;
  return { statusCode: spec.status, headers, body };
}
