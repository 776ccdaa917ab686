import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyGlobals, readGlobals } from '../../../src/app/sam/globals.js';
import { assertTemplateError, findApi, findFunction, loadTemplate, samTemplate } from './sam-helpers.js';

test('globals: scalars overridden, maps merged, lists concatenated (globals first), Architectures replaced', () => {
  const globals = readGlobals({
    Function: {
      Timeout: 5,
      Environment: { Variables: { A: 'global', B: 'global' } },
      Layers: ['global-layer'],
      Architectures: ['x86_64'],
    },
  });
  const merged = applyGlobals(globals, {
    Fn: {
      Type: 'AWS::Serverless::Function',
      Properties: { Timeout: 9, Environment: { Variables: { B: 'local', C: 'local' } }, Layers: ['local-layer'], Architectures: ['arm64'] },
    },
    Other: { Type: 'AWS::SQS::Queue', Properties: { Timeout: 1 } },
  });
  assert.deepEqual((merged.Fn as { Properties: unknown }).Properties, {
    Timeout: 9,
    Environment: { Variables: { A: 'global', B: 'local', C: 'local' } },
    Layers: ['global-layer', 'local-layer'],
    Architectures: ['arm64'],
  });
  assert.deepEqual((merged.Other as { Properties: unknown }).Properties, { Timeout: 1 }, 'other types untouched');
});

test('globals: an intrinsic counts as a scalar; a type mismatch keeps the resource value', () => {
  const globals = readGlobals({ Function: { Environment: { Variables: { 'Fn::If': ['C', { A: '1' }, { A: '2' }] } }, Tags: ['x'] } });
  const merged = applyGlobals(globals, {
    Fn: { Type: 'AWS::Serverless::Function', Properties: { Environment: { Variables: { B: '3' } }, Tags: { k: 'v' } } },
  });
  assert.deepEqual((merged.Fn as { Properties: unknown }).Properties, { Environment: { Variables: { B: '3' } }, Tags: { k: 'v' } });
});

test('globals: Api section reaches explicit APIs with list concatenation', async () => {
  const model = await loadTemplate(
    samTemplate(
      `  MyApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      BinaryMediaTypes: ['application~1pdf']
      Variables:
        local: 'yes'
`,
      `Globals:\n  Api:\n    BinaryMediaTypes: ['image~1png']\n    Variables:\n      global: 'yes'\n`,
    ),
  );
  const api = findApi(model, 'MyApi');
  assert.deepEqual(api.binaryMediaTypes, ['image/png', 'application/pdf']);
  assert.deepEqual(api.stageVariables, { global: 'yes', local: 'yes' });
  assert.deepEqual(api.routes, []);
});

test('globals: Function globals with intrinsics resolve per resource', async () => {
  const model = await loadTemplate(
    samTemplate(
      `  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
`,
      `Parameters:\n  Mem:\n    Type: Number\n    Default: 1024\nGlobals:\n  Function:\n    Runtime: nodejs20.x\n    CodeUri: src/\n    MemorySize: !Ref Mem\n    Environment:\n      Variables:\n        FN_NAME: !Sub '\${AWS::StackName}-x'\n`,
    ),
  );
  const fn = findFunction(model, 'Fn');
  assert.equal(fn.memorySize, 1024);
  assert.equal(fn.environment.FN_NAME, 'app-x');
});

test('globals: unknown sections and per-resource properties are rejected', async () => {
  const fn = '  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: app.handler\n      Runtime: nodejs20.x\n';
  await assertTemplateError(loadTemplate(samTemplate(fn, 'Globals:\n  Functions:\n    Timeout: 3\n')), 'Globals.Functions', 'not a Globals section');
  await assertTemplateError(loadTemplate(samTemplate(fn, 'Globals:\n  Function:\n    Events: {}\n')), 'Globals.Function.Events');
  await assertTemplateError(loadTemplate(samTemplate(fn, 'Globals:\n  Function:\n    FunctionName: x\n')), 'Globals.Function.FunctionName');
  await assertTemplateError(loadTemplate(samTemplate(fn, 'Globals:\n  Api:\n    StageName: v1\n')), 'Globals.Api.StageName');
});
