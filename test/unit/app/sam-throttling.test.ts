/**
 * Throttling settings in the app model: Api `MethodSettings` (ResourcePath in `/~1path` form, `/*` and `*`
 * wildcards), HttpApi `DefaultRouteSettings` and `RouteSettings` by route key, both also from Globals, settings
 * without throttling fields ignored, and errors naming the field.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertTemplateError, findApi, loadWithApis } from './sam-helpers.js';

test('Api MethodSettings: paths decoded, wildcards kept, methods upper-cased, numbers from strings and !Ref', async () => {
  const model = await loadWithApis(`  R:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      MethodSettings:
        - { ResourcePath: '/~1items~1{id}', HttpMethod: get, ThrottlingRateLimit: 0.5, ThrottlingBurstLimit: 2 }
        - { ResourcePath: /, HttpMethod: '*', ThrottlingBurstLimit: !Ref Burst }
        - { ResourcePath: /*, HttpMethod: '*', ThrottlingRateLimit: '100', ThrottlingBurstLimit: 50 }
        - { ResourcePath: /*, HttpMethod: '*', CachingEnabled: true, MetricsEnabled: true }
`, 'Parameters:\n  Burst: { Type: Number, Default: 9 }');
  assert.deepEqual(findApi(model, 'R').throttling, {
    kind: 'REST',
    methods: [
      { resourcePath: '/items/{id}', httpMethod: 'GET', rateLimit: 0.5, burstLimit: 2 },
      { resourcePath: '/', httpMethod: '*', rateLimit: undefined, burstLimit: 9 },
      { resourcePath: '*', httpMethod: '*', rateLimit: 100, burstLimit: 50 },
    ],
  });
});

test('HttpApi DefaultRouteSettings and RouteSettings by route key', async () => {
  const model = await loadWithApis(`  H:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefaultRouteSettings: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20, DetailedMetricsEnabled: true }
      RouteSettings:
        get /items: { ThrottlingBurstLimit: 1 }
        $default: { ThrottlingRateLimit: 3 }
        POST /quiet: { LoggingLevel: INFO }
`);
  assert.deepEqual(findApi(model, 'H').throttling, {
    kind: 'HTTP',
    defaultRoute: { rateLimit: 10, burstLimit: 20 },
    routes: { 'GET /items': { rateLimit: undefined, burstLimit: 1 }, $default: { rateLimit: 3, burstLimit: undefined } },
  });
});

test('APIs without throttling settings carry no throttling key; Globals reach the implicit APIs', async () => {
  const plain = await loadWithApis('');
  for (const api of plain.apis) assert.equal('throttling' in api, false, api.logicalId);
  const global = await loadWithApis('', `Globals:
  Api:
    MethodSettings: [{ ResourcePath: /*, HttpMethod: '*', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 6 }]
  HttpApi:
    DefaultRouteSettings: { ThrottlingRateLimit: 7, ThrottlingBurstLimit: 8 }`);
  assert.deepEqual(findApi(global, 'ServerlessRestApi').throttling, {
    kind: 'REST', methods: [{ resourcePath: '*', httpMethod: '*', rateLimit: 5, burstLimit: 6 }],
  });
  assert.deepEqual(findApi(global, 'ServerlessHttpApi').throttling, { kind: 'HTTP', defaultRoute: { rateLimit: 7, burstLimit: 8 }, routes: {} });
});

const ERRORS: ReadonlyArray<readonly [string, string, string, string]> = [
  ['Api', 'MethodSettings: { ResourcePath: /* }', 'Resources.X.Properties.MethodSettings', 'must be a list'],
  ['Api', 'MethodSettings: [{ HttpMethod: GET, ThrottlingRateLimit: 1 }]', 'MethodSettings[0].ResourcePath', 'ResourcePath is required'],
  ['Api', "MethodSettings: [{ ResourcePath: /*, ThrottlingRateLimit: 1 }]", 'MethodSettings[0].HttpMethod', 'HttpMethod is required'],
  ['Api', "MethodSettings: [{ ResourcePath: items, HttpMethod: '*', ThrottlingRateLimit: 1 }]", 'MethodSettings[0].ResourcePath', 'must start with "/"'],
  ['Api', "MethodSettings: [{ ResourcePath: /*, HttpMethod: '*', ThrottlingBurstLimit: 1.5 }]", 'ThrottlingBurstLimit', 'must be a whole number'],
  ['Api', "MethodSettings: [{ ResourcePath: /*, HttpMethod: '*', ThrottlingRateLimit: -1 }]", 'ThrottlingRateLimit', 'must be 0 or more'],
  ['Api', "MethodSettings: [{ ResourcePath: /*, HttpMethod: '*', ThrottlingRateLimit: fast }]", 'ThrottlingRateLimit', 'must be a number'],
  ['Api', "MethodSettings: [{ ResourcePath: /*, HttpMethod: '*', Throttle: 1 }]", 'MethodSettings[0].Throttle', 'is not a setting here'],
  ['HttpApi', 'DefaultRouteSettings: [1]', 'DefaultRouteSettings', 'must be a mapping'],
  ['HttpApi', 'RouteSettings: { /items: { ThrottlingRateLimit: 1 } }', 'RouteSettings./items', 'must be a route key'],
  ['HttpApi', 'RouteSettings: { GET /a: { ThrottlingRateLimits: 1 } }', 'RouteSettings.GET /a.ThrottlingRateLimits', 'is not a setting here'],
];

for (const [type, props, location, message] of ERRORS) {
  test(`${type} ${props} → ${message}`, async () => {
    const stage = type === 'Api' ? 'StageName: s, ' : '';
    await assertTemplateError(loadWithApis(`  X: { Type: AWS::Serverless::${type}, Properties: { ${stage}${props} } }\n`), location, message);
  });
}
