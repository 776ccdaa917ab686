/**
 * The REST and HTTP API Lambda authorizers against a fake function invoker: what reaches `ctx.authorizer`
 * (principalId, context, usageIdentifierKey for the api-key phase), caching by identity values with the TTL, the
 * 500s of malformed answers, and how each event format renders the result.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiSpec, AuthorizerSpec, FunctionSpec, RouteSpec } from '../../../src/app/model.js';
import type { FunctionInvocation } from '../../../src/functions/function-service.js';
import { httpV1AuthorizerJson, httpV2AuthorizerJson, restAuthorizerJson } from '../../../src/gateway/events/authorizer.js';
import type { PolicyContext } from '../../../src/gateway/phases.js';
import { httpLambdaAuthorizer } from '../../../src/gateway/policies/authorizers/http-lambda.js';
import { JwksCache } from '../../../src/gateway/policies/authorizers/jwks.js';
import { InMemoryAuthorizerResultCache } from '../../../src/gateway/policies/authorizers/result-cache.js';
import { restLambdaAuthorizer } from '../../../src/gateway/policies/authorizers/rest-lambda.js';
import type { AuthorizerTarget } from '../../../src/gateway/policies/authorizers/target.js';

const FN = { logicalId: 'Auth', name: 'auth', timeout: 3 } as FunctionSpec;

/** An invoker answering with `answer(event)` and counting its calls. */
function invoker(answer: (event: Record<string, unknown>) => unknown, kind: 'response' | 'error' = 'response') {
  const calls: Record<string, unknown>[] = [];
  return {
    calls,
    async invoke(_fn: FunctionSpec, payload: string): Promise<FunctionInvocation> {
      const event = JSON.parse(payload) as Record<string, unknown>;
      calls.push(event);
      return { requestId: 'r', kind, payload: JSON.stringify(answer(event)), durationMs: 1, log: '', functionName: 'auth', executedVersion: '$LATEST' };
    },
  };
}

function target<S extends AuthorizerSpec>(spec: S, kind: 'REST' | 'HTTP', fake: ReturnType<typeof invoker>): AuthorizerTarget<S> {
  const route: RouteSpec = { method: 'GET', path: '/items/{id}', functionLogicalId: 'Fn', payloadFormatVersion: kind === 'REST' ? '1.0' : '2.0', timeoutInMillis: 29000, eventId: 'E' };
  const api = { logicalId: 'Api', kind, apiId: 'abc123', stageName: kind === 'REST' ? 'Prod' : '$default', stageVariables: {}, binaryMediaTypes: [], routes: [route] } as ApiSpec;
  return {
    api,
    route,
    spec,
    scopes: [],
    services: { invoker: fake, cache: new InMemoryAuthorizerResultCache(), jwks: new JwksCache(), cognitoJwksUrl: undefined },
    env: { deploymentId: 'd1', region: 'us-east-1', accountId: '123456789012', functions: new Map([['Auth', FN]]) },
  };
}

const ctx = (token: string | undefined, path = '/items/1'): PolicyContext => ({ method: 'GET', path, rawHeaders: token === undefined ? [] : ['Authorization', token] });
const TOKEN: AuthorizerSpec = { kind: 'REST_LAMBDA', name: 'T', type: 'TOKEN', functionLogicalId: 'Auth', identitySources: [{ from: 'header', name: 'Authorization' }], validationExpression: undefined, ttlSeconds: 300 };
const allowAll = { principalId: 'p', policyDocument: { Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] } };

test('REST TOKEN: the event, then principalId, context and usageIdentifierKey on ctx.authorizer', async () => {
  const fake = invoker(() => ({ ...allowAll, context: { a: 1 }, usageIdentifierKey: 'k'.repeat(20) }));
  const authorizer = restLambdaAuthorizer(target(TOKEN as Extract<AuthorizerSpec, { kind: 'REST_LAMBDA' }>, 'REST', fake));
  const request = ctx('tok');
  assert.equal(await authorizer.authorize(request), undefined);
  assert.deepEqual(fake.calls[0], { type: 'TOKEN', methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/Prod/GET/items/1', authorizationToken: 'tok' });
  assert.equal(request.authorizer?.principalId, 'p');
  assert.deepEqual(request.authorizer?.context, { a: 1 });
  assert.equal(request.authorizer?.usageIdentifierKey, 'k'.repeat(20));
});

test('REST: cached per token for the TTL (0 disables); other tokens invoke again', async () => {
  const fake = invoker(() => allowAll);
  const cached = restLambdaAuthorizer(target(TOKEN as Extract<AuthorizerSpec, { kind: 'REST_LAMBDA' }>, 'REST', fake));
  await cached.authorize(ctx('a'));
  const hit = ctx('a', '/items/2');
  await cached.authorize(hit);
  assert.equal(hit.authorizer?.integrationLatency, 0);
  await cached.authorize(ctx('b'));
  assert.equal(fake.calls.length, 2);
  const uncachedFake = invoker(() => allowAll);
  const uncached = restLambdaAuthorizer(target({ ...TOKEN, ttlSeconds: 0 } as Extract<AuthorizerSpec, { kind: 'REST_LAMBDA' }>, 'REST', uncachedFake));
  await uncached.authorize(ctx('a'));
  await uncached.authorize(ctx('a'));
  assert.equal(uncachedFake.calls.length, 2);
});

test('REST: malformed answers are AUTHORIZER_CONFIGURATION_ERROR; function errors other than Unauthorized too', async () => {
  const answers: unknown[] = [null, [], 'Allow', { principalId: 'p' }, { ...allowAll, principalId: { id: 1 } }, { ...allowAll, context: { x: [1] } }, { ...allowAll, usageIdentifierKey: 5 }];
  for (const answer of answers) {
    const authorizer = restLambdaAuthorizer(target(TOKEN as Extract<AuthorizerSpec, { kind: 'REST_LAMBDA' }>, 'REST', invoker(() => answer)));
    assert.deepEqual(await authorizer.authorize(ctx('t')), { error: 'AUTHORIZER_CONFIGURATION_ERROR' }, JSON.stringify(answer));
  }
  const unauthorized = restLambdaAuthorizer(target(TOKEN as Extract<AuthorizerSpec, { kind: 'REST_LAMBDA' }>, 'REST', invoker(() => ({ errorMessage: 'Unauthorized' }), 'error')));
  assert.deepEqual(await unauthorized.authorize(ctx('t')), { error: 'UNAUTHORIZED' });
  const failed = restLambdaAuthorizer(target(TOKEN as Extract<AuthorizerSpec, { kind: 'REST_LAMBDA' }>, 'REST', invoker(() => ({ errorMessage: 'Unauthorized!' }), 'error')));
  assert.deepEqual(await failed.authorize(ctx('t')), { error: 'AUTHORIZER_CONFIGURATION_ERROR' });
});

/** A routed request, as the server hands it to the authorize phase. */
function routed(token: string): PolicyContext {
  const rawHeaders = ['Authorization', token, 'Host', 'abc123.execute-api.localhost'];
  return {
    method: 'GET',
    path: '/items/1',
    rawHeaders,
    request: { method: 'GET', rawPath: '/items/1', pathParameters: { id: '1' }, rawQueryString: '', rawHeaders, body: Buffer.alloc(0), sourceIp: '127.0.0.1', requestTimeEpoch: 0, protocol: 'HTTP/1.1', host: 'abc123.execute-api.localhost' },
    ids: { requestId: 'r', extendedRequestId: 'e', accountId: '123456789012', deploymentId: 'd', domainName: 'abc123.execute-api.localhost', domainPrefix: 'abc123' },
    route: { apiId: 'abc123', stage: '$default', stageVariables: null, resource: '/items/{id}', routeKey: 'GET /items/{id}', resourceId: 'x', binaryMediaTypes: [] },
  };
}

test('HTTP API simple responses: the 2.0 event; the context as returned reaches authorizer.lambda; cached by identity', async () => {
  const spec = { kind: 'HTTP_LAMBDA', name: 'L', functionLogicalId: 'Auth', payloadFormatVersion: '2.0', enableSimpleResponses: true, identitySources: [{ from: 'header', name: 'Authorization' }], ttlSeconds: 60 } as const;
  const fake = invoker((event) => ({ isAuthorized: event.identitySource !== undefined, context: { deep: { a: 1 }, n: 2 } }));
  const authorizer = httpLambdaAuthorizer(target(spec, 'HTTP', fake));
  const request = routed('t');
  assert.equal(await authorizer.authorize(request), undefined);
  assert.deepEqual(request.authorizer?.lambda, { deep: { a: 1 }, n: 2 });
  assert.deepEqual(request.authorizer?.context, { n: 2 });
  const event = fake.calls[0]!;
  assert.deepEqual([event.version, event.type, event.routeArn, event.identitySource, event.routeKey], ['2.0', 'REQUEST', 'arn:aws:execute-api:us-east-1:123456789012:abc123/$default/GET/items/1', ['t'], 'GET /items/{id}']);
  assert.equal(event.body, undefined);
  await authorizer.authorize(routed('t'));
  assert.equal(fake.calls.length, 1);
  assert.deepEqual(await authorizer.authorize(ctx(undefined)), { error: 'UNAUTHORIZED' });
});

test('HTTP API: a simple answer without a boolean isAuthorized, or an IAM answer without a policy, is a 500', async () => {
  const simple = { kind: 'HTTP_LAMBDA', name: 'L', functionLogicalId: 'Auth', payloadFormatVersion: '2.0', enableSimpleResponses: true, identitySources: [{ from: 'header', name: 'Authorization' }], ttlSeconds: 0 } as const;
  assert.deepEqual(await httpLambdaAuthorizer(target(simple, 'HTTP', invoker(() => ({ isAuthorized: 'true' })))).authorize(routed('t')), { error: 'AUTHORIZER_CONFIGURATION_ERROR' });
  const iam = { ...simple, payloadFormatVersion: '1.0', enableSimpleResponses: false } as const;
  assert.deepEqual(await httpLambdaAuthorizer(target(iam, 'HTTP', invoker(() => ({ isAuthorized: true })))).authorize(routed('t')), { error: 'AUTHORIZER_CONFIGURATION_ERROR' });
  assert.deepEqual(await httpLambdaAuthorizer(target(iam, 'HTTP', invoker(() => allowAll))).authorize(routed('t')), undefined);
});

test('event renderings: REST flat and stringified, Cognito claims with Java dates, HTTP API 1.0 and 2.0', () => {
  const lambda = { kind: 'lambda', principalId: 'p', context: { s: 'x', n: 1, b: false, z: null }, integrationLatency: 5, lambda: { deep: { a: 1 } } } as const;
  assert.equal(restAuthorizerJson(lambda), '{"s":"x","n":"1","b":"false","z":null,"principalId":"p","integrationLatency":5}');
  assert.equal(httpV2AuthorizerJson(lambda), '{"lambda":{"deep":{"a":1}}}');
  const cognito = { kind: 'cognito', principalId: 's', context: {}, integrationLatency: 0, claims: { sub: 's', exp: 1588348078, email_verified: true } } as const;
  assert.equal(restAuthorizerJson(cognito), '{"claims":{"sub":"s","exp":"Fri May 01 15:47:58 UTC 2020","email_verified":"true"}}');
  const jwt = { kind: 'jwt', principalId: 's', context: {}, integrationLatency: 0, claims: { sub: 's', exp: 10, groups: ['a', 'b'] }, scopes: null } as const;
  assert.equal(httpV2AuthorizerJson(jwt), '{"jwt":{"claims":{"sub":"s","exp":"10","groups":"[a b]"},"scopes":null}}');
  assert.equal(httpV1AuthorizerJson({ ...jwt, scopes: ['r'] }), '{"claims":{"sub":"s","exp":"10","groups":"[a b]"},"scopes":["r"]}');
});
