/**
 * API keys and usage plans in the app model: `ApiKeyRequired` on the API (SAM `Auth`), on events (overriding it) and
 * in OpenAPI `security`; `ApiKeySourceType`; SAM `Auth.UsagePlan` PER_API, SHARED and NONE with the resources SAM
 * generates (and `!Ref` to them); declared ApiKey/UsagePlan/UsagePlanKey; errors naming the property.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FUNCTION_EVENTS_HEAD, assertTemplateError, findApi, loadTemplate, samTemplate } from './sam-helpers.js';

const fn = (events: string) => `${FUNCTION_EVENTS_HEAD}${events}`;

const routeKeys = (model: Awaited<ReturnType<typeof loadTemplate>>, api: string) =>
  Object.fromEntries(findApi(model, api).routes.map((r) => [`${r.method} ${r.path}`, r.apiKeyRequired === true]));

test('Auth.ApiKeyRequired on the API covers its event methods; an event says otherwise for itself', async () => {
  const model = await loadTemplate(samTemplate(`  A:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
      ApiKeySourceType: AUTHORIZER
      Auth: { ApiKeyRequired: true }
${fn(`        One: { Type: Api, Properties: { RestApiId: !Ref A, Path: /one, Method: get } }
        Two: { Type: Api, Properties: { RestApiId: !Ref A, Path: /two, Method: get, Auth: { ApiKeyRequired: false } } }
        Three: { Type: Api, Properties: { Path: /three, Method: post, Auth: { ApiKeyRequired: true } } }
        Four: { Type: Api, Properties: { Path: /four, Method: post } }`)}`));
  assert.deepEqual(routeKeys(model, 'A'), { 'GET /one': true, 'GET /two': false });
  assert.deepEqual(routeKeys(model, 'ServerlessRestApi'), { 'POST /three': true, 'POST /four': false });
  assert.equal(findApi(model, 'A').apiKeySource, 'AUTHORIZER');
  assert.equal('apiKeySource' in findApi(model, 'ServerlessRestApi'), false);
  assert.equal(model.usagePlans, undefined, 'no keys, no plans');
});

test('OpenAPI: security naming an x-api-key header scheme requires a key; x-amazon-apigateway-api-key-source', async () => {
  const model = await loadTemplate(samTemplate(`  A:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
      DefinitionBody:
        openapi: '3.0.1'
        x-amazon-apigateway-api-key-source: HEADER
        components:
          securitySchemes:
            api_key: { type: apiKey, name: x-api-key, in: header }
        paths:
          /keyed:
            get:
              security: [{ api_key: [] }]
              x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: !Sub 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations' }
          /free:
            get:
              x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: !Sub 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations' }
${fn(`        Other: { Type: Schedule, Properties: { Schedule: rate(1 day) } }`)}`));
  assert.deepEqual(routeKeys(model, 'A'), { 'GET /keyed': true, 'GET /free': false });
  assert.equal(findApi(model, 'A').apiKeySource, 'HEADER');
});

test('Auth.UsagePlan PER_API generates <api>UsagePlan, <api>ApiKey and <api>UsagePlanKey; !Ref gives their ids', async () => {
  const model = await loadTemplate(samTemplate(`  A:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      Auth:
        ApiKeyRequired: true
        UsagePlan:
          CreateUsagePlan: PER_API
          UsagePlanName: gold
          Description: for A
          Quota: { Limit: 500, Offset: 2, Period: MONTH }
          Throttle: { BurstLimit: 10, RateLimit: 2.5 }
${fn(`        One: { Type: Api, Properties: { RestApiId: !Ref A, Path: /one, Method: get } }`)}
Outputs:
  KeyId: { Value: !Ref AApiKey }
  PlanId: { Value: !Ref AUsagePlan }`));
  const api = findApi(model, 'A');
  const { apiKeys, plans } = model.usagePlans!;
  assert.equal(apiKeys.length, 1);
  assert.deepEqual({ ...apiKeys[0]!, name: undefined }, {
    logicalId: 'AApiKey', id: model.outputs.KeyId, name: undefined, description: '', enabled: true, value: undefined,
    stageKeys: [{ restApiId: api.apiId, stageName: 'v1' }],
  });
  assert.deepEqual(plans, [{
    logicalId: 'AUsagePlan', id: model.outputs.PlanId, name: 'gold', description: 'for A',
    apiStages: [{ apiId: api.apiId, stage: 'v1', throttle: {} }],
    throttle: { rateLimit: 2.5, burstLimit: 10 }, quota: { limit: 500, offset: 2, period: 'MONTH' },
    keyIds: [model.outputs.KeyId],
  }]);
});

test('Auth.UsagePlan SHARED: one ServerlessUsagePlan and ServerlessApiKey for every SHARED API; NONE creates nothing', async () => {
  const model = await loadTemplate(samTemplate(`  A:
    Type: AWS::Serverless::Api
    Properties: { StageName: a, Auth: { UsagePlan: { CreateUsagePlan: SHARED, Quota: { Limit: 9, Period: DAY } } } }
  B:
    Type: AWS::Serverless::Api
    Properties: { StageName: b, Auth: { UsagePlan: { CreateUsagePlan: SHARED } } }
  C:
    Type: AWS::Serverless::Api
    Properties: { StageName: c, Auth: { UsagePlan: { CreateUsagePlan: NONE } } }
${fn(`        A: { Type: Api, Properties: { RestApiId: !Ref A, Path: /a, Method: get } }
        B: { Type: Api, Properties: { RestApiId: !Ref B, Path: /b, Method: get } }
        C: { Type: Api, Properties: { RestApiId: !Ref C, Path: /c, Method: get } }`)}`));
  const { apiKeys, plans } = model.usagePlans!;
  assert.deepEqual(plans.map((p) => p.logicalId), ['ServerlessUsagePlan']);
  assert.deepEqual(plans[0]!.apiStages.map((s) => s.stage), ['a', 'b']);
  assert.deepEqual(plans[0]!.quota, { limit: 9, offset: 0, period: 'DAY' });
  assert.deepEqual(apiKeys.map((k) => [k.logicalId, k.stageKeys.map((s) => s.stageName)]), [['ServerlessApiKey', ['a', 'b']]]);
});

test('declared ApiKey (disabled unless Enabled: true), UsagePlan with per-method throttles, UsagePlanKey', async () => {
  const model = await loadTemplate(samTemplate(`  A:
    Type: AWS::Serverless::Api
    Properties: { StageName: Prod }
  K:
    Type: AWS::ApiGateway::ApiKey
    Properties: { Name: k, Value: abcdefghijklmnopqrstuvwxyz }
  P:
    Type: AWS::ApiGateway::UsagePlan
    Properties:
      ApiStages:
        - ApiId: !Ref A
          Stage: !Ref A.Stage
          Throttle: { /pets/get: { RateLimit: 1 }, //GET: { BurstLimit: 3 } }
  PK:
    Type: AWS::ApiGateway::UsagePlanKey
    Properties: { KeyId: !Ref K, KeyType: API_KEY, UsagePlanId: !Ref P }
${fn(`        A: { Type: Api, Properties: { RestApiId: !Ref A, Path: /pets, Method: get } }`)}`));
  const { apiKeys, plans } = model.usagePlans!;
  assert.equal(apiKeys[0]!.enabled, false);
  assert.equal(apiKeys[0]!.value, 'abcdefghijklmnopqrstuvwxyz');
  assert.deepEqual(plans[0]!.apiStages[0]!.throttle, {
    '/pets/GET': { rateLimit: 1, burstLimit: undefined },
    '//GET': { rateLimit: undefined, burstLimit: 3 },
  });
  assert.deepEqual(plans[0]!.keyIds, [apiKeys[0]!.id]);
});

test('errors name the property: a short key value, a bad quota period and offset, a plan key to nothing', async () => {
  const api = `  A:\n    Type: AWS::Serverless::Api\n    Properties: { StageName: Prod }\n${fn(`        A: { Type: Api, Properties: { RestApiId: !Ref A, Path: /a, Method: get } }`)}\n`;
  await assertTemplateError(
    loadTemplate(samTemplate(`${api}  K:\n    Type: AWS::ApiGateway::ApiKey\n    Properties: { Value: short }\n`)),
    'Resources.K.Properties.Value', '20 to 128 characters',
  );
  await assertTemplateError(
    loadTemplate(samTemplate(`${api}  P:\n    Type: AWS::ApiGateway::UsagePlan\n    Properties: { Quota: { Limit: 5, Period: YEAR } }\n`)),
    'Resources.P.Properties.Quota.Period', 'DAY, WEEK or MONTH',
  );
  await assertTemplateError(
    loadTemplate(samTemplate(`${api}  P:\n    Type: AWS::ApiGateway::UsagePlan\n    Properties: { Quota: { Limit: 5, Period: WEEK, Offset: 7 } }\n`)),
    'Resources.P.Properties.Quota.Offset', '0 to 6',
  );
  await assertTemplateError(
    loadTemplate(samTemplate(`${api}  P:\n    Type: AWS::ApiGateway::UsagePlan\n    Properties: {}\n  PK:\n    Type: AWS::ApiGateway::UsagePlanKey\n    Properties: { KeyId: nokey, KeyType: API_KEY, UsagePlanId: !Ref P }\n`)),
    'Resources.PK.Properties.KeyId',
  );
  await assertTemplateError(
    loadTemplate(samTemplate(`  A:\n    Type: AWS::Serverless::Api\n    Properties: { StageName: Prod, Auth: { UsagePlan: { CreateUsagePlan: PER-API } } }\n${fn(`        A: { Type: Api, Properties: { RestApiId: !Ref A, Path: /a, Method: get } }`)}`)),
    'Resources.A.Properties.Auth.UsagePlan.CreateUsagePlan', 'PER_API, SHARED or NONE',
  );
  await assertTemplateError(
    loadTemplate(samTemplate(`  A:\n    Type: AWS::Serverless::Api\n    Properties: { StageName: Prod, ApiKeySourceType: QUERY }\n${fn(`        A: { Type: Api, Properties: { RestApiId: !Ref A, Path: /a, Method: get } }`)}`)),
    'Resources.A.Properties.ApiKeySourceType', 'HEADER or AUTHORIZER',
  );
});
