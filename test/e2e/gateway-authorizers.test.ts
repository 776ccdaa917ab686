/**
 * Authorizers through the real `portico up` (fixture gw-auth): real authorizer functions, and real JWTs signed by an
 * RSA key this test generates and serves as JWKS (with an OpenID discovery document) from a local HTTP server. The
 * authorizer functions append each invocation to a file, so "not invoked" and "cached" are counted, not assumed.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, createHmac, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startPortico, type RunningPortico } from '../helpers/portico.js';
import { apiId, fixture, json, send, type Reply } from './gateway-helpers.js';

const countFile = join(mkdtempSync(join(tmpdir(), 'portico-auth-')), 'invocations.log');
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KID = 'test-key-1';
let idp: Server;
let issuer: string;
let jwksHits = 0;
let portico: RunningPortico;
let gw: string;
let restApiId: string;

before(async () => {
  writeFileSync(countFile, '');
  idp = createServer((req, res) => {
    const base = issuer;
    if (req.url === '/.well-known/openid-configuration') return void res.end(JSON.stringify({ issuer: base, jwks_uri: `${base}/keys` }));
    if (req.url === '/keys' || req.url === '/us-east-1_TEST/.well-known/jwks.json') {
      jwksHits++;
      return void res.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }] }));
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((done) => idp.listen(0, '127.0.0.1', done));
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  portico = await startPortico(fixture('gw-auth'), [
    '--parameter-overrides', `CountFile=${countFile}`, `Issuer=${issuer}`,
    '--cognito-jwks-url', `${issuer}/{userPoolId}/.well-known/jwks.json`,
  ]);
  gw = portico.gateway;
  restApiId = apiId(portico.output(), 'AuthRestApi');
});

after(async () => {
  await portico?.stop();
  idp?.close();
});

/** Invocations recorded by the authorizer functions for a `<kind> <token>` line. */
function invocations(line: string): number {
  return readFileSync(countFile, 'utf8').split('\n').filter((l) => l === line).length;
}

const get = (path: string, headers: ReadonlyArray<readonly [string, string]> = []): Promise<Reply> => send(gw, path, { headers });
const bearer = (token: string): Array<[string, string]> => [['Authorization', token]];
const requestContext = (reply: Reply): Record<string, unknown> => json(reply).requestContext as Record<string, unknown>;
const authorizerOf = (reply: Reply): Record<string, unknown> => requestContext(reply).authorizer as Record<string, unknown>;

/** An authorizer event the authorizer function handed back (as a JSON string in its context). */
interface EchoedEvent {
  readonly [key: string]: unknown;
  readonly headers: Record<string, string>;
  readonly requestContext: Record<string, unknown>;
}

const now = (): number => Math.floor(Date.now() / 1000);
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT signed with RS256 by `key` (the test's key unless told otherwise). */
function jwt(claims: Record<string, unknown>, header: Record<string, unknown> = {}, key: KeyObject = privateKey): string {
  const head = b64({ alg: 'RS256', typ: 'JWT', kid: KID, ...header });
  const body = b64(claims);
  return `${head}.${body}.${sign('sha256', Buffer.from(`${head}.${body}`), key).toString('base64url')}`;
}

function assertError(reply: Reply, status: number, body: string, errorType?: string): void {
  assert.equal(reply.status, status, reply.text);
  assert.equal(reply.text, body);
  assert.equal(reply.headers['x-amzn-errortype'], errorType);
}

describe('REST TOKEN authorizer (the API default)', () => {
  test('a missing or empty token is 401 Unauthorized without invoking the authorizer', async () => {
    assertError(await get('/Prod/items/1'), 401, '{"message":"Unauthorized"}', 'UnauthorizedException');
    assertError(await get('/Prod/items/1', bearer('')), 401, '{"message":"Unauthorized"}', 'UnauthorizedException');
  });

  test('a token failing ValidationExpression is 401 without invoking', async () => {
    assertError(await get('/Prod/items/1', bearer('Not Valid!')), 401, '{"message":"Unauthorized"}', 'UnauthorizedException');
    assert.equal(invocations('TOKEN Not Valid!'), 0);
  });

  test('Allow: context flattened into requestContext.authorizer with principalId; cached for the next request', async () => {
    const first = await get('/Prod/items/7', bearer('allow-a'));
    assert.equal(first.status, 200, first.text);
    const authorizer = authorizerOf(first);
    assert.equal(authorizer.principalId, 'user-allow-a');
    assert.equal(authorizer.name, 'ada');
    assert.equal(authorizer.count, '42');
    assert.equal(authorizer.admin, 'true');
    assert.equal(authorizer.nothing, null);
    assert.deepEqual(Object.keys(authorizer).slice(-2), ['principalId', 'integrationLatency']);
    assert.equal(typeof authorizer.integrationLatency, 'number');
    assert.equal(authorizer.methodArn, `arn:aws:execute-api:us-east-1:123456789012:${restApiId}/Prod/GET/items/7`);
    const second = await send(gw, '/Prod/other', { method: 'POST', headers: bearer('allow-a') });
    assert.equal(second.status, 200, second.text);
    assert.equal(authorizerOf(second).integrationLatency, 0, 'a cache hit');
    assert.equal(invocations('TOKEN allow-a'), 1);
  });

  test('the cached policy is evaluated against each method ARN: one that names a single resource denies the others', async () => {
    assert.equal((await get('/Prod/items/1', bearer('only-x'))).status, 200);
    const other = await get('/Prod/items/2', bearer('only-x'));
    assertError(other, 403, '{"Message":"User is not authorized to access this resource"}', 'AccessDeniedException');
    assert.equal(invocations('TOKEN only-x'), 1);
  });

  test('an explicit Deny wins over an Allow: 403 with the explicit-deny message', async () => {
    assertError(
      await get('/Prod/items/1', bearer('deny')),
      403,
      '{"Message":"User is not authorized to access this resource with an explicit deny in an identity-based policy"}',
      'AccessDeniedException',
    );
  });

  test('a policy that does not cover the method is an implicit deny', async () => {
    assertError(await get('/Prod/items/1', bearer('elsewhere')), 403, '{"Message":"User is not authorized to access this resource"}', 'AccessDeniedException');
  });

  test("throw new Error('Unauthorized') is 401", async () => {
    assertError(await get('/Prod/items/1', bearer('unauthorized')), 401, '{"message":"Unauthorized"}', 'UnauthorizedException');
  });

  test('errors, malformed output, nested context values and timeouts are 500 AuthorizerConfigurationException', async () => {
    for (const token of ['crash', 'malformed', 'nested', 'slow', 'other']) {
      const reply = await get('/Prod/items/1', bearer(token));
      assertError(reply, 500, '{"message": null}', 'AuthorizerConfigurationException');
    }
  });

  test('SAM puts the default authorizer on its CORS OPTIONS methods: a browser preflight without a token is 401', async () => {
    const preflight: Array<[string, string]> = [['Origin', 'https://app.example'], ['Access-Control-Request-Method', 'GET']];
    const refused = await send(gw, '/Prod/items/1', { method: 'OPTIONS', headers: preflight });
    assertError(refused, 401, '{"message":"Unauthorized"}', 'UnauthorizedException');
    assert.equal(refused.headers['access-control-allow-origin'], undefined);
    const allowed = await send(gw, '/Prod/items/1', { method: 'OPTIONS', headers: [...preflight, ['Authorization', 'allow-cors']] });
    assert.equal(allowed.status, 200, allowed.text);
    assert.equal(allowed.headers['access-control-allow-origin'], '*');
    assert.equal(invocations('TOKEN allow-cors'), 1);
  });

  test('Auth.Authorizer: NONE opts a route out of the default authorizer', async () => {
    const reply = await get('/Prod/open');
    assert.equal(reply.status, 200);
    assert.equal(authorizerOf(reply), undefined);
  });
});

describe('REST REQUEST authorizer', () => {
  test('every identity source is required: 401 without invoking', async () => {
    assertError(await get('/Prod/request/5?team=a'), 401, '{"message":"Unauthorized"}', 'UnauthorizedException');
    assertError(await get('/Prod/request/5', [['X-User', 'bob']]), 401, '{"message":"Unauthorized"}', 'UnauthorizedException');
    assert.equal(invocations('REQUEST request-bob'), 0);
  });

  test('the REQUEST event carries the request; ReauthorizeEvery 0 invokes every time', async () => {
    const reply = await get('/Prod/request/5?team=a', [['X-User', 'carol']]);
    assert.equal(reply.status, 200, reply.text);
    const event = JSON.parse(authorizerOf(reply).event as string) as EchoedEvent;
    assert.equal(event.type, 'REQUEST');
    assert.equal(event.methodArn, `arn:aws:execute-api:us-east-1:123456789012:${restApiId}/Prod/GET/request/5`);
    assert.equal(event.resource, '/request/{id}');
    assert.equal(event.path, '/request/5');
    assert.equal(event.httpMethod, 'GET');
    assert.equal(event.headers['X-User'], 'carol');
    assert.deepEqual(event.queryStringParameters, { team: 'a' });
    assert.deepEqual(event.pathParameters, { id: '5' });
    assert.equal(event.requestContext.apiId, restApiId);
    assert.equal(event.requestContext.stage, 'Prod');
    assert.equal((await get('/Prod/request/5?team=a', [['X-User', 'carol']])).status, 200);
    assert.equal(invocations('REQUEST request-carol'), 2);
  });
});

describe('REST Cognito user-pool authorizer (JWKS URL overridden)', () => {
  const poolIssuer = (): string => `${issuer}/us-east-1_TEST`;
  const idToken = (extra: Record<string, unknown> = {}): string =>
    jwt({ sub: 'user-1', iss: poolIssuer(), token_use: 'id', email: 'ada@example.com', iat: now() - 10, exp: now() + 600, ...extra });

  test('a valid token passes; claims in requestContext.authorizer.claims, exp as a date', async () => {
    const reply = await get('/Prod/cognito', bearer(idToken()));
    assert.equal(reply.status, 200, reply.text);
    const claims = authorizerOf(reply).claims as Record<string, string>;
    assert.equal(claims.sub, 'user-1');
    assert.equal(claims.email, 'ada@example.com');
    assert.match(claims.exp!, /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
  });

  test('an expired token: 401 "The incoming token has expired"', async () => {
    assertError(await get('/Prod/cognito', bearer(idToken({ exp: now() - 5 }))), 401, '{"message":"The incoming token has expired"}', 'UnauthorizedException');
  });

  test('forged tokens are 401: unknown kid, alg none, HS256 keyed with the public key, another key, another issuer', async () => {
    const { privateKey: other } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const claims = { sub: 'x', iss: poolIssuer(), exp: now() + 600 };
    const none = `${b64({ alg: 'none', kid: KID })}.${b64(claims)}.`;
    const hsHead = b64({ alg: 'HS256', kid: KID });
    const pem = publicKey.export({ format: 'pem', type: 'spki' });
    const hs = `${hsHead}.${b64(claims)}.${createHmac('sha256', pem).update(`${hsHead}.${b64(claims)}`).digest('base64url')}`;
    for (const token of [jwt(claims, { kid: 'nope' }), none, hs, jwt(claims, {}, other), jwt({ ...claims, iss: 'https://evil.example' }), 'garbage']) {
      assertError(await get('/Prod/cognito', bearer(token)), 401, '{"message":"Unauthorized"}', 'UnauthorizedException');
    }
  });

  test('AuthorizationScopes: a token without the scope is 401, with it 200', async () => {
    assert.equal((await get('/Prod/cognito-scoped', bearer(idToken()))).status, 401);
    assert.equal((await get('/Prod/cognito-scoped', bearer(idToken({ token_use: 'access', scope: 'openid items/read' })))).status, 200);
  });
});

describe('HTTP API JWT authorizer', () => {
  const token = (extra: Record<string, unknown> = {}): string =>
    jwt({ sub: 'u-9', iss: issuer, aud: 'portico-test', iat: now() - 10, exp: now() + 600, scope: 'items/read', ...extra });

  test('no token: 401 {"message":"Unauthorized"}', async () => {
    assertError(await get('/jwt'), 401, '{"message":"Unauthorized"}');
  });

  test('a valid token, with or without Bearer: claims and scopes in requestContext.authorizer.jwt; keys fetched once', async () => {
    const hitsBefore = jwksHits;
    for (const value of [`Bearer ${token()}`, token()]) {
      const reply = await get('/jwt', bearer(value));
      assert.equal(reply.status, 200, reply.text);
      const { jwt: jwtContext } = authorizerOf(reply) as { jwt: { claims: Record<string, string>; scopes: string[] } };
      assert.equal(jwtContext.claims.sub, 'u-9');
      assert.equal(jwtContext.claims.aud, 'portico-test');
      assert.equal(typeof jwtContext.claims.exp, 'string');
      assert.deepEqual(jwtContext.scopes, ['items/read']);
    }
    assert.ok(jwksHits - hitsBefore <= 1, 'the key set is cached');
  });

  test('client_id stands in for a missing aud', async () => {
    assert.equal((await get('/jwt', bearer(token({ aud: undefined, client_id: 'portico-test' })))).status, 200);
  });

  test('wrong audience, expired, not yet valid, wrong issuer: 401 with a Bearer challenge', async () => {
    const cases: Array<[string, string]> = [
      [token({ aud: 'someone-else' }), 'the token does not have a valid audience'],
      [token({ exp: now() - 1 }), 'the token has expired'],
      [token({ nbf: now() + 600 }), 'the token is not valid yet'],
      [token({ iss: 'https://evil.example' }), 'the token does not have a valid issuer'],
    ];
    for (const [value, description] of cases) {
      const reply = await get('/jwt', bearer(value));
      assertError(reply, 401, '{"message":"Unauthorized"}');
      assert.equal(reply.headers['www-authenticate'], `Bearer scope="" error="invalid_token" error_description="${description}"`);
    }
  });

  test('an issuer whose keys cannot be fetched: 500, and Portico keeps serving', async () => {
    assertError(await get('/jwt-unreachable', bearer(token())), 500, '{"message":"Internal Server Error"}');
    assert.equal((await get('/jwt', bearer(token()))).status, 200);
  });

  test('route AuthorizationScopes: 403 Forbidden without one of them (scope or scp), 200 with', async () => {
    assertError(await get('/jwt-scoped', bearer(token())), 403, '{"message":"Forbidden"}');
    assert.equal((await get('/jwt-scoped', bearer(token({ scope: 'items/write' })))).status, 200);
    assert.equal((await get('/jwt-scoped', bearer(token({ scope: undefined, scp: ['items/write'] })))).status, 200);
  });
});

describe('HTTP API Lambda authorizers', () => {
  test('simple responses (2.0): no identity source is 401 without invoking; context in authorizer.lambda; cached', async () => {
    assertError(await get('/simple'), 401, '{"message":"Unauthorized"}');
    const reply = await get('/simple', bearer('yes-1'));
    assert.equal(reply.status, 200, reply.text);
    const { lambda } = authorizerOf(reply) as { lambda: Record<string, unknown> };
    assert.equal(lambda.user, 'yes-1');
    assert.deepEqual(lambda.nested, { a: 1 });
    assert.deepEqual(lambda.list, [1, 2]);
    const event = JSON.parse(lambda.event as string) as EchoedEvent;
    assert.equal(event.version, '2.0');
    assert.equal(event.type, 'REQUEST');
    assert.equal(event.routeKey, 'GET /simple');
    assert.deepEqual(event.identitySource, ['yes-1']);
    assert.match(String(event.routeArn), /^arn:aws:execute-api:us-east-1:123456789012:[a-z0-9]+\/\$default\/GET\/simple$/);
    assert.equal((await get('/simple', bearer('yes-1'))).status, 200);
    assert.equal(invocations('http-2.0 yes-1'), 1);
  });

  test('isAuthorized false is 403 Forbidden; a malformed answer is 500', async () => {
    assertError(await get('/simple', bearer('no')), 403, '{"message":"Forbidden"}');
    assertError(await get('/simple', bearer('bad')), 500, '{"message":"Internal Server Error"}');
  });

  test('IAM policy responses (payload 1.0): Allow passes with the 1.0 event, Deny is 403', async () => {
    const reply = await get('/policy', bearer('allow'));
    assert.equal(reply.status, 200, reply.text);
    const event = JSON.parse(authorizerOf(reply).event as string) as EchoedEvent;
    assert.equal(event.version, '1.0');
    assert.equal(event.type, 'REQUEST');
    assert.equal(event.identitySource, 'allow');
    assert.match(String(event.methodArn), /\/\$default\/GET\/policy$/);
    assertError(await get('/policy', bearer('deny')), 403, '{"message":"Forbidden"}');
  });
});
