import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSamApp } from '../../../src/app/sam/load.js';
import { assertTemplateError, findApi, tempApp } from './sam-helpers.js';

const template = (location: string): string => `Transform: AWS::Serverless-2016-10-31
Parameters:
  SpecDir:
    Type: String
    Default: specs
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        Fn::Transform:
          Name: AWS::Include
          Parameters:
            Location: ${location}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs20.x
`;

const openapi = `openapi: '3.0.1'
paths:
  /things:
    get:
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: !Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations'
        timeoutInMillis: 4000
`;

test('include: Location may use intrinsics; intrinsics inside the included file are resolved', async () => {
  const dir = await tempApp({ 'template.yaml': template("!Sub '${SpecDir}/api.yaml'"), 'specs/api.yaml': openapi, 'src/app.js': '' });
  const api = findApi(await loadSamApp(dir, {}), 'Api');
  assert.deepEqual(api.routes.map((r) => [r.method, r.path, r.functionLogicalId, r.timeoutInMillis]), [['GET', '/things', 'Fn', 4000]]);
});

test('include: JSON include files, and nested includes relative to the including file', async () => {
  const nested = { openapi: '3.0.1', paths: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 'paths.yaml' } } } };
  const paths = openapi.split('paths:\n')[1]!.replace(/^ {2}/gm, '');
  const dir = await tempApp({ 'template.yaml': template('specs/api.json'), 'specs/api.json': JSON.stringify(nested), 'specs/paths.yaml': paths, 'src/app.js': '' });
  assert.equal(findApi(await loadSamApp(dir, {}), 'Api').routes[0]!.path, '/things');
});

test('include: a missing file or an S3 Location is a TemplateError at the Location', async () => {
  const missing = await tempApp({ 'template.yaml': template('specs/none.yaml'), 'src/app.js': '' });
  await assertTemplateError(loadSamApp(missing, {}), 'Resources.Api.Properties.DefinitionBody.Fn::Transform.Parameters.Location', '"specs/none.yaml"');
  const s3 = await tempApp({ 'template.yaml': template('s3://bucket/api.yaml'), 'src/app.js': '' });
  await assertTemplateError(loadSamApp(s3, {}), 'Location', 'local file');
});
