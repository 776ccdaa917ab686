// TagResource / UntagResource / ListTagsOfResource, DescribeLimits and DescribeEndpoints through the AWS SDK v3 and boto3.
import {
  DescribeEndpointsCommand,
  DescribeLimitsCommand,
  DescribeTableCommand,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasBoto3, rejection, run, useDataService, validation } from './harness.js';

const h = useDataService('portico-tags-');

test('tags on a table ARN: add, overwrite, list, remove, errors', async () => {
  await h.createTable('tagged');
  const arn = (await h.client().send(new DescribeTableCommand({ TableName: 'tagged' }))).Table!.TableArn!;
  await h.client().send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'a' }, { Key: 'env', Value: 'dev' }] }));
  await h.client().send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'b' }] }));
  const listed = await h.client().send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
  assert.deepEqual(listed.Tags, [{ Key: 'team', Value: 'b' }, { Key: 'env', Value: 'dev' }]);
  assert.equal(listed.NextToken, undefined);
  await h.client().send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team', 'absent'] }));
  assert.deepEqual((await h.client().send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'env', Value: 'dev' }]);

  const unknown = 'arn:aws:dynamodb:us-east-1:123456789012:table/nothere';
  const missing = await rejection(h.client().send(new ListTagsOfResourceCommand({ ResourceArn: unknown })));
  assert.equal(missing.name, 'ResourceNotFoundException');
  assert.equal(missing.message, `Requested resource not found: ResourcArn: ${unknown} not found`);
  await validation(h.client().send(new TagResourceCommand({ ResourceArn: 'arn:aws:dynamodb:us-east-1:123456789012:stream/x', Tags: [{ Key: 'a', Value: 'b' }] })), 'Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:us-east-1:123456789012:stream/x');
  await validation(h.client().send(new TagResourceCommand({ ResourceArn: arn, Tags: [] })), 'Atleast one Tag needs to be provided as Input.');
  await validation(h.client().send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: [] })), 'Atleast one Tag Key needs to be provided as Input.');
  const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  const tooMany = await rejection(h.client().send(new TagResourceCommand({ ResourceArn: arn, Tags: many })));
  assert.equal(tooMany.name, 'ValidationException');
});

test('DescribeLimits and DescribeEndpoints', async () => {
  const limits = await h.client().send(new DescribeLimitsCommand({}));
  assert.equal(limits.AccountMaxReadCapacityUnits, 80000);
  assert.equal(limits.TableMaxWriteCapacityUnits, 40000);
  const endpoints = await h.client().send(new DescribeEndpointsCommand({}));
  assert.deepEqual(endpoints.Endpoints, [{ Address: `127.0.0.1:${h.port}`, CachePeriodInMinutes: 1440 }]);
});

test('boto3: tag_resource and list_tags_of_resource', { skip: !hasBoto3 && 'python3 with boto3 is not installed' }, async () => {
  await h.createTable('tagged_boto');
  const script = `
import boto3, sys
db = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
arn = db.describe_table(TableName='tagged_boto')['Table']['TableArn']
db.tag_resource(ResourceArn=arn, Tags=[{'Key': 'owner', 'Value': 'me'}])
print(db.list_tags_of_resource(ResourceArn=arn)['Tags'])
print(db.describe_limits()['TableMaxReadCapacityUnits'])
`;
  const { stdout } = await run('python3', ['-c', script, h.url]);
  assert.deepEqual(stdout.trim().split('\n'), ["[{'Key': 'owner', 'Value': 'me'}]", '40000']);
});
