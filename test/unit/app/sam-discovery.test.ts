import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadSamApp } from '../../../src/app/sam/load.js';
import { stackNameFromDir } from '../../../src/app/sam/naming.js';
import { assertTemplateError, findApi, tempApp } from './sam-helpers.js';

const yaml = (description: string): string =>
  `Description: ${description}\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\nOutputs:\n  Which:\n    Value: ${description}\n`;

test('discovery: first of template.yaml, template.yml, sam-template.yaml, sam-template.yml, template.json', async () => {
  const names = ['template.yaml', 'template.yml', 'sam-template.yaml', 'sam-template.yml'];
  for (let i = 0; i < names.length; i++) {
    const files = Object.fromEntries(names.slice(i).map((n) => [n, yaml(n)]));
    const dir = await tempApp(files);
    const model = await loadSamApp(dir, {});
    assert.equal(model.templatePath, join(dir, names[i]!));
    assert.equal(model.outputs.Which, names[i]);
  }
});

test('discovery: JSON templates with long-form intrinsics', async () => {
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: 'AWS::Serverless-2016-10-31',
    Parameters: { Stage: { Type: 'String', Default: 'beta' } },
    Resources: {
      Fn: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          CodeUri: 'src/',
          Handler: 'app.handler',
          Runtime: 'nodejs20.x',
          Events: { Get: { Type: 'HttpApi', Properties: { Path: '/x', Method: 'GET', PayloadFormatVersion: 1.0 } } },
        },
      },
    },
    Outputs: { Url: { Value: { 'Fn::Sub': 'https://${ServerlessHttpApi}.execute-api.${AWS::Region}.amazonaws.com/${Stage}' } } },
  };
  const dir = await tempApp({ 'template.json': JSON.stringify(template, null, 2), 'src/app.js': '' });
  const model = await loadSamApp(dir, {});
  const api = findApi(model, 'ServerlessHttpApi');
  assert.equal(model.outputs.Url, `https://${api.apiId}.execute-api.us-east-1.amazonaws.com/beta`);
  assert.equal(api.routes[0]!.payloadFormatVersion, '1.0', 'JSON number 1.0 means payload format 1.0');
});

test('discovery: options.template relative or absolute; it must exist', async () => {
  const dir = await tempApp({ 'infra/stack.yaml': yaml('custom'), 'template.yaml': yaml('default') });
  assert.equal((await loadSamApp(dir, { template: 'infra/stack.yaml' })).outputs.Which, 'custom');
  assert.equal((await loadSamApp(dir, { template: join(dir, 'infra/stack.yaml') })).outputs.Which, 'custom');
  await assertTemplateError(loadSamApp(dir, { template: 'infra/missing.yaml' }), 'infra/missing.yaml', 'not found');
});

test('discovery: a folder without a template lists the names looked for', async () => {
  const dir = await tempApp({ 'README.md': 'nothing here' });
  await assertTemplateError(loadSamApp(dir, {}), 'template.yaml', 'sam-template.yml');
});

test('discovery: stack name from the folder is sanitised; options.stackName wins', async () => {
  assert.equal(stackNameFromDir('/tmp/My_App 2'), 'My-App-2');
  assert.equal(stackNameFromDir('/tmp/123-service'), 'service');
  assert.equal(stackNameFromDir('/tmp/___'), 'portico-app');
  const dir = await tempApp({ 'template.yaml': yaml('x') }, 'my_app.v2');
  assert.equal((await loadSamApp(dir, {})).stackName, 'my-app-v2');
  assert.equal((await loadSamApp(dir, { stackName: 'Chosen-1' })).stackName, 'Chosen-1');
});
