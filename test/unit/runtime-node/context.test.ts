import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Environment } from './harness.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:fixture-fn';

async function contextOf(invokeExtra: Record<string, unknown>, runtime = 'nodejs20.x') {
  const { env } = await Environment.ready('context', 'app.handler', { runtime });
  const answer = await env.invoke({}, invokeExtra);
  await env.close();
  return { body: JSON.parse(answer.payload as string), requestId: answer.requestId };
}

test('context (nodejs20.x): Lambda\'s members, key order and values from env and invocation', async () => {
  const { body, requestId } = await contextOf({
    deadlineMs: Date.now() + 5000,
    clientContext: '{"client":{"installation_id":"i-1"},"custom":{"k":"v"}}',
    cognitoIdentity: '{"cognitoIdentityId":"id-1","cognitoIdentityPoolId":"pool-1"}',
  });
  assert.deepEqual(body.keys, [
    'callbackWaitsForEmptyEventLoop', 'succeed', 'fail', 'done',
    'functionVersion', 'functionName', 'memoryLimitInMB', 'logGroupName', 'logStreamName',
    'clientContext', 'identity', 'invokedFunctionArn', 'awsRequestId', 'tenantId', 'getRemainingTimeInMillis',
  ]);
  assert.deepEqual(body.json, {
    callbackWaitsForEmptyEventLoop: true,
    functionVersion: '$LATEST',
    functionName: 'fixture-fn',
    memoryLimitInMB: '256',
    logGroupName: '/aws/lambda/fixture-fn',
    logStreamName: '2024/01/01/[$LATEST]abcdef',
    clientContext: { client: { installation_id: 'i-1' }, custom: { k: 'v' } },
    identity: { cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' },
    invokedFunctionArn: ARN,
    awsRequestId: requestId,
  });
  assert.ok(body.remaining > 4000 && body.remaining <= 5000, `remaining ${body.remaining}`);
});

test('the trace id is exported as _X_AMZN_TRACE_ID for its invocation only', async () => {
  const { env } = await Environment.ready('context', 'app.handler');
  const traced = await env.invoke({}, { traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' });
  const untraced = await env.invoke({}, { traceId: null });
  await env.close();
  assert.equal(JSON.parse(traced.payload as string).traceEnv, 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1');
  assert.equal(JSON.parse(untraced.payload as string).traceEnv, null);
});

test('context (nodejs24.x): no callback members, X-Ray id on the context', async () => {
  const { body } = await contextOf({ traceId: 'Root=1-abc' }, 'nodejs24.x');
  assert.deepEqual(body.keys, [
    'clientContext', 'identity', 'invokedFunctionArn', 'awsRequestId', 'tenantId', 'xRayTraceId',
    'getRemainingTimeInMillis', 'functionVersion', 'functionName', 'memoryLimitInMB', 'logGroupName', 'logStreamName',
  ]);
  assert.equal(body.json.xRayTraceId, 'Root=1-abc');
  assert.equal(body.json.memoryLimitInMB, '256');
});

test('a malformed client context fails the invocation, not the environment', async () => {
  const { env } = await Environment.ready('context', 'app.handler');
  const bad = await env.invoke({}, { clientContext: '{not json' });
  const good = await env.invoke({});
  await env.close();
  assert.equal(bad.type, 'error');
  assert.match((bad.error as { errorMessage: string }).errorMessage, /^Cannot parse ClientContext as json: SyntaxError/);
  assert.equal(good.type, 'response');
});
