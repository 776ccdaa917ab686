import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InvocationChannel, InvocationRequest } from '../../../src/functions/channels/channel.js';
import { Environment, type LogSink } from '../../../src/functions/environment.js';
import { EnvironmentProcess } from '../../../src/functions/environment-process.js';

function nodeProcess(script: string): EnvironmentProcess {
  return new EnvironmentProcess({ command: process.execPath, args: ['-e', script], env: {}, cwd: process.cwd(), controlPipe: false });
}

const sink: LogSink = { streamName: 'test', write: () => undefined };

function request(requestId: string): InvocationRequest {
  return { requestId, deadlineMs: Date.now() + 30_000, invokedFunctionArn: 'arn', traceId: 'Root=1', clientContext: null, cognitoIdentity: null, payload: '{}' };
}

test('an outcome whose counted log bytes never arrive is still answered', { timeout: 10_000 }, async () => {
  const child = nodeProcess('setInterval(() => {}, 1e9)');
  const late: { environment?: Environment } = {};
  const channel: InvocationChannel = {
    deliver: (req) => late.environment!.outcome({ kind: 'response', requestId: req.requestId, payload: '"ok"', stdoutBytes: 1_000_000, stderrBytes: 0 }),
    close: () => undefined,
  };
  const environment = new Environment('e1', child, channel, sink, { functionVersion: '$LATEST', timeoutSeconds: 30, memorySizeMb: 128 }, true);
  late.environment = environment;
  environment.state = 'idle';
  try {
    const result = await environment.invoke(request('r1'));
    assert.equal(result.kind, 'response');
    assert.equal(result.payload, '"ok"');
    assert.equal(environment.state, 'idle');
  } finally {
    environment.kill();
    await child.exited;
  }
});

test('a death listener registered after the environment died is called at once', async () => {
  const child = nodeProcess('setInterval(() => {}, 1e9)');
  const environment = new Environment('e2', child, { deliver: () => undefined, close: () => undefined }, sink, { functionVersion: '$LATEST', timeoutSeconds: 3, memorySizeMb: 128 }, true);
  environment.kill();
  await child.exited;
  let called = 0;
  environment.onDeath(() => called++);
  assert.equal(called, 1);
});

test('waiting for output ends when the process exits before writing it', { timeout: 10_000 }, async () => {
  const child = nodeProcess('setTimeout(() => process.exit(0), 200)');
  await child.waitForOutput(1_000, 1_000);
  assert.equal(child.hasExited, true);
});
