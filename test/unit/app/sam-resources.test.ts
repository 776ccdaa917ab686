import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppModel } from '../../../src/app/model.js';
import { apiIdFor } from '../../../src/app/sam/naming.js';
import { findFunction, loadTemplate, samTemplate } from './sam-helpers.js';

/** Loads a template whose Outputs are `name: expression` lines, returning the model. */
async function outputsOf(resources: string, outputs: Record<string, string>, head = ''): Promise<AppModel> {
  const lines = Object.entries(outputs).map(([k, v]) => `  ${k}:\n    Value: ${v}\n`).join('');
  return loadTemplate(`${samTemplate(resources, head)}Outputs:\n${lines}`, { stackName: 'stk' });
}

const fnWith = (name: string, extra: string): string =>
  `  ${name}:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: app.handler\n      Runtime: nodejs20.x\n${extra}`;

test('resources: SAM-generated ids for functions (Role, event resources, permissions, alias, url)', async () => {
  const fn = fnWith(
    'Worker',
    `      AutoPublishAlias: live
      FunctionUrlConfig:
        AuthType: NONE
      Events:
        Tick:
          Type: Schedule
          Properties:
            Schedule: rate(1 minute)
        Hello:
          Type: Api
          Properties:
            Path: /hello
            Method: get
`,
  );
  const model = await outputsOf(fn, {
    Role: '!GetAtt WorkerRole.Arn',
    RoleName: '!Ref WorkerRole',
    Rule: '!GetAtt WorkerTick.Arn',
    Permission: '!Ref WorkerHelloPermissionProd',
    Alias: '!Ref Worker.Alias',
    AliasResource: '!Ref WorkerAliaslive',
    Version: '!Ref Worker.Version',
    Url: '!GetAtt WorkerUrl.FunctionUrl',
    Deployment: '!Ref ServerlessRestApiDeployment1a2b3c4d',
    Stage: '!Ref ServerlessRestApiProdStage',
  });
  const worker = findFunction(model, 'Worker');
  const o = model.outputs;
  assert.match(o.Role!, /^arn:aws:iam::123456789012:role\/stk-WorkerRole-[A-Z0-9]{12}$/);
  assert.equal(o.Role, `arn:aws:iam::123456789012:role/${o.RoleName}`);
  assert.match(o.Rule!, /^arn:aws:events:us-east-1:123456789012:rule\/stk-WorkerTick-[A-Z0-9]{12}$/);
  assert.match(o.Permission!, /^stk-WorkerHelloPermissionProd-/);
  assert.equal(o.Alias, `${worker.arn}:live`);
  assert.equal(o.AliasResource, `${worker.arn}:live`);
  assert.equal(o.Version, `${worker.arn}:1`);
  assert.match(o.Url!, /^https:\/\/[a-z0-9]{32}\.lambda-url\.us-east-1\.on\.aws\/$/);
  assert.match(o.Deployment!, /^[a-z0-9]{6}$/);
  assert.equal(o.Stage, 'Prod');
});

test('resources: explicit API stage ids, deployment ids and Ref values', async () => {
  const apis = `  MyApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1-beta
  MyHttp:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: beta
  Socket:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      ProtocolType: WEBSOCKET
  Plain:
    Type: AWS::ApiGateway::RestApi
`;
  const model = await outputsOf(apis, {
    Api: '!Ref MyApi',
    ApiStage: '!Ref MyApiv1betaStage',
    ApiStageProp: '!Ref MyApi.Stage',
    ApiDeployment: '!Ref MyApi.Deployment',
    HttpStage: '!Ref MyHttpbetaStage',
    HttpEndpoint: '!GetAtt MyHttp.ApiEndpoint',
    SocketEndpoint: '!GetAtt Socket.ApiEndpoint',
    PlainRoot: '!GetAtt Plain.RootResourceId',
  });
  const o = model.outputs;
  assert.equal(o.Api, apiIdFor('stk', 'MyApi'));
  assert.equal(o.ApiStage, 'v1-beta');
  assert.equal(o.ApiStageProp, 'v1-beta');
  assert.match(o.ApiDeployment!, /^[a-z0-9]{6}$/);
  assert.equal(o.HttpStage, 'beta');
  assert.equal(o.HttpEndpoint, `https://${apiIdFor('stk', 'MyHttp')}.execute-api.us-east-1.amazonaws.com`);
  assert.equal(o.SocketEndpoint, `wss://${apiIdFor('stk', 'Socket')}.execute-api.us-east-1.amazonaws.com`);
  assert.match(o.PlainRoot!, /^[a-z0-9]{10}$/);
  assert.ok(model.warnings.some((w) => w.includes('Plain (AWS::ApiGateway::RestApi)') && w.includes('Socket')), 'plain API Gateway resources are noted');
  assert.deepEqual(model.apis.map((a) => a.logicalId), ['MyApi', 'MyHttp']);
});

test('resources: names from properties (including ones built from other resources) and generated names', async () => {
  const resources = `  Table:
    Type: AWS::Serverless::SimpleTable
    Properties:
      TableName: !Sub '\${AWS::StackName}-items'
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub '\${Table}-reader'
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs20.x
  Fifo:
    Type: AWS::SQS::Queue
    Properties:
      FifoQueue: true
  Bucket:
    Type: AWS::S3::Bucket
`;
  const model = await outputsOf(resources, {
    Table: '!Ref Table',
    TableArn: '!GetAtt Table.Arn',
    Reader: '!Ref Reader',
    Fifo: '!GetAtt Fifo.QueueName',
    Bucket: '!Ref Bucket',
    Website: '!GetAtt Bucket.WebsiteURL',
  });
  const o = model.outputs;
  assert.equal(o.Table, 'stk-items');
  assert.equal(o.TableArn, 'arn:aws:dynamodb:us-east-1:123456789012:table/stk-items');
  assert.equal(o.Reader, 'stk-items-reader');
  assert.equal(findFunction(model, 'Reader').name, 'stk-items-reader');
  assert.match(o.Fifo!, /^stk-Fifo-[A-Z0-9]{12}\.fifo$/);
  assert.match(o.Bucket!, /^stk-bucket-[a-z0-9]{12}$/);
  assert.equal(o.Website, `http://${o.Bucket}.s3-website-us-east-1.amazonaws.com`);
});

test('resources: circular name references are reported', async () => {
  const resources = `  A:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !GetAtt B.QueueName
  B:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !GetAtt A.TopicName
`;
  await assert.rejects(outputsOf(resources, { A: '!Ref A' }), /circular reference/);
});

test('resources: region and partition follow options (China partition)', async () => {
  const model = await loadTemplate(`${samTemplate(fnWith('Fn', ''))}Outputs:\n  Part:\n    Value: !Sub '\${AWS::Partition}|\${AWS::URLSuffix}|\${Fn.Arn}'\n`, { region: 'cn-north-1' });
  const fn = findFunction(model, 'Fn');
  assert.equal(model.outputs.Part, `aws-cn|amazonaws.com.cn|arn:aws-cn:lambda:cn-north-1:123456789012:function:${fn.name}`);
  assert.equal(fn.arn, `arn:aws-cn:lambda:cn-north-1:123456789012:function:${fn.name}`);
});
