import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AppModel } from '../../../src/app/model.js';
import { loadSamApp } from '../../../src/app/sam/load.js';
import { findApi, findFunction, fixturePath } from './sam-helpers.js';

const appDir = fixturePath('explicit-apis');
const load = (): Promise<AppModel> => loadSamApp(appDir, {});

const routesOf = (model: AppModel, api: string) =>
  findApi(model, api).routes.map((r) => [r.method, r.path, r.functionLogicalId, r.payloadFormatVersion, r.timeoutInMillis, r.eventId]);

test('explicit-apis: APIs in template order, implicit HTTP API last, no implicit REST API', async () => {
  const model = await load();
  assert.deepEqual(model.apis.map((a) => [a.logicalId, a.kind]), [
    ['RestApi', 'REST'],
    ['HttpApi', 'HTTP'],
    ['ReportsApi', 'HTTP'],
    ['ServerlessHttpApi', 'HTTP'],
  ]);
  for (const api of model.apis) assert.match(api.apiId, /^[a-z0-9]{10}$/);
  assert.equal(new Set(model.apis.map((a) => a.apiId)).size, model.apis.length);
});

test('explicit-apis: REST API stage from a parameter, stage variables stringified, ~1 decoded', async () => {
  const api = findApi(await load(), 'RestApi');
  assert.equal(api.stageName, 'v1');
  assert.deepEqual(api.stageVariables, { mode: 'rest', version: '2' });
  assert.deepEqual(api.binaryMediaTypes, ['image/png', '*/*']);
});

test('explicit-apis: REST routes from an included OpenAPI body, an event replacing the body route', async () => {
  assert.deepEqual(routesOf(await load(), 'RestApi'), [
    ['GET', '/items', 'ListFunction', '1.0', 29000, 'DefinitionBody'],
    ['POST', '/items', 'CreateFunction', '1.0', 5000, 'Create'],
  ]);
});

test('explicit-apis: HttpApi routes with PayloadFormatVersion 1.0, ANY, timeouts and the $default route', async () => {
  const model = await load();
  const api = findApi(model, 'HttpApi');
  assert.equal(api.stageName, '$default');
  assert.deepEqual(api.stageVariables, { fromGlobals: 'yes', mode: 'http' });
  assert.deepEqual(api.binaryMediaTypes, []);
  assert.deepEqual(routesOf(model, 'HttpApi'), [
    ['GET', '/legacy', 'LegacyFunction', '1.0', 30000, 'Legacy'],
    ['ANY', '/modern/{id}', 'ModernFunction', '2.0', 10000, 'Modern'],
    ['ANY', '$default', 'CatchAllFunction', '2.0', 30000, 'Everything'],
  ]);
});

test('explicit-apis: DefinitionUri file read; functions found by ${Fn.Arn} and by literal function name', async () => {
  const model = await load();
  assert.equal(findApi(model, 'ReportsApi').stageName, 'live');
  assert.deepEqual(routesOf(model, 'ReportsApi'), [
    ['GET', '/reports', 'ReportsFunction', '2.0', 12000, 'DefinitionBody'],
    ['ANY', '$default', 'ReportsFallbackFunction', '1.0', 30000, 'DefinitionBody'],
  ]);
});

test('explicit-apis: HttpApi event without ApiId creates ServerlessHttpApi with stage $default', async () => {
  const model = await load();
  const api = findApi(model, 'ServerlessHttpApi');
  assert.equal(api.stageName, '$default');
  assert.deepEqual(api.stageVariables, { fromGlobals: 'yes' }, 'Globals.HttpApi reaches the implicit API');
  assert.deepEqual(routesOf(model, 'ServerlessHttpApi'), [['GET', '/implicit', 'ImplicitHttpFunction', '2.0', 30000, 'Implicit']]);
});

test('explicit-apis: Ref/GetAtt of APIs, stages and SAM property references', async () => {
  const model = await load();
  const rest = findApi(model, 'RestApi');
  const http = findApi(model, 'HttpApi');
  assert.equal(model.outputs.RestStage, 'v1');
  assert.equal(model.outputs.RestStageResource, 'v1');
  assert.equal(model.outputs.RestApiId, rest.apiId);
  assert.match(model.outputs.RootResource!, /^[a-z0-9]{10}$/);
  assert.notEqual(model.outputs.RootResource, rest.apiId);
  assert.equal(model.outputs.HttpEndpoint, `https://${http.apiId}.execute-api.us-east-1.amazonaws.com`);
  assert.equal(model.outputs.HttpDefaultStage, '$default');
  assert.equal(model.outputs.ReportsStage, 'live');
  assert.equal(model.outputs.ImplicitHttpUrl, `https://${findApi(model, 'ServerlessHttpApi').apiId}.execute-api.us-east-1.amazonaws.com/implicit`);
});

test('explicit-apis: Globals.Function gives python runtime and CodeUri; FunctionName is honoured', async () => {
  const model = await load();
  for (const fn of model.functions) {
    assert.equal(fn.runtime, 'python3.12');
    assert.equal(fn.family, 'python');
    assert.equal(fn.codeDir, join(appDir, 'src'));
    assert.equal(fn.timeout, 10);
  }
  const fallback = findFunction(model, 'ReportsFallbackFunction');
  assert.equal(fallback.name, 'reports-fallback');
  assert.equal(fallback.arn, 'arn:aws:lambda:us-east-1:123456789012:function:reports-fallback');
  assert.deepEqual(model.warnings, [], 'Cors and Auth are ignored without warnings');
});
