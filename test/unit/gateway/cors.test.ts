/**
 * The CORS policies and the RoutePlans built from them: which routes get which hooks, and what each hook answers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiSpec, CorsSpec, RouteSpec } from '../../../src/app/model.js';
import type { GatewayResponse } from '../../../src/gateway/events/request.js';
import type { PolicyContext } from '../../../src/gateway/phases.js';
import { buildPlan, EMPTY_PLAN, runRequestHooks, runResponseHooks } from '../../../src/gateway/plan.js';

const route = (method: string, path: string): RouteSpec => ({
  method, path, functionLogicalId: 'Fn', payloadFormatVersion: '2.0', timeoutInMillis: 30000, eventId: 'E',
});

function api(kind: 'REST' | 'HTTP', routes: RouteSpec[], cors?: CorsSpec): ApiSpec {
  return { logicalId: 'Api', kind, apiId: 'abcdefghij', stageName: 'Prod', stageVariables: {}, binaryMediaTypes: [], routes, ...(cors ? { cors } : {}) };
}

const HTTP_CORS: CorsSpec = {
  kind: 'HTTP', allowOrigins: ['https://a.example'], allowMethods: ['GET'], allowHeaders: ['x-h'],
  exposeHeaders: ['x-e', 'x-f'], maxAge: 0, allowCredentials: false,
};
const REST_CORS: CorsSpec = { kind: 'REST', allowOrigin: '*', allowMethods: undefined, allowHeaders: undefined, maxAge: undefined, allowCredentials: true };

const ctx = (method: string, path: string, headers: string[] = []): PolicyContext => ({ method, path, rawHeaders: headers });
const PREFLIGHT = ['Origin', 'https://a.example', 'Access-Control-Request-Method', 'GET'];
const backend: GatewayResponse = { statusCode: 200, headers: ['Access-Control-Allow-Origin', '*', 'X-Own', '1'], body: Buffer.from('x') };

test('an API without CORS builds empty plans (the shared frozen EMPTY_PLAN)', () => {
  const spec = api('HTTP', [route('GET', '/a')]);
  assert.equal(buildPlan({ api: spec, route: undefined }), EMPTY_PLAN);
  assert.equal(buildPlan({ api: spec, route: spec.routes[0] }), EMPTY_PLAN);
  assert.ok(Object.isFrozen(EMPTY_PLAN) && Object.isFrozen(EMPTY_PLAN.onRequest));
});

test('HTTP API: the unrouted plan answers preflights; routes only get the response hook', () => {
  const spec = api('HTTP', [route('GET', '/a')], HTTP_CORS);
  const unrouted = buildPlan({ api: spec, route: undefined });
  assert.deepEqual(unrouted.onRequest.map((h) => [h.policy, h.phase]), [['cors-preflight', 'preflight']]);
  assert.equal(unrouted.onResponse.length, 0);
  const routed = buildPlan({ api: spec, route: spec.routes[0] });
  assert.equal(routed.onRequest.length, 0);
  assert.deepEqual(routed.onResponse.map((h) => h.policy), ['cors-headers']);
  assert.ok(Object.isFrozen(routed));
});

test('HTTP API preflight: 204 with the configured headers; max-age 0 is sent; other origins get none', async () => {
  const plan = buildPlan({ api: api('HTTP', [], HTTP_CORS), route: undefined });
  assert.deepEqual(await runRequestHooks(plan, ctx('OPTIONS', '/x', PREFLIGHT)), {
    statusCode: 204,
    headers: ['access-control-allow-origin', 'https://a.example', 'access-control-allow-headers', 'x-h', 'access-control-allow-methods', 'GET', 'access-control-max-age', '0'],
    body: Buffer.alloc(0),
  });
  const other = await runRequestHooks(plan, ctx('OPTIONS', '/x', ['origin', 'https://b.example', 'access-control-request-method', 'GET']));
  assert.deepEqual(other, { statusCode: 204, headers: [], body: Buffer.alloc(0) });
  assert.equal(await runRequestHooks(plan, ctx('OPTIONS', '/x', ['Origin', 'https://a.example'])), undefined);
  assert.equal(await runRequestHooks(plan, ctx('GET', '/x', PREFLIGHT)), undefined);
});

test("HTTP API response: the backend's CORS headers are replaced, other headers kept", () => {
  const spec = api('HTTP', [route('GET', '/a')], { ...HTTP_CORS, allowOrigins: ['*'], allowCredentials: true });
  const plan = buildPlan({ api: spec, route: spec.routes[0] });
  assert.deepEqual(runResponseHooks(plan, ctx('GET', '/a', ['Origin', 'https://z.example']), backend).headers, [
    'X-Own', '1', 'access-control-allow-origin', '*', 'access-control-allow-credentials', 'true', 'access-control-expose-headers', 'x-e,x-f',
  ]);
  assert.deepEqual(runResponseHooks(plan, ctx('GET', '/a'), backend).headers, ['X-Own', '1']);
});

test("REST API: SAM's mock per path, methods from the path, none for a path with its own OPTIONS route", async () => {
  const spec = api('REST', [route('GET', '/a/{id}'), route('POST', '/a/{id}'), route('GET', '/b'), route('OPTIONS', '/b')], REST_CORS);
  const plan = buildPlan({ api: spec, route: undefined });
  const answer = await runRequestHooks(plan, ctx('OPTIONS', '/a/7'));
  assert.deepEqual(answer, {
    statusCode: 200,
    headers: ['Content-Type', 'application/json', 'Access-Control-Allow-Origin', '*', 'Access-Control-Allow-Methods', 'GET,OPTIONS,POST', 'Access-Control-Allow-Credentials', 'true'],
    body: Buffer.from('{}\n'),
  });
  assert.equal(await runRequestHooks(plan, ctx('OPTIONS', '/b')), undefined);
  assert.equal(await runRequestHooks(plan, ctx('OPTIONS', '/c')), undefined);
  for (const r of spec.routes) assert.equal(buildPlan({ api: spec, route: r }), EMPTY_PLAN, `${r.method} ${r.path}`);
});

test('REST API: an ANY route answers OPTIONS with the mock (every method) and lets other methods through', async () => {
  const spec = api('REST', [route('ANY', '/{proxy+}')], { ...REST_CORS, allowMethods: 'GET', allowHeaders: 'x-h', maxAge: '5' });
  const plan = buildPlan({ api: spec, route: spec.routes[0] });
  const answer = (await runRequestHooks(plan, ctx('OPTIONS', '/q'))) as GatewayResponse;
  assert.deepEqual(answer.headers, [
    'Content-Type', 'application/json', 'Access-Control-Allow-Origin', '*', 'Access-Control-Allow-Headers', 'x-h',
    'Access-Control-Allow-Methods', 'GET', 'Access-Control-Max-Age', '5', 'Access-Control-Allow-Credentials', 'true',
  ]);
  assert.equal(await runRequestHooks(plan, ctx('GET', '/q')), undefined);
  assert.equal(plan.onResponse.length, 0);
  const any = api('REST', [route('ANY', '/x')], REST_CORS);
  const listed = (await runRequestHooks(buildPlan({ api: any, route: any.routes[0] }), ctx('OPTIONS', '/x'))) as GatewayResponse;
  assert.equal(listed.headers[listed.headers.indexOf('Access-Control-Allow-Methods') + 1], 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT');
  const own = api('REST', [route('ANY', '/x'), route('OPTIONS', '/x')], REST_CORS);
  assert.equal(buildPlan({ api: own, route: own.routes[0] }), EMPTY_PLAN, 'an OPTIONS route of its own takes precedence');
});
