/**
 * CORS settings in the app model: HttpApi `CorsConfiguration` (true or the AWS::ApiGatewayV2::Api Cors fields), Api
 * `Cors` (a quoted origin or SAM's object of quoted values), both also from Globals, and errors naming the field.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertTemplateError, findApi, loadWithApis } from './sam-helpers.js';

test('HttpApi CorsConfiguration: every field, intrinsics resolved, methods upper-cased', async () => {
  const model = await loadWithApis(`  H:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration:
        AllowOrigins: [!Ref Origin]
        AllowMethods: [get, POST]
        AllowHeaders: [x-a]
        ExposeHeaders: [x-b, x-c]
        MaxAge: '600'
        AllowCredentials: true
`, 'Parameters:\n  Origin: { Type: String, Default: "https://a.example" }');
  assert.deepEqual(findApi(model, 'H').cors, {
    kind: 'HTTP', allowOrigins: ['https://a.example'], allowMethods: ['GET', 'POST'], allowHeaders: ['x-a'],
    exposeHeaders: ['x-b', 'x-c'], maxAge: 600, allowCredentials: true,
  });
});

test('CorsConfiguration: true allows every origin; false and absent mean no CORS', async () => {
  const model = await loadWithApis(`  A: { Type: AWS::Serverless::HttpApi, Properties: { CorsConfiguration: true } }
  B: { Type: AWS::Serverless::HttpApi, Properties: { CorsConfiguration: false } }
  C: { Type: AWS::Serverless::HttpApi }
`);
  assert.deepEqual(findApi(model, 'A').cors, {
    kind: 'HTTP', allowOrigins: ['*'], allowMethods: [], allowHeaders: [], exposeHeaders: [], maxAge: undefined, allowCredentials: false,
  });
  assert.equal('cors' in findApi(model, 'B'), false);
  assert.equal('cors' in findApi(model, 'C'), false);
});

test('Api Cors: a quoted origin string, or the object with its quotes removed', async () => {
  const model = await loadWithApis(`  S: { Type: AWS::Serverless::Api, Properties: { StageName: s, Cors: "'*'" } }
  O:
    Type: AWS::Serverless::Api
    Properties:
      StageName: o
      Cors:
        AllowOrigin: "'https://a.example'"
        AllowMethods: "'GET,POST'"
        AllowHeaders: "'x-a'"
        MaxAge: "'300'"
        AllowCredentials: true
`);
  assert.deepEqual(findApi(model, 'S').cors, { kind: 'REST', allowOrigin: '*', allowMethods: undefined, allowHeaders: undefined, maxAge: undefined, allowCredentials: false });
  assert.deepEqual(findApi(model, 'O').cors, { kind: 'REST', allowOrigin: 'https://a.example', allowMethods: 'GET,POST', allowHeaders: 'x-a', maxAge: '300', allowCredentials: true });
});

test('Globals.Api.Cors and Globals.HttpApi.CorsConfiguration reach the implicit APIs', async () => {
  const model = await loadWithApis('', `Globals:
  Api: { Cors: "'https://r.example'" }
  HttpApi: { CorsConfiguration: { AllowOrigins: [https://h.example] } }`);
  assert.deepEqual(findApi(model, 'ServerlessRestApi').cors, { kind: 'REST', allowOrigin: 'https://r.example', allowMethods: undefined, allowHeaders: undefined, maxAge: undefined, allowCredentials: false });
  const http = findApi(model, 'ServerlessHttpApi').cors;
  assert.deepEqual(http?.kind === 'HTTP' ? http.allowOrigins : http, ['https://h.example']);
});

const REJECTED: Array<[what: string, api: string, location: string, message: RegExp]> = [
  ['MaxAge not a number', 'HttpApi, Properties: { CorsConfiguration: { MaxAge: soon } }', 'Resources.X.Properties.CorsConfiguration.MaxAge', /whole number/],
  ['MaxAge out of range', 'HttpApi, Properties: { CorsConfiguration: { MaxAge: 86401 } }', 'Resources.X.Properties.CorsConfiguration.MaxAge', /between -1 and 86400/],
  ['AllowOrigins not a list', 'HttpApi, Properties: { CorsConfiguration: { AllowOrigins: "*" } }', 'Resources.X.Properties.CorsConfiguration.AllowOrigins', /must be a list/],
  ['AllowCredentials not boolean', 'HttpApi, Properties: { CorsConfiguration: { AllowCredentials: yes-please } }', 'Resources.X.Properties.CorsConfiguration.AllowCredentials', /true or false/],
  ['unknown field', 'HttpApi, Properties: { CorsConfiguration: { AllowOrigin: [a] } }', 'Resources.X.Properties.CorsConfiguration.AllowOrigin', /not a CORS setting/],
  ['a string', 'HttpApi, Properties: { CorsConfiguration: "*" }', 'Resources.X.Properties.CorsConfiguration', /true or a mapping/],
  ['REST origin unquoted', 'Api, Properties: { StageName: s, Cors: "*" }', 'Resources.X.Properties.Cors', /single quotes/],
  ['REST AllowMethods unquoted', `Api, Properties: { StageName: s, Cors: { AllowOrigin: "'*'", AllowMethods: GET } }`, 'Resources.X.Properties.Cors.AllowMethods', /single quotes/],
  ['REST AllowOrigin missing', `Api, Properties: { StageName: s, Cors: { AllowHeaders: "'x'" } }`, 'Resources.X.Properties.Cors.AllowOrigin', /required/],
];

for (const [what, api, location, message] of REJECTED) {
  test(`rejected: ${what}`, async () => {
    await assertTemplateError(loadWithApis(`  X: { Type: AWS::Serverless::${api} }\n`), `${location}: `, message);
  });
}
