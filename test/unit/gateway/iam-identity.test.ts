/**
 * The caller an AWS_IAM request is shown as: a function's session pair as its role's session (a role id stable
 * across restarts), the development and configured pairs as the account's root.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { iamIdentity } from '../../../src/gateway/policies/authorizers/iam-identity.js';

test("a function's session credentials: AROA…:function and the assumed-role ARN, the same on every call", () => {
  const identity = iamIdentity('ASIAEXAMPLE', '123456789012', 'app-Fn-ABC');
  assert.match(identity.caller, /^AROA[A-Z2-7]{17}:app-Fn-ABC$/);
  assert.equal(identity.userArn, 'arn:aws:sts::123456789012:assumed-role/app-Fn-ABC-role/app-Fn-ABC');
  assert.deepEqual(iamIdentity('ASIAOTHER', '123456789012', 'app-Fn-ABC').caller, identity.caller);
  assert.notEqual(iamIdentity('ASIAEXAMPLE', '123456789012', 'app-Other').caller.split(':')[0], identity.caller.split(':')[0]);
});

test('long-term pairs are the account root', () => {
  assert.deepEqual(iamIdentity('test', '123456789012', undefined), {
    accessKey: 'test',
    accountId: '123456789012',
    caller: '123456789012',
    userArn: 'arn:aws:iam::123456789012:root',
  });
});
