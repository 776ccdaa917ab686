/**
 * `Ref`/`GetAtt` for resource types with no local meaning that templates commonly reference: S3, SQS, SNS, Logs,
 * KMS, CloudWatch, ACM, Route 53, SSM, EventBridge, Step Functions, Secrets Manager, Cognito, Kinesis and nested
 * stacks. They never stop a deploy; they only have to produce values of the right shape.
 */

import { arn, type ResourceView, type TypeBehaviour } from './resource-view.js';

const bucketName = (r: ResourceView): string => (r.prop('BucketName') === undefined ? r.name(undefined, 63).toLowerCase() : r.name('BucketName'));

/** FIFO queues must be named `*.fifo`, so the generated name keeps the suffix. */
function queueName(r: ResourceView): string {
  if (r.prop('QueueName') !== undefined) return r.name('QueueName');
  const fifo = String(r.prop('FifoQueue')) === 'true';
  return fifo ? `${r.name(undefined, 75)}.fifo` : r.name(undefined, 80);
}
const queueUrl = (r: ResourceView): string => `https://sqs.${r.env.region}.${r.env.urlSuffix}/${r.env.accountId}/${queueName(r)}`;

const topicArn = (r: ResourceView): string => arn(r, 'sns', r.name('TopicName', 256));
const logGroupName = (r: ResourceView): string => r.name('LogGroupName', 512);
const keyId = (r: ResourceView): string => r.id('kms', 0, 'uuid');
const alarmName = (r: ResourceView): string => r.name('AlarmName', 255);
const ruleName = (r: ResourceView): string => r.name('Name', 64);
const stateMachineArn = (r: ResourceView): string => arn(r, 'states', `stateMachine:${r.name('StateMachineName', 80)}`);
const secretArn = (r: ResourceView): string => arn(r, 'secretsmanager', `secret:${r.name('Name', 256)}-${r.id('secret', 6, 'lower')}`);
const userPoolId = (r: ResourceView): string => `${r.env.region}_${r.id('pool', 9, 'upper')}`;
const streamArn = (r: ResourceView): string => arn(r, 'kinesis', `stream/${r.name('Name', 128)}`);
const stackArn = (r: ResourceView): string => arn(r, 'cloudformation', `stack/${r.name(undefined, 128)}/${r.id('stack', 0, 'uuid')}`);

export const OTHER_TYPES: Readonly<Record<string, TypeBehaviour>> = {
  'AWS::S3::Bucket': {
    ref: bucketName,
    attrs: {
      Arn: (r) => arn(r, 's3', bucketName(r), 's3'),
      DomainName: (r) => `${bucketName(r)}.s3.${r.env.urlSuffix}`,
      RegionalDomainName: (r) => `${bucketName(r)}.s3.${r.env.region}.${r.env.urlSuffix}`,
      DualStackDomainName: (r) => `${bucketName(r)}.s3.dualstack.${r.env.region}.${r.env.urlSuffix}`,
      WebsiteURL: (r) => `http://${bucketName(r)}.s3-website-${r.env.region}.${r.env.urlSuffix}`,
    },
  },
  'AWS::SQS::Queue': {
    ref: queueUrl,
    attrs: { Arn: (r) => arn(r, 'sqs', queueName(r)), QueueName: queueName, QueueUrl: queueUrl },
  },
  'AWS::SNS::Topic': { ref: topicArn, attrs: { TopicArn: topicArn, TopicName: (r) => r.name('TopicName', 256) } },
  'AWS::SNS::Subscription': { ref: (r) => `${String(r.prop('TopicArn'))}:${r.id('sub', 0, 'uuid')}` },
  'AWS::Logs::LogGroup': {
    ref: logGroupName,
    attrs: { Arn: (r) => arn(r, 'logs', `log-group:${logGroupName(r)}:*`) },
  },
  'AWS::KMS::Key': { ref: keyId, attrs: { Arn: (r) => arn(r, 'kms', `key/${keyId(r)}`), KeyId: keyId } },
  'AWS::KMS::Alias': { ref: (r) => r.name('AliasName') },
  'AWS::CloudWatch::Alarm': { ref: alarmName, attrs: { Arn: (r) => arn(r, 'cloudwatch', `alarm:${alarmName(r)}`) } },
  'AWS::CloudWatch::Dashboard': { ref: (r) => r.name('DashboardName', 255) },
  'AWS::CertificateManager::Certificate': { ref: (r) => arn(r, 'acm', `certificate/${r.id('cert', 0, 'uuid')}`) },
  'AWS::Route53::HostedZone': {
    ref: (r) => `Z${r.id('zone', 13, 'upper')}`,
    attrs: {
      Id: (r) => `Z${r.id('zone', 13, 'upper')}`,
      NameServers: () => ['ns-101.awsdns-11.com', 'ns-202.awsdns-22.net', 'ns-303.awsdns-33.org', 'ns-404.awsdns-44.co.uk'],
    },
  },
  'AWS::Route53::RecordSet': { ref: (r) => r.name('Name', 255) },
  'AWS::SSM::Parameter': {
    ref: (r) => (r.prop('Name') === undefined ? `CFN-${r.logicalId}-${r.id('ssm', 12, 'upper')}` : r.name('Name')),
    attrs: { Type: (r) => String(r.prop('Type') ?? 'String'), Value: (r) => r.prop('Value') },
  },
  'AWS::Events::Rule': { ref: ruleName, attrs: { Arn: (r) => arn(r, 'events', `rule/${ruleName(r)}`) } },
  'AWS::Events::EventBus': {
    ref: (r) => r.name('Name', 256),
    attrs: { Arn: (r) => arn(r, 'events', `event-bus/${r.name('Name', 256)}`), Name: (r) => r.name('Name', 256) },
  },
  'AWS::StepFunctions::StateMachine': { ref: stateMachineArn, attrs: { Arn: stateMachineArn, Name: (r) => r.name('StateMachineName', 80) } },
  'AWS::Serverless::StateMachine': { ref: stateMachineArn, attrs: { Arn: stateMachineArn, Name: (r) => r.name('Name', 80) } },
  'AWS::SecretsManager::Secret': { ref: secretArn, attrs: { Id: secretArn } },
  'AWS::Cognito::UserPool': {
    ref: userPoolId,
    attrs: {
      Arn: (r) => arn(r, 'cognito-idp', `userpool/${userPoolId(r)}`),
      ProviderName: (r) => `cognito-idp.${r.env.region}.${r.env.urlSuffix}/${userPoolId(r)}`,
      ProviderURL: (r) => `https://cognito-idp.${r.env.region}.${r.env.urlSuffix}/${userPoolId(r)}`,
      UserPoolId: userPoolId,
    },
  },
  'AWS::Cognito::UserPoolClient': {
    ref: (r) => r.id('client', 26, 'lower'),
    attrs: { ClientId: (r) => r.id('client', 26, 'lower'), ClientSecret: (r) => r.id('clientsecret', 51, 'lower') },
  },
  'AWS::Cognito::UserPoolDomain': { ref: (r) => r.name('Domain') },
  'AWS::Cognito::IdentityPool': { ref: (r) => `${r.env.region}:${r.id('identity', 0, 'uuid')}` },
  'AWS::Kinesis::Stream': { ref: (r) => r.name('Name', 128), attrs: { Arn: streamArn } },
  'AWS::CloudFormation::Stack': { ref: stackArn },
  'AWS::Serverless::Application': { ref: stackArn },
};
