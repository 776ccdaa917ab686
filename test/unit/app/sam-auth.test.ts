/**
 * Authorizers in the app model: Api `Auth.Authorizers` (TOKEN by default, REQUEST, Cognito) and HttpApi (JWT,
 * Lambda), `DefaultAuthorizer` applied to events without their own `Auth`, `NONE`, scopes, Globals, and errors.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FUNCTION_EVENTS_HEAD, assertTemplateError, findApi, loadTemplate, samTemplate } from './sam-helpers.js';

const FN = `  AuthFn:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: src/, Handler: app.handler, Runtime: nodejs20.x }
`;

function withEvents(events: string, api: string): string {
  return samTemplate(`${FN}${api}${FUNCTION_EVENTS_HEAD}${events}`);
}

const REST_API = `  Rest:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
      Auth:
        DefaultAuthorizer: Tok
        Authorizers:
          Tok: { FunctionArn: !GetAtt AuthFn.Arn }
          Req:
            FunctionArn: !GetAtt AuthFn.Arn
            FunctionPayloadType: REQUEST
            Identity: { Headers: [X-A], QueryStrings: [q], StageVariables: [s], Context: [identity.sourceIp], ReauthorizeEvery: 0 }
          Pool:
            UserPoolArn: arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc
            Identity: { Header: X-Token, ReauthorizeEvery: 60 }
`;

test('Api authorizers: TOKEN defaults, REQUEST identity sources in order, Cognito pools; default and NONE per event', async () => {
  const model = await loadTemplate(withEvents(`        A: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /a, Method: get } }
        B: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /b, Method: get, Auth: { Authorizer: NONE } } }
        C: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /c, Method: get, Auth: { Authorizer: Pool, AuthorizationScopes: [x/read] } } }
        D: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /d, Method: get, Auth: { Authorizer: Req } } }
`, REST_API));
  const api = findApi(model, 'Rest');
  assert.deepEqual(api.authorizers?.Tok, {
    kind: 'REST_LAMBDA', name: 'Tok', type: 'TOKEN', functionLogicalId: 'AuthFn',
    identitySources: [{ from: 'header', name: 'Authorization' }], validationExpression: undefined, ttlSeconds: 300,
  });
  assert.deepEqual(api.authorizers?.Req?.kind === 'REST_LAMBDA' && api.authorizers.Req.identitySources, [
    { from: 'header', name: 'X-A' }, { from: 'query', name: 'q' }, { from: 'stageVariable', name: 's' }, { from: 'context', name: 'identity.sourceIp' },
  ]);
  assert.deepEqual(api.authorizers?.Pool, {
    kind: 'COGNITO', name: 'Pool', userPools: [{ region: 'eu-west-1', userPoolId: 'eu-west-1_abc' }],
    identitySources: [{ from: 'header', name: 'X-Token' }], validationExpression: undefined, ttlSeconds: 60,
  });
  const auth = (path: string) => api.routes.find((r) => r.path === path)?.auth;
  assert.deepEqual(auth('/a'), { authorizer: 'Tok', scopes: [] });
  assert.equal(auth('/b'), undefined);
  assert.deepEqual(auth('/c'), { authorizer: 'Pool', scopes: ['x/read'] });
  assert.deepEqual(auth('/d'), { authorizer: 'Req', scopes: [] });
});

test('HttpApi authorizers: JWT (default identity source, authorizer scopes as the default) and Lambda', async () => {
  const model = await loadTemplate(withEvents(`        A: { Type: HttpApi, Properties: { ApiId: !Ref Http, Path: /a, Method: get } }
        B: { Type: HttpApi, Properties: { ApiId: !Ref Http, Path: /b, Method: get, Auth: { Authorizer: Fn, AuthorizationScopes: [] } } }
`, `  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Jwt
        Authorizers:
          Jwt:
            AuthorizationScopes: [read]
            JwtConfiguration: { issuer: https://idp.example, audience: [app] }
          Fn:
            FunctionArn: !GetAtt AuthFn.Arn
            AuthorizerPayloadFormatVersion: 2.0
            EnableSimpleResponses: true
            Identity: { Headers: [Authorization], ReauthorizeEvery: 30 }
`));
  const api = findApi(model, 'Http');
  assert.deepEqual(api.authorizers?.Jwt, {
    kind: 'JWT', name: 'Jwt', issuer: 'https://idp.example', audience: ['app'], identitySources: [{ from: 'header', name: 'Authorization' }],
  });
  assert.deepEqual(api.authorizers?.Fn, {
    kind: 'HTTP_LAMBDA', name: 'Fn', functionLogicalId: 'AuthFn', payloadFormatVersion: '2.0', enableSimpleResponses: true,
    identitySources: [{ from: 'header', name: 'Authorization' }], ttlSeconds: 30,
  });
  assert.deepEqual(api.routes.find((r) => r.path === '/a')?.auth, { authorizer: 'Jwt', scopes: ['read'] });
  assert.deepEqual(api.routes.find((r) => r.path === '/b')?.auth, { authorizer: 'Fn', scopes: [] });
});

test('Globals.Api.Auth guards the implicit API', async () => {
  const template = samTemplate(`${FN}${FUNCTION_EVENTS_HEAD}        A: { Type: Api, Properties: { Path: /a, Method: get } }
`, `Globals:
  Api:
    Auth:
      DefaultAuthorizer: Tok
      Authorizers: { Tok: { FunctionArn: !GetAtt AuthFn.Arn, Identity: { ReauthorizeEvery: 0 } } }
`);
  const api = findApi(await loadTemplate(template), 'ServerlessRestApi');
  assert.deepEqual(api.routes[0]?.auth, { authorizer: 'Tok', scopes: [] });
});

test('AWS_IAM: an event or DefaultAuthorizer (REST and HTTP APIs) guards with the AWS_IAM authorizer, listed only when used', async () => {
  const model = await loadTemplate(withEvents(`        A: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /a, Method: get, Auth: { Authorizer: AWS_IAM, AuthorizationScopes: [x] } } }
        B: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /b, Method: get } }
        H: { Type: HttpApi, Properties: { ApiId: !Ref Http, Path: /h, Method: get } }
        O: { Type: HttpApi, Properties: { ApiId: !Ref Http, Path: /o, Method: get, Auth: { Authorizer: NONE } } }
`, `${REST_API}  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth: { EnableIamAuthorizer: true, DefaultAuthorizer: AWS_IAM }
`));
  const rest = findApi(model, 'Rest');
  assert.deepEqual(rest.routes.find((r) => r.path === '/a')?.auth, { authorizer: 'AWS_IAM', scopes: [] });
  assert.deepEqual(rest.authorizers?.AWS_IAM, { kind: 'AWS_IAM', name: 'AWS_IAM' });
  const http = findApi(model, 'Http');
  assert.deepEqual(http.routes.find((r) => r.path === '/h')?.auth, { authorizer: 'AWS_IAM', scopes: [] });
  assert.equal(http.routes.find((r) => r.path === '/o')?.auth, undefined);
  assert.ok(!model.warnings.some((w) => w.includes('AWS_IAM')), 'no notice: AWS_IAM is enforced');
  const unused = await loadTemplate(withEvents(`        B: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /b, Method: get } }\n`, REST_API));
  assert.equal(findApi(unused, 'Rest').authorizers?.AWS_IAM, undefined, 'not listed when no route uses it');
});

test('AWS_IAM from OpenAPI: x-amazon-apigateway-auth and awsSigv4 security schemes', async () => {
  const uri = "!Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AuthFn.Arn}/invocations'";
  const template = samTemplate(`${FN}  Rest:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
      DefinitionBody:
        swagger: '2.0'
        securityDefinitions:
          sigv4: { type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4 }
        paths:
          /a:
            get:
              x-amazon-apigateway-auth: { type: AWS_IAM }
              x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: ${uri} }
          /b:
            get:
              security: [{ sigv4: [] }]
              x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: ${uri} }
`);
  const api = findApi(await loadTemplate(template), 'Rest');
  assert.deepEqual(api.routes.find((r) => r.path === '/a')?.auth, { authorizer: 'AWS_IAM', scopes: [] });
  assert.deepEqual(api.routes.find((r) => r.path === '/b')?.auth, { authorizer: 'sigv4', scopes: [] });
  assert.deepEqual(api.authorizers?.sigv4, { kind: 'AWS_IAM', name: 'sigv4' });
  assert.equal(api.authorizers?.AWS_IAM?.kind, 'AWS_IAM');
});

test('errors name the property: unknown authorizer, bad payload type, TTL range, cached REQUEST without sources, bad pool ARN', async () => {
  const api = (authorizers: string, extra = ''): string => `  Rest:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
      Auth:
${extra}        Authorizers:
${authorizers}`;
  const event = `        A: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /a, Method: get } }\n`;
  await assertTemplateError(loadTemplate(withEvents(`        A: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /a, Method: get, Auth: { Authorizer: Nope } } }\n`, api('          T: { FunctionArn: !GetAtt AuthFn.Arn }\n'))), 'Auth.Authorizer', 'Nope');
  await assertTemplateError(loadTemplate(withEvents(event, api('          T: { FunctionArn: !GetAtt AuthFn.Arn }\n', '        DefaultAuthorizer: Other\n'))), 'DefaultAuthorizer');
  await assertTemplateError(loadTemplate(withEvents(event, api('          T: { FunctionArn: !GetAtt AuthFn.Arn, FunctionPayloadType: COOKIE }\n'))), 'FunctionPayloadType', 'TOKEN or REQUEST');
  await assertTemplateError(loadTemplate(withEvents(event, api('          T: { FunctionArn: !GetAtt AuthFn.Arn, Identity: { ReauthorizeEvery: 4000 } }\n'))), 'ReauthorizeEvery', '3600');
  await assertTemplateError(loadTemplate(withEvents(event, api('          T: { FunctionArn: !GetAtt AuthFn.Arn, FunctionPayloadType: REQUEST }\n'))), 'Identity', 'identity source');
  await assertTemplateError(loadTemplate(withEvents(event, api('          P: { UserPoolArn: not-an-arn }\n'))), 'UserPoolArn', 'user pool ARN');
});

test('OpenAPI DefinitionBody: x-amazon-apigateway-authorizer schemes and operation security guard body routes', async () => {
  const template = samTemplate(`${FN}  Rest:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
      DefinitionBody:
        swagger: '2.0'
        securityDefinitions:
          Lambda:
            type: apiKey
            name: X-Token
            in: header
            x-amazon-apigateway-authtype: custom
            x-amazon-apigateway-authorizer:
              type: token
              authorizerUri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${AuthFn.Arn}/invocations
              identitySource: method.request.header.X-Token
              authorizerResultTtlInSeconds: 60
          Pool:
            type: apiKey
            name: Authorization
            in: header
            x-amazon-apigateway-authorizer:
              type: cognito_user_pools
              providerARNs: [arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_x]
        paths:
          /a:
            get:
              security: [{ Lambda: [] }]
              x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: !Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${AuthFn.Arn}/invocations' }
          /b:
            get:
              security: [{ Pool: [read] }]
              x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: !Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${AuthFn.Arn}/invocations' }
          /c:
            get:
              x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: !Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${AuthFn.Arn}/invocations' }
`);
  const api = findApi(await loadTemplate(template), 'Rest');
  assert.deepEqual(api.authorizers?.Lambda, {
    kind: 'REST_LAMBDA', name: 'Lambda', type: 'TOKEN', functionLogicalId: 'AuthFn',
    identitySources: [{ from: 'header', name: 'X-Token' }], validationExpression: undefined, ttlSeconds: 60,
  });
  assert.equal(api.authorizers?.Pool?.kind, 'COGNITO');
  const auth = (path: string) => api.routes.find((r) => r.path === path)?.auth;
  assert.deepEqual(auth('/a'), { authorizer: 'Lambda', scopes: [] });
  assert.deepEqual(auth('/b'), { authorizer: 'Pool', scopes: ['read'] });
  assert.equal(auth('/c'), undefined);
});

test('AddDefaultAuthorizerToCorsPreflight: the default authorizer guards the CORS OPTIONS methods unless false', async () => {
  const api = (flag: string): string => REST_API.replace('      StageName: Prod\n', `      StageName: Prod\n      Cors: "'*'"\n`).replace('        DefaultAuthorizer: Tok\n', `        DefaultAuthorizer: Tok\n${flag}`);
  const event = `        A: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /a, Method: get } }\n`;
  assert.deepEqual(findApi(await loadTemplate(withEvents(event, api(''))), 'Rest').corsPreflightAuth, { authorizer: 'Tok', scopes: [] });
  assert.equal(findApi(await loadTemplate(withEvents(event, api('        AddDefaultAuthorizerToCorsPreflight: false\n'))), 'Rest').corsPreflightAuth, undefined);
  assert.equal(findApi(await loadTemplate(withEvents(event, REST_API)), 'Rest').corsPreflightAuth, undefined, 'no Cors, no OPTIONS methods');
});

test('AddApiKeyRequiredToCorsPreflight: with Cors and Auth.ApiKeyRequired the OPTIONS methods require the key unless false', async () => {
  const api = (auth: string, cors = `      Cors: "'*'"\n`): string => `  Rest:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
${cors}      Auth: { ${auth} }
`;
  const event = `        A: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /a, Method: get } }\n`;
  const flag = async (auth: string, cors?: string) => findApi(await loadTemplate(withEvents(event, api(auth, cors))), 'Rest').corsPreflightApiKeyRequired;
  assert.equal(await flag('ApiKeyRequired: true'), true);
  assert.equal(await flag('ApiKeyRequired: true, AddApiKeyRequiredToCorsPreflight: false'), undefined);
  assert.equal(await flag('ApiKeyRequired: false'), undefined);
  assert.equal(await flag('ApiKeyRequired: true', ''), undefined, 'no Cors, no OPTIONS methods');
  await assertTemplateError(loadTemplate(withEvents(event, api('ApiKeyRequired: true, AddApiKeyRequiredToCorsPreflight: maybe'))), 'AddApiKeyRequiredToCorsPreflight');
});

test('a Lambda authorizer whose FunctionArn names no function of the template loads with a notice', async () => {
  const model = await loadTemplate(withEvents(`        A: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /a, Method: get } }\n`, `  Rest:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
      Auth:
        DefaultAuthorizer: Ext
        Authorizers: { Ext: { FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:elsewhere' } }
`));
  assert.ok(model.warnings.some((w) => w.includes('authorizer Ext names no function')), model.warnings.join('\n'));
});
