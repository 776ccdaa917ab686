import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadSamApp } from '../../../src/app/sam/load.js';
import { findApi, findFunction, fixturePath } from './sam-helpers.js';

const appDir = fixturePath('hello-world');

test('hello-world: template discovered and stack defaults derived from the folder', async () => {
  const model = await loadSamApp(appDir, {});
  assert.equal(model.appDir, appDir);
  assert.equal(model.templatePath, join(appDir, 'template.yaml'));
  assert.equal(model.stackName, 'hello-world');
  assert.equal(model.region, 'us-east-1');
  assert.equal(model.accountId, '123456789012');
});

test('hello-world: Globals give runtime, timeout, memory and merged environment', async () => {
  const fn = findFunction(await loadSamApp(appDir, {}), 'HelloWorldFunction');
  assert.equal(fn.runtime, 'nodejs20.x');
  assert.equal(fn.family, 'node');
  assert.equal(fn.handler, 'app.lambdaHandler');
  assert.equal(fn.codeDir, join(appDir, 'hello-world'));
  assert.equal(fn.timeout, 10);
  assert.equal(fn.memorySize, 256);
  assert.deepEqual(fn.architectures, ['x86_64']);
  assert.equal(fn.reservedConcurrency, undefined);
  assert.equal(fn.description, '');
  assert.match(fn.name, /^hello-world-HelloWorldFunction-[A-Z0-9]{12}$/);
  assert.equal(fn.arn, `arn:aws:lambda:us-east-1:123456789012:function:${fn.name}`);
  assert.equal(fn.environment.LOG_LEVEL, 'INFO');
  assert.equal(fn.environment.STAGE, 'dev');
  assert.match(fn.environment.TABLE_NAME!, /^hello-world-ItemsTable-[A-Z0-9]{12}$/);
  assert.equal(fn.environment.MAX_ITEMS, '25', 'numbers are stringified');
});

test('hello-world: resource values override Globals; Architectures replaces rather than appends', async () => {
  const fn = findFunction(await loadSamApp(appDir, {}), 'ItemsFunction');
  assert.equal(fn.timeout, 20);
  assert.equal(fn.memorySize, 512);
  assert.equal(fn.reservedConcurrency, 5);
  assert.deepEqual(fn.architectures, ['arm64']);
  assert.equal(fn.description, 'Lists and reads items');
  assert.equal(fn.environment.STAGE, 'dev', 'global variables are kept beside local ones');
  assert.match(fn.environment.QUEUE_URL!, /^https:\/\/sqs\.us-east-1\.amazonaws\.com\/123456789012\/hello-world-ItemsQueue-[A-Z0-9]{12}$/);
});

test('hello-world: implicit ServerlessRestApi with stage Prod, Globals.Api binary types and event routes', async () => {
  const model = await loadSamApp(appDir, {});
  assert.deepEqual(model.apis.map((a) => a.logicalId), ['ServerlessRestApi']);
  const api = findApi(model, 'ServerlessRestApi');
  assert.equal(api.kind, 'REST');
  assert.equal(api.stageName, 'Prod');
  assert.match(api.apiId, /^[a-z0-9]{10}$/);
  assert.deepEqual(api.stageVariables, {});
  assert.deepEqual(api.binaryMediaTypes, ['image/png']);
  assert.deepEqual(
    api.routes.map((r) => [r.method, r.path, r.functionLogicalId, r.eventId, r.payloadFormatVersion, r.timeoutInMillis]),
    [
      ['GET', '/hello', 'HelloWorldFunction', 'HelloWorld', '1.0', 29000],
      ['GET', '/items', 'ItemsFunction', 'ListItems', '1.0', 29000],
      ['ANY', '/items/{id}', 'ItemsFunction', 'GetItem', '1.0', 29000],
    ],
  );
});

test('hello-world: Outputs resolve implicit resources (ServerlessRestApi, <Fn>Role)', async () => {
  const model = await loadSamApp(appDir, {});
  const api = findApi(model, 'ServerlessRestApi');
  const fn = findFunction(model, 'HelloWorldFunction');
  assert.equal(model.outputs.HelloWorldApi, `https://${api.apiId}.execute-api.us-east-1.amazonaws.com/Prod/hello/`);
  assert.equal(model.outputs.HelloWorldFunction, fn.arn);
  assert.match(model.outputs.HelloWorldFunctionIamRole!, /^arn:aws:iam::123456789012:role\/hello-world-HelloWorldFunctionRole-[A-Z0-9]{12}$/);
});

test('hello-world: a false Condition drops the resource, its routes and its outputs', async () => {
  const model = await loadSamApp(appDir, {});
  assert.ok(!model.functions.some((f) => f.logicalId === 'AdminFunction'));
  assert.ok(!findApi(model, 'ServerlessRestApi').routes.some((r) => r.path === '/admin'));
  assert.ok(!('AdminFunctionName' in model.outputs));
});

test('hello-world: parameter override turns the condition on', async () => {
  const model = await loadSamApp(appDir, { parameterOverrides: { Stage: 'prod' } });
  const admin = findFunction(model, 'AdminFunction');
  assert.equal(admin.environment.STAGE, 'prod');
  assert.equal(model.outputs.AdminFunctionName, admin.name);
  const route = findApi(model, 'ServerlessRestApi').routes.find((r) => r.path === '/admin');
  assert.deepEqual(route && [route.method, route.functionLogicalId], ['POST', 'AdminFunction']);
});

test('hello-world: the esbuild build method becomes a build spec (no notice); ignored event types are noted once', async () => {
  const model = await loadSamApp(appDir, {});
  const { warnings } = model;
  assert.deepEqual(warnings.filter((w) => w.includes('esbuild')), []);
  assert.deepEqual(findFunction(model, 'HelloWorldFunction').build, {
    method: 'esbuild',
    entryPoints: ['app.ts'],
    format: 'cjs',
    target: 'es2020',
    minify: true,
    sourcemap: true,
    external: [],
    loader: {},
    mainFields: ['main', 'module'],
    outExtension: undefined,
    banner: undefined,
    footer: undefined,
  });
  const events = warnings.filter((w) => /Schedule|SQS/.test(w));
  assert.equal(events.length, 1, 'one summary line for all ignored events');
  assert.match(events[0]!, /Schedule \(1\)/);
  assert.match(events[0]!, /SQS \(1\)/);
});

test('hello-world: names and ids are deterministic and depend on stack name, region and account', async () => {
  const a = await loadSamApp(appDir, {});
  const b = await loadSamApp(appDir, {});
  assert.equal(findFunction(a, 'HelloWorldFunction').name, findFunction(b, 'HelloWorldFunction').name);
  assert.equal(a.apis[0]!.apiId, b.apis[0]!.apiId);
  const c = await loadSamApp(appDir, { stackName: 'other-stack', region: 'eu-west-1', accountId: '111122223333' });
  const fn = findFunction(c, 'HelloWorldFunction');
  assert.equal(c.stackName, 'other-stack');
  assert.match(fn.name, /^other-stack-HelloWorldFunction-[A-Z0-9]{12}$/);
  assert.equal(fn.arn, `arn:aws:lambda:eu-west-1:111122223333:function:${fn.name}`);
  assert.notEqual(c.apis[0]!.apiId, a.apis[0]!.apiId);
  assert.equal(c.outputs.HelloWorldApi, `https://${c.apis[0]!.apiId}.execute-api.eu-west-1.amazonaws.com/Prod/hello/`);
});
