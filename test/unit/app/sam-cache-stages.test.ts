/**
 * Response caching, stages and gateway responses in the app model: `CacheClusterEnabled`/`Size` and the caching
 * fields of `MethodSettings`, cache key parameters from SAM `RequestParameters` and OpenAPI `cacheKeyParameters`, SAM's
 * extra `Stage` stage, `AWS::ApiGateway::Stage`/`Deployment` stages, SAM `GatewayResponses` and
 * `AWS::ApiGateway::GatewayResponse`, with errors naming the field.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FUNCTION_EVENTS_HEAD, assertTemplateError, findApi, loadTemplate, loadWithApis, samTemplate } from './sam-helpers.js';

test('CacheClusterEnabled with MethodSettings caching fields; size defaults to 0.5 GB', async () => {
  const model = await loadWithApis(`  R:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      CacheClusterEnabled: true
      MethodSettings:
        - { ResourcePath: /*, HttpMethod: '*', CachingEnabled: true, CacheTtlInSeconds: 60, CacheDataEncrypted: true }
        - { ResourcePath: '/~1a', HttpMethod: get, UnauthorizedCacheControlHeaderStrategy: FAIL_WITH_403 }
        - { ResourcePath: '/~1b', HttpMethod: get, ThrottlingBurstLimit: 1 }
`);
  assert.deepEqual(findApi(model, 'R').cache, {
    clusterSizeGb: 0.5,
    methods: [
      { resourcePath: '*', httpMethod: '*', cachingEnabled: true, ttlInSeconds: 60, requireAuthorizationForCacheControl: undefined, unauthorizedCacheControlHeaderStrategy: undefined },
      { resourcePath: '/a', httpMethod: 'GET', cachingEnabled: undefined, ttlInSeconds: undefined, requireAuthorizationForCacheControl: undefined, unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403' },
    ],
  });
});

test('no cache without CacheClusterEnabled; a bad size, TTL or strategy names the field', async () => {
  const model = await loadWithApis(`  R:
    Type: AWS::Serverless::Api
    Properties: { StageName: v1, MethodSettings: [{ ResourcePath: /*, HttpMethod: '*', CachingEnabled: true }] }
`);
  assert.equal(findApi(model, 'R').cache, undefined);
  const api = (props: string) => loadWithApis(`  R:\n    Type: AWS::Serverless::Api\n    Properties: { StageName: v1, CacheClusterEnabled: true, ${props} }\n`);
  await assertTemplateError(api(`CacheClusterSize: '2'`), 'Resources.R.Properties.CacheClusterSize', '0.5, 1.6');
  await assertTemplateError(api(`MethodSettings: [{ ResourcePath: /*, HttpMethod: '*', CacheTtlInSeconds: 3601 }]`), 'MethodSettings[0].CacheTtlInSeconds', '0 and 3600');
  await assertTemplateError(api(`MethodSettings: [{ ResourcePath: /*, HttpMethod: '*', UnauthorizedCacheControlHeaderStrategy: NOPE }]`), 'FAIL_WITH_403');
});

test('cache key parameters: SAM RequestParameters with Caching: true, OpenAPI integration cacheKeyParameters', async () => {
  const model = await loadTemplate(samTemplate(`${FUNCTION_EVENTS_HEAD}        Get:
          Type: Api
          Properties:
            RestApiId: !Ref R
            Path: /items
            Method: get
            RequestParameters:
              - method.request.header.Accept
              - method.request.querystring.type: { Required: true, Caching: true }
              - method.request.querystring.page: { Required: false }
  R:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      DefinitionBody:
        openapi: '3.0.1'
        paths:
          /body:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations
                cacheKeyParameters: [method.request.path.id]
`));
  const routes = findApi(model, 'R').routes;
  assert.deepEqual(routes.find((r) => r.path === '/items')?.cacheKeyParameters, ['method.request.querystring.type']);
  assert.deepEqual(routes.find((r) => r.path === '/body')?.cacheKeyParameters, ['method.request.path.id']);
});

test('SAM adds the stage "Stage" unless OpenApiVersion is set or StageName is Stage; the implicit API too', async () => {
  const model = await loadWithApis(`  A:
    Type: AWS::Serverless::Api
    Properties: { StageName: v1 }
  B:
    Type: AWS::Serverless::Api
    Properties: { StageName: v1, OpenApiVersion: '2.0' }
  C:
    Type: AWS::Serverless::Api
    Properties: { StageName: Stage }
`);
  assert.deepEqual(findApi(model, 'A').extraStages, [{ stageName: 'Stage', stageVariables: {} }]);
  assert.equal(findApi(model, 'B').extraStages, undefined);
  assert.equal(findApi(model, 'C').extraStages, undefined);
  assert.deepEqual(findApi(model, 'ServerlessRestApi').extraStages, [{ stageName: 'Stage', stageVariables: {} }]);
  assert.equal(findApi(model, 'ServerlessHttpApi').extraStages, undefined);
});

test('AWS::ApiGateway::Stage and Deployment StageName add stages with their own variables and settings', async () => {
  const model = await loadWithApis(`  A:
    Type: AWS::Serverless::Api
    Properties: { StageName: v1, OpenApiVersion: '3.0.1' }
  Two:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref A
      StageName: v2
      Variables: { color: green }
      MethodSettings: [{ ResourcePath: /*, HttpMethod: '*', ThrottlingBurstLimit: 3 }]
  Three:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref A
      StageName: v3
      StageDescription: { Variables: { n: 3 }, CacheClusterEnabled: true, CacheClusterSize: '1.6' }
  Plain:
    Type: AWS::ApiGateway::Deployment
    Properties: { RestApiId: !Ref A }
`);
  assert.deepEqual(findApi(model, 'A').extraStages, [
    { stageName: 'v2', stageVariables: { color: 'green' }, throttling: { kind: 'REST', methods: [{ resourcePath: '*', httpMethod: '*', rateLimit: undefined, burstLimit: 3 }] } },
    { stageName: 'v3', stageVariables: { n: '3' }, cache: { clusterSizeGb: 1.6, methods: [] } },
  ]);
  await assertTemplateError(
    loadWithApis(`  A:
    Type: AWS::Serverless::Api
    Properties: { StageName: v1 }
  Again:
    Type: AWS::ApiGateway::Stage
    Properties: { RestApiId: !Ref A, StageName: Stage }
`),
    'Resources.Again.Properties.StageName',
    'A already has a stage named "Stage"',
  );
});

test('SAM GatewayResponses and AWS::ApiGateway::GatewayResponse resources, by response type', async () => {
  const model = await loadWithApis(`  A:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      GatewayResponses:
        UNAUTHORIZED:
          StatusCode: 401
          ResponseParameters:
            Headers: { Access-Control-Allow-Origin: "'*'" }
            QueryStrings: { q: "'x'" }
          ResponseTemplates: { application/json: '{"m":$context.error.messageString}' }
  Four:
    Type: AWS::ApiGateway::GatewayResponse
    Properties:
      RestApiId: !Ref A
      ResponseType: DEFAULT_4XX
      StatusCode: '418'
      ResponseParameters:
        gatewayresponse.header.X-A: method.request.header.Origin
        gatewayresponse.querystring.q: "'ignored'"
`);
  assert.deepEqual(findApi(model, 'A').gatewayResponses, {
    UNAUTHORIZED: { statusCode: 401, headers: { 'Access-Control-Allow-Origin': "'*'" }, templates: { 'application/json': '{"m":$context.error.messageString}' } },
    DEFAULT_4XX: { statusCode: 418, headers: { 'X-A': 'method.request.header.Origin' }, templates: {} },
  });
  const fromBody = await loadWithApis(`  B:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      GatewayResponses: { THROTTLED: { StatusCode: 503 } }
      DefinitionBody:
        openapi: '3.0.1'
        paths: {}
        x-amazon-apigateway-gateway-responses:
          THROTTLED: { statusCode: '599' }
          ACCESS_DENIED:
            statusCode: '401'
            responseParameters: { gatewayresponse.header.X-B: "'b'" }
            responseTemplates: { application/json: '{}' }
`);
  assert.deepEqual(findApi(fromBody, 'B').gatewayResponses, {
    THROTTLED: { statusCode: 503, headers: {}, templates: {} },
    ACCESS_DENIED: { statusCode: 401, headers: { 'X-B': "'b'" }, templates: { 'application/json': '{}' } },
  });
  await assertTemplateError(
    loadWithApis(`  A:\n    Type: AWS::Serverless::Api\n    Properties: { StageName: v1, GatewayResponses: { NOT_A_TYPE: {} } }\n`),
    'Resources.A.Properties.GatewayResponses.NOT_A_TYPE',
    'DEFAULT_4XX',
  );
});
