import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppModel, LoadOptions } from '../../../src/app/model.js';
import { loadSamApp } from '../../../src/app/sam/load.js';
import { assertTemplateError, copyFixture, findFunction } from './sam-helpers.js';

const imports = { 'shared-vpc-id': 'vpc-123', 'dev-SubnetId': 'subnet-dev', 'prod-SubnetId': 'subnet-prod' };
const load = async (options: LoadOptions = {}): Promise<AppModel> =>
  loadSamApp(await copyFixture('intrinsics'), { importValues: imports, ...options });

test('intrinsics: pseudo parameters', async () => {
  const { outputs } = await load();
  assert.equal(outputs.Region, 'us-east-1');
  assert.equal(outputs.Account, '123456789012');
  assert.equal(outputs.Stack, 'intrinsics');
  assert.match(outputs.StackId!, /^arn:aws:cloudformation:us-east-1:123456789012:stack\/intrinsics\/[0-9a-f-]{36}$/);
  assert.equal(outputs.Partition, 'aws');
  assert.equal(outputs.UrlSuffix, 'amazonaws.com');
  assert.equal(outputs.Notifications, '');
});

test('intrinsics: Fn::Sub string form, variable-map form, ${!Literal} escape and ${Res.Attr}', async () => {
  const { outputs } = await load();
  assert.match(outputs.SubString!, /^arn:aws:s3:::intrinsics-uploads-[a-z0-9]{12}\/dev\/\*$/);
  assert.equal(outputs.SubWithVars, 'dev-7-intrinsics-data-dev');
  assert.equal(outputs.SubEscape, '${Literal}-dev-${stageVariables.fn}');
  assert.match(outputs.SubGetAtt!, /^arn:aws:dynamodb:us-east-1:123456789012:table\/intrinsics-data-dev\|arn:aws:iam::123456789012:role\/intrinsics-WorkerRole-[A-Z0-9]{12}$/);
});

test('intrinsics: Join, Select, Split, list parameters, FindInMap, Base64, GetAZs, Cidr, Length', async () => {
  const { outputs } = await load();
  assert.equal(outputs.Joined, 'subnet-a,subnet-b,subnet-c');
  assert.equal(outputs.JoinedLiteral, 'adevc1');
  assert.equal(outputs.Selected, 'subnet-b');
  assert.equal(outputs.SelectedSplit, 'c');
  assert.equal(outputs.Ports, '80:443');
  assert.equal(outputs.RoundTrip, 'subnet-a');
  assert.equal(outputs.FromMap, 'ami-0123');
  assert.equal(outputs.MapKeepsLeadingZero, '012345678901', 'YAML numbers keep their spelling');
  assert.equal(outputs.Encoded, Buffer.from('hello world').toString('base64'));
  assert.equal(outputs.EncodedSub, Buffer.from('#!/bin/bash dev').toString('base64'));
  assert.equal(outputs.Zones, 'us-east-1a,us-east-1b,us-east-1c');
  assert.equal(outputs.ZoneOne, 'us-east-1a');
  assert.equal(outputs.Cidrs, '10.0.0.0/24 10.0.1.0/24 10.0.2.0/24');
  assert.equal(outputs.Count, '3');
});

test('intrinsics: FindInMap follows the region option', async () => {
  const { outputs } = await load({ region: 'eu-west-1' });
  assert.equal(outputs.FromMap, 'ami-0eu');
  assert.equal(outputs.Zones, 'eu-west-1a,eu-west-1b,eu-west-1c');
});

test('intrinsics: Fn::ImportValue from importValues, string and Sub forms', async () => {
  const { outputs } = await load();
  assert.equal(outputs.Imported, 'vpc-123');
  assert.equal(outputs.ImportedSub, 'subnet-dev');
  assert.equal((await load({ parameterOverrides: { Env: 'prod' } })).outputs.ImportedSub, 'subnet-prod');
});

test('intrinsics: a missing import fails naming the export and the property', async () => {
  await assertTemplateError(loadSamApp(await copyFixture('intrinsics'), { importValues: { 'dev-SubnetId': 'x' } }), 'Outputs.Imported.Value', '"shared-vpc-id"');
});

test('intrinsics: conditions with Equals, Not, And, Or, Condition, and number/string equality', async () => {
  const dev = await load();
  assert.equal(dev.outputs.Conditions, 'dev,not-prod,not-prod,and,or,east');
  assert.equal(dev.outputs.NumberEquals, 'three');
  const prod = await load({ parameterOverrides: { Env: 'prod', Threshold: '4' }, region: 'eu-west-1' });
  assert.equal(prod.outputs.Conditions, 'not-dev,prod,prod,not-and,or,elsewhere');
  assert.equal(prod.outputs.NumberEquals, 'other');
});

test('intrinsics: Condition on a resource and on an output', async () => {
  assert.ok(!('ProdOnly' in (await load()).outputs));
  assert.match((await load({ parameterOverrides: { Env: 'prod' } })).outputs.ProdOnly!, /^intrinsics-ProdOnlyTable-[A-Z0-9]{12}$/);
});

test('intrinsics: Fn::If with AWS::NoValue removes the key; other branch keeps it', async () => {
  const off = findFunction(await load(), 'Worker');
  assert.ok(!('TRACE_HEADER' in off.environment));
  assert.equal(off.environment.MODE, 'development');
  const on = findFunction(await load({ parameterOverrides: { UseTracing: 'true', Env: 'prod' } }), 'Worker');
  assert.equal(on.environment.TRACE_HEADER, 'x-amzn-trace-id');
  assert.equal(on.environment.MODE, 'production');
});

test('intrinsics: AWS::NoValue inside a list removes the item', async () => {
  assert.equal((await load()).outputs.NoValueInList, 'a-c');
  assert.equal((await load({ parameterOverrides: { UseTracing: 'true' } })).outputs.NoValueInList, 'a-b-c');
});

test('intrinsics: InlineCode is written under the Handler module name, with a note that AWS uses index.*', async () => {
  const model = await load();
  const fn = findFunction(model, 'Worker');
  assert.equal(fn.codeDir, join(model.appDir, '.portico', 'inline', 'Worker'));
  assert.equal(await readFile(join(fn.codeDir, 'worker.js'), 'utf8'), 'exports.handler = async () => ({ ok: true });\n');
  assert.ok(model.warnings.some((w) => w.startsWith('Worker:') && w.includes('index.')));
});

test('intrinsics: Ref and GetAtt of function, table, stream and parameters inside function environment', async () => {
  const model = await load();
  const fn = findFunction(model, 'Worker');
  assert.equal(fn.environment.TABLE, 'intrinsics-data-dev');
  assert.equal(fn.environment.TABLE_ARN, 'arn:aws:dynamodb:us-east-1:123456789012:table/intrinsics-data-dev');
  assert.equal(fn.environment.STREAM_ARN, 'arn:aws:dynamodb:us-east-1:123456789012:table/intrinsics-data-dev/stream/2024-01-01T00:00:00.000');
  assert.equal(fn.environment.THRESHOLD, '3');
  assert.equal(fn.environment.PASSWORD, '/app/db-password', 'SSM parameter types use their Default');
  assert.equal(fn.environment.BUCKET, model.outputs.BucketName);
  assert.equal(model.outputs.WorkerArn, fn.arn);
  assert.equal(model.outputs.WorkerName, fn.name);
  assert.ok(model.warnings.some((w) => w.includes('DbPassword')));
});

test('intrinsics: Ref/GetAtt for resource types with no local meaning', async () => {
  const { outputs } = await load();
  assert.equal(outputs.TableName, 'intrinsics-data-dev');
  assert.match(outputs.GeneratedTableName!, /^intrinsics-GeneratedTable-[A-Z0-9]{12}$/);
  assert.match(outputs.BucketName!, /^intrinsics-uploads-[a-z0-9]{12}$/, 'bucket names are lower case');
  assert.equal(outputs.BucketArn, `arn:aws:s3:::${outputs.BucketName}`);
  assert.equal(outputs.BucketDomain, `${outputs.BucketName}.s3.us-east-1.amazonaws.com`);
  assert.equal(outputs.QueueUrl, 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs');
  assert.equal(outputs.QueueArn, 'arn:aws:sqs:us-east-1:123456789012:jobs');
  assert.match(outputs.TopicArn!, /^arn:aws:sns:us-east-1:123456789012:intrinsics-Alerts-[A-Z0-9]{12}$/);
  assert.equal(outputs.LogGroup, `/aws/lambda/${outputs.WorkerName}`);
  assert.equal(outputs.LogGroupArn, `arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/${outputs.WorkerName}:*`);
  assert.match(outputs.KeyId!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(outputs.KeyArn, `arn:aws:kms:us-east-1:123456789012:key/${outputs.KeyId}`);
  assert.equal(outputs.RoleArn, 'arn:aws:iam::123456789012:role/worker-role');
  assert.match(outputs.ImplicitRoleArn!, /^arn:aws:iam::123456789012:role\/intrinsics-WorkerRole-[A-Z0-9]{12}$/);
  assert.equal(outputs.SettingName, '/app/setting');
  assert.equal(outputs.SettingValue, 'threshold=3');
  assert.equal(outputs.AlarmArn, 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:worker-errors');
  assert.match(outputs.Permission!, /^intrinsics-InvokePermission-[A-Z0-9]{12}$/);
  assert.match(outputs.CertArn!, /^arn:aws:acm:us-east-1:123456789012:certificate\/[0-9a-f-]{36}$/);
  assert.match(outputs.ZoneId!, /^Z[A-Z0-9]{13}$/);
  assert.equal(outputs.NameServers!.split(',').length, 4);
});

test('intrinsics: unknown types and attributes resolve to plausible strings', async () => {
  const { outputs } = await load();
  assert.match(outputs.VpcId!, /^intrinsics-Network-[A-Z0-9]{12}$/);
  assert.equal(outputs.VpcCidr, '10.0.0.0/16', 'an attribute named like a property echoes it');
  assert.match(outputs.CustomAttr!, /^intrinsics-Thing-[A-Z0-9]{12}-endpoint-address$/);
});
