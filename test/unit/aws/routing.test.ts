import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allOf, anyOf, byPathPrefix, byScopeService, byTargetPrefix, type RouteProbe } from '../../../src/aws/routing.js';

function probe(fields: Partial<RouteProbe>): RouteProbe {
  return { method: 'POST', rawPath: '/', target: undefined, scope: undefined, headers: {}, ...fields };
}

const scope = (service: string) => ({ accessKeyId: 'test', date: '20240501', region: 'us-east-1', service, terminator: 'aws4_request' });

test('target prefixes match JSON-protocol calls only', () => {
  const dynamo = byTargetPrefix('DynamoDB_20120810.');
  assert.equal(dynamo(probe({ target: 'DynamoDB_20120810.GetItem' })), true);
  assert.equal(dynamo(probe({ target: 'DynamoDBStreams_20120810.GetRecords' })), false);
  assert.equal(dynamo(probe({})), false);
});

test('path prefixes match whole segments and ignore requests that name a target', () => {
  const functions = byPathPrefix('/2015-03-31/functions/');
  assert.equal(functions(probe({ rawPath: '/2015-03-31/functions' })), true);
  assert.equal(functions(probe({ rawPath: '/2015-03-31/functions/f%3A1/invocations' })), true);
  assert.equal(functions(probe({ rawPath: '/2015-03-31/functionsX' })), false);
  assert.equal(functions(probe({ rawPath: '/2015-03-31/functions', target: 'X.Y' })), false);
});

test('the credential scope picks query-protocol services, and matchers combine', () => {
  const sts = byScopeService('sts');
  assert.equal(sts(probe({ scope: scope('sts') })), true);
  assert.equal(sts(probe({ scope: scope('sqs') })), false);
  assert.equal(sts(probe({})), false);
  const both = allOf(byPathPrefix('/'), byScopeService('sts'));
  assert.equal(both(probe({ scope: scope('sts') })), true);
  assert.equal(both(probe({ scope: scope('sqs') })), false);
  assert.equal(anyOf(byScopeService('sqs'), byScopeService('sts'))(probe({ scope: scope('sts') })), true);
});
