/** Shared request/route/ids fixtures for the gateway payload tests. */
import type { GatewayRequest, MatchedRoute, RequestIds } from '../../../src/gateway/events/request.js';

/** 04/Mar/2020:19:15:17 +0000, the time of the AWS docs example. */
export const EPOCH = 1583349317135;

export function request(overrides: Partial<GatewayRequest> = {}): GatewayRequest {
  return {
    method: 'GET',
    rawPath: '/stage/proxy-value',
    pathParameters: { proxy: 'proxy-value' },
    rawQueryString: '',
    rawHeaders: ['Host', 'abc123.execute-api.localhost:3000', 'User-Agent', 'python-requests/testing', 'Accept', '*/*'],
    body: Buffer.alloc(0),
    sourceIp: '203.0.113.9',
    requestTimeEpoch: EPOCH,
    protocol: 'HTTP/1.1',
    host: 'abc123.execute-api.localhost:3000',
    ...overrides,
  };
}

export function route(overrides: Partial<MatchedRoute> = {}): MatchedRoute {
  return {
    apiId: 'abc123',
    stage: 'stage',
    stageVariables: null,
    resource: '/{proxy+}',
    routeKey: 'ANY /{proxy+}',
    resourceId: 'r3s0ur',
    binaryMediaTypes: [],
    ...overrides,
  };
}

export function ids(overrides: Partial<RequestIds> = {}): RequestIds {
  return {
    requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    extendedRequestId: 'D4VJDGZOoAMFRmQ=',
    accountId: '123456789012',
    deploymentId: 'dep123',
    domainName: 'abc123.execute-api.localhost',
    domainPrefix: 'abc123',
    traceId: 'Root=1-5e5ff3c5-0123456789abcdef01234567',
    ...overrides,
  };
}

/** Parses an event string, failing the test with the text when it is not JSON. */
export function parse(json: string): Record<string, unknown> {
  return JSON.parse(json) as Record<string, unknown>;
}

/** Header pairs [name, value, …] → list of [name, value] tuples. */
export function pairs(headers: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < headers.length; i += 2) out.push([headers[i]!, headers[i + 1]!]);
  return out;
}
