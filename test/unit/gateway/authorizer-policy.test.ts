/**
 * Evaluation of a Lambda authorizer's IAM policy against method ARNs (`*` and `?` wildcards, explicit Deny wins,
 * implicit deny, malformed documents), and the authorizer result cache (TTL, 0 disables, oldest evicted first).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluatePolicy, wildcardMatch } from '../../../src/gateway/policies/authorizers/policy-document.js';
import { InMemoryAuthorizerResultCache, cacheKey } from '../../../src/gateway/policies/authorizers/result-cache.js';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/Prod/GET/items/7';
const doc = (...statements: unknown[]): unknown => ({ Version: '2012-10-17', Statement: statements });
const allow = (resource: unknown, action: unknown = 'execute-api:Invoke'): unknown => ({ Effect: 'Allow', Action: action, Resource: resource });
const deny = (resource: unknown): unknown => ({ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: resource });

test('wildcards: * spans any characters (slashes too), ? exactly one', () => {
  assert.ok(wildcardMatch('arn:aws:execute-api:*:*:abc123/*', ARN));
  assert.ok(wildcardMatch('arn:aws:execute-api:us-east-1:123456789012:abc123/Prod/GET/items/?', ARN));
  assert.ok(wildcardMatch('*', ARN));
  assert.ok(wildcardMatch('arn:*/items/*', ARN));
  assert.ok(!wildcardMatch('arn:aws:execute-api:us-east-1:123456789012:abc123/Prod/GET/items/??', ARN));
  assert.ok(!wildcardMatch('arn:aws:execute-api:us-east-1:123456789012:abc123/Prod/POST/*', ARN));
  assert.ok(!wildcardMatch('arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/items/7', ARN), 'case-sensitive');
  assert.ok(wildcardMatch('a*b*c', 'a-b-b-c'));
  assert.ok(!wildcardMatch('a*b*c', 'a-b-b-'));
});

test('an Allow matching the ARN allows; one for another resource is an implicit deny', () => {
  assert.equal(evaluatePolicy(doc(allow(ARN)), ARN), 'allow');
  assert.equal(evaluatePolicy(doc(allow('arn:aws:execute-api:*:*:abc123/Prod/*')), ARN), 'allow');
  assert.equal(evaluatePolicy(doc(allow('arn:aws:execute-api:*:*:abc123/Prod/GET/items/8')), ARN), 'implicit-deny');
  assert.equal(evaluatePolicy(doc(), ARN), 'implicit-deny');
});

test('a matching Deny wins over any Allow, whatever the order', () => {
  assert.equal(evaluatePolicy(doc(allow('*'), deny(ARN)), ARN), 'deny');
  assert.equal(evaluatePolicy(doc(deny('*'), allow(ARN)), ARN), 'deny');
  assert.equal(evaluatePolicy(doc(allow('*'), deny('arn:*/POST/*')), ARN), 'allow');
});

test('actions: execute-api:Invoke, execute-api:*, * and lists; other actions do not apply', () => {
  assert.equal(evaluatePolicy(doc(allow(ARN, 'execute-api:*')), ARN), 'allow');
  assert.equal(evaluatePolicy(doc(allow(ARN, '*')), ARN), 'allow');
  assert.equal(evaluatePolicy(doc(allow(ARN, ['s3:GetObject', 'execute-api:invoke'])), ARN), 'allow');
  assert.equal(evaluatePolicy(doc(allow(ARN, 's3:GetObject')), ARN), 'implicit-deny');
  assert.equal(evaluatePolicy(doc(allow([`${ARN}x`, ARN])), ARN), 'allow');
});

test('a single Statement object is accepted, as IAM accepts it', () => {
  assert.equal(evaluatePolicy({ Version: '2012-10-17', Statement: allow(ARN) }, ARN), 'allow');
});

test('malformed documents are undefined (API Gateway answers 500)', () => {
  for (const bad of [null, 'Allow', [], {}, { Statement: 'x' }, doc({ Effect: 'allow', Action: 'execute-api:Invoke', Resource: '*' }), doc({ Effect: 'Allow', Resource: '*' }), doc(allow(42)), doc('x')]) {
    assert.equal(evaluatePolicy(bad, ARN), undefined, JSON.stringify(bad));
  }
});

test('result cache: entries live for their TTL; a TTL of 0 stores nothing; past the limit the oldest goes', () => {
  let now = 0;
  const cache = new InMemoryAuthorizerResultCache(2, () => now);
  cache.set('a', 1, 1000);
  cache.set('zero', 1, 0);
  assert.equal(cache.get('a'), 1);
  assert.equal(cache.get('zero'), undefined);
  now = 1000;
  assert.equal(cache.get('a'), undefined, 'expired');
  cache.set('b', 2, 1000);
  cache.set('c', 3, 1000);
  cache.set('d', 4, 1000);
  assert.equal(cache.get('b'), undefined, 'evicted');
  assert.equal(cache.get('d'), 4);
});

test('cache keys: per scope and values, unambiguous, and never the token itself', () => {
  const key = cacheKey('api/Prod/TokenAuth', ['secret-token']);
  assert.ok(!key.includes('secret-token'));
  assert.notEqual(cacheKey('s', ['a', 'b']), cacheKey('s', ['ab']));
  assert.notEqual(cacheKey('s1', ['a']), cacheKey('s2', ['a']));
  assert.equal(cacheKey('s', ['a']), cacheKey('s', ['a']));
});
