/**
 * Custom gateway responses: which one applies (the type's own, else DEFAULT_4XX/5XX by status, else the built-in
 * answer), header mappings, and the template substitutions (`$context.*`, `$stageVariables.*`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GatewayResponseSpec } from '../../../src/app/model.js';
import type { RequestIds } from '../../../src/gateway/events/request.js';
import { compileCustomResponses, customise, renderTemplate, type ErrorRequest } from '../../../src/gateway/responses/custom-responses.js';
import { gatewayError } from '../../../src/gateway/responses/gateway-responses.js';

const ids: RequestIds = { requestId: 'req-1', extendedRequestId: 'ext-1', accountId: '123456789012', deploymentId: 'd', domainName: 'abc.execute-api.localhost', domainPrefix: 'abc' };
const request: ErrorRequest = {
  method: 'GET',
  path: '/Prod/x',
  rawHeaders: ['Origin', 'https://o.example', 'User-Agent', 'ua'],
  rawQueryString: 'q=1&q=2',
  pathParameters: null,
  sourceIp: '127.0.0.1',
  requestTimeEpoch: 0,
  protocol: 'HTTP/1.1',
  apiId: 'abc',
  stage: 'Prod',
  stageVariables: { color: 'blue' },
  resourcePath: undefined,
};
const spec = (fields: Partial<GatewayResponseSpec>): GatewayResponseSpec => ({ statusCode: undefined, headers: {}, templates: {}, ...fields });
const header = (headers: readonly string[], name: string): string | undefined => {
  const i = headers.findIndex((h, n) => n % 2 === 0 && h.toLowerCase() === name.toLowerCase());
  return i === -1 ? undefined : headers[i + 1];
};

test('the type\'s own response wins over its family; the family applies to types without one; 5xx are apart', () => {
  const responses = compileCustomResponses({
    THROTTLED: spec({ statusCode: 503 }),
    DEFAULT_4XX: spec({ headers: { 'X-Family': "'4xx'" } }),
  })!;
  const throttled = customise(gatewayError('THROTTLED', 'REST', ids), 'THROTTLED', responses, ids, request);
  assert.equal(throttled.statusCode, 503);
  assert.equal(header(throttled.headers, 'X-Family'), undefined);
  const missing = customise(gatewayError('MISSING_AUTHENTICATION_TOKEN', 'REST', ids), 'MISSING_AUTHENTICATION_TOKEN', responses, ids, request);
  assert.equal(missing.statusCode, 403);
  assert.equal(header(missing.headers, 'X-Family'), '4xx');
  assert.equal(missing.body.toString(), '{"message":"Missing Authentication Token"}', 'no template: the built-in body');
  const failed = gatewayError('LAMBDA_FUNCTION_ERROR', 'REST', ids);
  assert.equal(customise(failed, 'LAMBDA_FUNCTION_ERROR', responses, ids, request), failed);
});

test('header values: literals, request headers and query strings, stage variables; a missing source adds nothing', () => {
  const responses = compileCustomResponses({
    DEFAULT_4XX: spec({
      headers: {
        'Content-Type': "'text/plain'",
        'X-Origin': 'method.request.header.Origin',
        'X-Q': 'method.request.querystring.q',
        'X-Color': 'stageVariables.color',
        'X-None': 'method.request.header.Absent',
      },
    }),
  })!;
  const out = customise(gatewayError('THROTTLED', 'REST', ids), 'THROTTLED', responses, ids, request);
  assert.equal(header(out.headers, 'content-type'), 'text/plain', 'replaces the built-in header');
  assert.equal(out.headers.filter((h) => h.toLowerCase() === 'content-type').length, 1);
  assert.equal(header(out.headers, 'X-Origin'), 'https://o.example');
  assert.equal(header(out.headers, 'X-Q'), '2');
  assert.equal(header(out.headers, 'X-Color'), 'blue');
  assert.equal(header(out.headers, 'X-None'), undefined);
});

test('templates substitute $context and $stageVariables (braced and quiet forms too); unknown variables render empty', () => {
  const context = new Map([['error.messageString', '"Too \\"Many\\""'], ['requestId', 'r1'], ['error.responseType', 'THROTTLED']]);
  assert.equal(
    renderTemplate('{"m":$context.error.messageString,"id":"${context.requestId}","t":"$!context.error.responseType","c":"$stageVariables.color","u":"$context.nope"}.', context, { color: 'red' }),
    '{"m":"Too \\"Many\\"","id":"r1","t":"THROTTLED","c":"red","u":""}.',
  );
  const responses = compileCustomResponses({ DEFAULT_4XX: spec({ templates: { 'application/json': '{"msg":$context.error.messageString,"raw":"$context.error.message","stage":"$context.stage"}' } }) })!;
  const out = customise(gatewayError('THROTTLED', 'REST', ids), 'THROTTLED', responses, ids, request);
  assert.equal(out.body.toString(), '{"msg":"Too Many Requests","raw":"Too Many Requests","stage":"Prod"}');
});
