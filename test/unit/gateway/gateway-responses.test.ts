import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ACCESS_DENIED_IMPLICIT,
  DEFAULT_GATEWAY_RESPONSE_TEMPLATE,
  GATEWAY_RESPONSE_DEFAULT_STATUS,
  gatewayError,
  gatewayHeaders,
  type GatewayErrorType,
} from '../../../src/gateway/responses/gateway-responses.js';
import { ids, pairs } from './fixtures.js';

const IDS = ids();

test('§4.1 gateway response table: every type and its default status', () => {
  assert.deepEqual(GATEWAY_RESPONSE_DEFAULT_STATUS, {
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
  assert.equal(DEFAULT_GATEWAY_RESPONSE_TEMPLATE, '{"message":$context.error.messageString}');
});

function restCase(type: GatewayErrorType, status: number, body: string, errorType: string): void {
  test(`REST ${type} → ${status} ${body} (${errorType})`, () => {
    const r = gatewayError(type, 'REST', IDS);
    assert.equal(r.statusCode, status);
    assert.equal(r.body.toString('utf8'), body);
    assert.deepEqual(pairs(r.headers), [
      ['Content-Type', 'application/json'],
      ['x-amzn-ErrorType', errorType],
      ['x-amzn-RequestId', 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef'],
      ['x-amz-apigw-id', 'D4VJDGZOoAMFRmQ='],
    ]);
  });
}

// §4.2, byte-exact (note the space after the colon in the integration errors only)
restCase('MISSING_AUTHENTICATION_TOKEN', 403, '{"message":"Missing Authentication Token"}', 'MissingAuthenticationTokenException');
restCase('LAMBDA_FUNCTION_ERROR', 502, '{"message": "Internal server error"}', 'InternalServerErrorException');
restCase('MALFORMED_LAMBDA_RESPONSE', 502, '{"message": "Internal server error"}', 'InternalServerErrorException');
restCase('INTEGRATION_FAILURE', 502, '{"message": "Internal server error"}', 'InternalServerErrorException');
restCase('API_CONFIGURATION_ERROR', 500, '{"message": "Internal server error"}', 'InternalServerErrorException');
restCase('INTEGRATION_TIMEOUT', 504, '{"message": "Endpoint request timed out"}', 'InternalServerErrorException');
restCase('INVALID_API_KEY', 403, '{"message":"Forbidden"}', 'ForbiddenException');
restCase('THROTTLED', 429, '{"message":"Too Many Requests"}', 'TooManyRequestsException');
restCase('QUOTA_EXCEEDED', 429, '{"message":"Limit Exceeded"}', 'LimitExceededException');
restCase('UNAUTHORIZED', 401, '{"message":"Unauthorized"}', 'UnauthorizedException');
restCase('AUTHORIZER_CONFIGURATION_ERROR', 500, '{"message": null}', 'AuthorizerConfigurationException');
restCase(
  'ACCESS_DENIED',
  403,
  '{"Message":"User is not authorized to access this resource with an explicit deny in an identity-based policy"}',
  'AccessDeniedException',
);
restCase('BAD_REQUEST_BODY', 400, '{"message": "Invalid request body"}', 'BadRequestException');
restCase('LAMBDA_REQUEST_TOO_LARGE', 413, '{"message": "Request Too Long"}', 'BadRequestException');

test('REST 500 body is 36 bytes, as the recorded Content-Length', () => {
  assert.equal(gatewayError('API_CONFIGURATION_ERROR', 'REST', IDS).body.length, 36);
  assert.equal(gatewayError('LAMBDA_REQUEST_TOO_LARGE', 'REST', IDS).body.length, 31);
});

test('REST REQUEST_TOO_LARGE: the front-end text answer, no request ids', () => {
  const r = gatewayError('REQUEST_TOO_LARGE', 'REST', IDS);
  assert.equal(r.statusCode, 413);
  assert.equal(r.body.toString(), 'HTTP content length exceeded 10485760 bytes.');
  assert.equal(r.body.length, 44);
  assert.deepEqual(pairs(r.headers), [['Content-Type', 'text; charset=utf-8']]);
});

test('REST messages that vary: implicit deny, missing request parameters', () => {
  const deny = gatewayError('ACCESS_DENIED', 'REST', IDS, { message: ACCESS_DENIED_IMPLICIT });
  assert.equal(deny.body.toString(), '{"Message":"User is not authorized to access this resource"}');
  const params = gatewayError('BAD_REQUEST_PARAMETERS', 'REST', IDS, {
    message: 'Missing required request parameters: [x-header-param, issuer, qs1]',
  });
  assert.equal(params.statusCode, 400);
  assert.equal(params.body.toString(), '{"message": "Missing required request parameters: [x-header-param, issuer, qs1]"}');
  // a message on a type with a fixed body changes nothing
  assert.equal(gatewayError('THROTTLED', 'REST', IDS, { message: 'x' }).body.toString(), '{"message":"Too Many Requests"}');
});

function httpCase(type: GatewayErrorType, status: number, body: string): void {
  test(`HTTP API ${type} → ${status} ${body}`, () => {
    const r = gatewayError(type, 'HTTP', IDS);
    assert.equal(r.statusCode, status);
    assert.equal(r.body.toString('utf8'), body);
    assert.deepEqual(pairs(r.headers), [
      ['Content-Type', 'application/json'],
      ['apigw-requestid', 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef'],
    ]);
  });
}

httpCase('RESOURCE_NOT_FOUND', 404, '{"message":"Not Found"}');
httpCase('MISSING_AUTHENTICATION_TOKEN', 404, '{"message":"Not Found"}');
httpCase('LAMBDA_FUNCTION_ERROR', 500, '{"message":"Internal Server Error"}');
httpCase('MALFORMED_LAMBDA_RESPONSE', 500, '{"message":"Internal Server Error"}');
httpCase('INTEGRATION_FAILURE', 500, '{"message":"Internal Server Error"}');
httpCase('INTEGRATION_TIMEOUT', 503, '{"message":"Service Unavailable"}');
httpCase('UNAUTHORIZED', 401, '{"message":"Unauthorized"}');
httpCase('ACCESS_DENIED', 403, '{"message":"Forbidden"}');
httpCase('REQUEST_TOO_LARGE', 413, '{"message":"Request Entity Too Large"}');
httpCase('THROTTLED', 429, '{"message":"Too Many Requests"}');

test('gatewayHeaders: REST ids (+ trace for Lambda integrations), HTTP apigw-requestid', () => {
  assert.deepEqual(gatewayHeaders('REST', IDS), ['x-amzn-RequestId', IDS.requestId, 'x-amz-apigw-id', IDS.extendedRequestId]);
  const full = 'Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1';
  assert.deepEqual(gatewayHeaders('REST', IDS, full), [
    'x-amzn-RequestId',
    IDS.requestId,
    'x-amz-apigw-id',
    IDS.extendedRequestId,
    'X-Amzn-Trace-Id',
    full,
  ]);
  const withRoot = gatewayHeaders('REST', IDS, 'Root=1-5e5ff3c5-0123456789abcdef01234567');
  assert.match(withRoot[5]!, /^Root=1-5e5ff3c5-0123456789abcdef01234567;Parent=[0-9a-f]{16};Sampled=0$/);
  assert.deepEqual(gatewayHeaders('HTTP', IDS, full), ['apigw-requestid', IDS.requestId]);
});
