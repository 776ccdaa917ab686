/**
 * `Ref`/`GetAtt` for the resource types Portico runs or that SAM generates around them: Lambda, API Gateway
 * (REST and HTTP/WebSocket), DynamoDB tables and IAM. Values follow the formats AWS documents for each type.
 */

import { apiIdFor } from './naming.js';
import { arn, type ResourceView, type TypeBehaviour } from './resource-view.js';

/** Lambda's `FunctionName` properties accept a name or an ARN. */
function functionArn(r: ResourceView, nameOrArn: unknown): string {
  const text = String(nameOrArn);
  return text.startsWith('arn:') ? text : arn(r, 'lambda', `function:${text}`);
}

const fnName = (r: ResourceView): string => r.name('FunctionName', 64);
const fnArn = (r: ResourceView): string => functionArn(r, fnName(r));

const lambdaFunction: TypeBehaviour = {
  ref: fnName,
  attrs: {
    Arn: fnArn,
    // SAM property references `!Ref Fn.Alias` / `!Ref Fn.Version` (AutoPublishAlias).
    Alias: (r) => `${fnArn(r)}:${String(r.prop('AutoPublishAlias') ?? 'live')}`,
    Version: (r) => `${fnArn(r)}:1`,
  },
};

const layerArn = (r: ResourceView): string => arn(r, 'lambda', `layer:${r.name('LayerName', 64)}:1`);

const api = (protocol: (r: ResourceView) => string): TypeBehaviour => ({
  ref: (r) => apiIdFor(r.env.stackName, r.logicalId),
  attrs: {
    RootResourceId: (r) => r.id('root', 10, 'lower'),
    ApiId: (r) => apiIdFor(r.env.stackName, r.logicalId),
    ApiEndpoint: (r) => `${protocol(r)}://${apiIdFor(r.env.stackName, r.logicalId)}.execute-api.${r.env.region}.${r.env.urlSuffix}`,
    // SAM property references `!Ref Api.Stage` / `!Ref Api.Deployment`.
    Stage: (r) => String(r.prop('StageName') ?? '$default'),
    Deployment: (r) => r.id('deployment', 6, 'lower'),
  },
});

const v2Protocol = (r: ResourceView): string => (String(r.prop('ProtocolType')) === 'WEBSOCKET' ? 'wss' : 'https');

/** Resources known by a short generated id (`abc123`), with the same id under a `…Id` attribute. */
const shortId = (attribute: string, length = 6): TypeBehaviour => ({
  ref: (r) => r.id(attribute, length, 'lower'),
  attrs: { [attribute]: (r) => r.id(attribute, length, 'lower') },
});

const tableName = (r: ResourceView): string => r.name('TableName', 255);
const tableArn = (r: ResourceView): string => arn(r, 'dynamodb', `table/${tableName(r)}`);
const dynamoTable: TypeBehaviour = {
  ref: tableName,
  attrs: {
    Arn: tableArn,
    StreamArn: (r) => `${tableArn(r)}/stream/2024-01-01T00:00:00.000`,
    TableId: (r) => r.id('table', 0, 'uuid'),
  },
};

const iamName = (prop: string) => (r: ResourceView): string => r.name(prop, 64);
const iamPath = (r: ResourceView): string => String(r.prop('Path') ?? '/');
const iamNamed = (prop: string, kind: string, idPrefix: string): TypeBehaviour => ({
  ref: iamName(prop),
  attrs: {
    Arn: (r) => arn(r, 'iam', `${kind}${iamPath(r)}${iamName(prop)(r)}`, 'global'),
    [`${kind === 'role' ? 'Role' : kind === 'user' ? 'User' : 'Group'}Id`]: (r) => `${idPrefix}${r.id('iam', 17, 'upper')}`,
  },
});

export const SERVED_TYPES: Readonly<Record<string, TypeBehaviour>> = {
  'AWS::Serverless::Function': lambdaFunction,
  'AWS::Lambda::Function': lambdaFunction,
  'AWS::Lambda::Version': {
    ref: (r) => `${functionArn(r, r.prop('FunctionName'))}:1`,
    attrs: { Version: () => '1' },
  },
  'AWS::Lambda::Alias': {
    ref: (r) => `${functionArn(r, r.prop('FunctionName'))}:${String(r.prop('Name'))}`,
    attrs: { AliasArn: (r) => `${functionArn(r, r.prop('FunctionName'))}:${String(r.prop('Name'))}` },
  },
  'AWS::Lambda::Permission': { ref: (r) => r.name(undefined, 100) },
  'AWS::Lambda::Url': {
    ref: (r) => functionArn(r, r.prop('TargetFunctionArn') ?? r.logicalId),
    attrs: {
      FunctionUrl: (r) => `https://${r.id('url', 32, 'lower')}.lambda-url.${r.env.region}.on.aws/`,
      FunctionArn: (r) => functionArn(r, r.prop('TargetFunctionArn') ?? r.logicalId),
    },
  },
  'AWS::Lambda::LayerVersion': { ref: layerArn, attrs: { LayerVersionArn: layerArn } },
  'AWS::Serverless::LayerVersion': { ref: layerArn, attrs: { LayerVersionArn: layerArn } },
  'AWS::Lambda::EventSourceMapping': { ref: (r) => r.id('esm', 0, 'uuid'), attrs: { Id: (r) => r.id('esm', 0, 'uuid') } },

  'AWS::Serverless::Api': api(() => 'https'),
  'AWS::ApiGateway::RestApi': api(() => 'https'),
  'AWS::Serverless::HttpApi': api(() => 'https'),
  'AWS::ApiGatewayV2::Api': api(v2Protocol),
  'AWS::ApiGateway::Stage': { ref: (r) => String(r.prop('StageName')) },
  'AWS::ApiGatewayV2::Stage': { ref: (r) => String(r.prop('StageName')) },
  'AWS::ApiGateway::Deployment': shortId('DeploymentId'),
  'AWS::ApiGatewayV2::Deployment': shortId('DeploymentId'),
  'AWS::ApiGateway::Resource': shortId('ResourceId'),
  'AWS::ApiGateway::RequestValidator': shortId('RequestValidatorId'),
  'AWS::ApiGateway::Authorizer': shortId('AuthorizerId'),
  'AWS::ApiGatewayV2::Authorizer': shortId('AuthorizerId', 7),
  'AWS::ApiGatewayV2::Route': shortId('RouteId', 7),
  'AWS::ApiGatewayV2::Integration': shortId('IntegrationResponseId', 7),
  'AWS::ApiGateway::ApiKey': shortId('APIKeyId', 10),
  'AWS::ApiGateway::UsagePlan': shortId('Id'),
  'AWS::ApiGateway::DomainName': {
    ref: (r) => String(r.prop('DomainName')),
    attrs: {
      DistributionDomainName: (r) => `d${r.id('cf', 13, 'lower')}.cloudfront.net`,
      DistributionHostedZoneId: () => 'Z2FDTNDATAQYW2',
      RegionalDomainName: (r) => `d-${r.id('regional', 10, 'lower')}.execute-api.${r.env.region}.${r.env.urlSuffix}`,
      RegionalHostedZoneId: (r) => `Z${r.id('zone', 13, 'upper')}`,
    },
  },

  'AWS::DynamoDB::Table': dynamoTable,
  'AWS::DynamoDB::GlobalTable': dynamoTable,
  'AWS::Serverless::SimpleTable': dynamoTable,

  'AWS::IAM::Role': iamNamed('RoleName', 'role', 'AROA'),
  'AWS::IAM::User': iamNamed('UserName', 'user', 'AIDA'),
  'AWS::IAM::Group': iamNamed('GroupName', 'group', 'AGPA'),
  'AWS::IAM::ManagedPolicy': {
    ref: (r) => arn(r, 'iam', `policy${iamPath(r)}${iamName('ManagedPolicyName')(r)}`, 'global'),
    attrs: { PolicyArn: (r) => arn(r, 'iam', `policy${iamPath(r)}${iamName('ManagedPolicyName')(r)}`, 'global') },
  },
  'AWS::IAM::InstanceProfile': {
    ref: iamName('InstanceProfileName'),
    attrs: { Arn: (r) => arn(r, 'iam', `instance-profile${iamPath(r)}${iamName('InstanceProfileName')(r)}`, 'global') },
  },
  'AWS::IAM::AccessKey': {
    ref: (r) => `AKIA${r.id('key', 16, 'upper')}`,
    attrs: { SecretAccessKey: (r) => r.id('secret', 40, 'lower') },
  },
};
