import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFunction } from './harness.js';

test('a handler returning a dict: payload, request id and counters', async () => {
  const { rt, init } = await startFunction('ok', 'app.handler');
  try {
    assert.equal(init.type, 'initDone');
    const answer = await rt.invoke({ a: 1, b: [true, null] }, { requestId: 'req-ok-1' });
    assert.equal(answer.type, 'response');
    assert.equal(answer.requestId, 'req-ok-1');
    // The RIC's encoder: ", " / ": " separators, ASCII escapes before python3.12.
    assert.equal(
      answer.payload,
      '{"ok": true, "echo": {"a": 1, "b": [true, null]}, "text": "h\\u00e9llo"}',
    );
    assert.equal(answer.stdout, 0);
    assert.equal(answer.stderr, 0);
    assert.equal(typeof answer.maxRss, 'number');
    assert.ok((answer.maxRss as number) > 1024 * 1024, 'maxRss is in bytes');
  } finally {
    await rt.close();
  }
});

test('an event spliced into the invoke message as a JSON value (PROTOCOL.md) is the handler\'s event', async () => {
  const { rt } = await startFunction('ok', 'app.handler');
  try {
    const answer = await rt.invoke(undefined, { requestId: 'req-ok-2', payload: undefined, event: { a: 1, b: [true, null] } });
    assert.equal(answer.type, 'response');
    assert.equal(answer.payload, '{"ok": true, "echo": {"a": 1, "b": [true, null]}, "text": "h\\u00e9llo"}');
  } finally {
    await rt.close();
  }
});

test('python3.12 and later keep non-ASCII characters in the payload', async () => {
  const { rt } = await startFunction('ok', 'app.handler', { AWS_EXECUTION_ENV: 'AWS_Lambda_python3.12' });
  try {
    const answer = await rt.invoke({});
    assert.equal(answer.payload, '{"ok": true, "echo": {}, "text": "h\u00e9llo"}');
  } finally {
    await rt.close();
  }
});

test('a handler returning None answers "null"', async () => {
  const { rt } = await startFunction('none', 'app.handler');
  try {
    const answer = await rt.invoke({ x: 1 });
    assert.equal(answer.type, 'response');
    assert.equal(answer.payload, 'null');
  } finally {
    await rt.close();
  }
});

for (const handler of ['pkg/sub/mod.handler', 'pkg.sub.mod.handler']) {
  test(`a nested module handler (${handler})`, async () => {
    const { rt, init } = await startFunction('nested', handler);
    try {
      assert.equal(init.type, 'initDone', JSON.stringify(init));
      const answer = await rt.invoke({});
      assert.equal(answer.payload, '{"module": "pkg.sub.mod"}');
    } finally {
      await rt.close();
    }
  });
}

test('module state is kept between invocations', async () => {
  const { rt } = await startFunction('state', 'app.handler');
  try {
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push(JSON.parse((await rt.invoke({})).payload as string).count);
    assert.deepEqual(counts, [1, 2, 3]);
  } finally {
    await rt.close();
  }
});

test('context fields, identity, client context and the trace id variable', async () => {
  const { rt } = await startFunction('context', 'app.handler');
  try {
    const deadline = Date.now() + 5000;
    const answer = await rt.invoke(
      {},
      {
        requestId: 'ctx-1',
        deadlineMs: deadline,
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fn:$LATEST',
        traceId: 'Root=1-abc;Parent=def;Sampled=1',
        clientContext: JSON.stringify({ custom: { k: 'v' }, env: { platform: 'x' }, client: { app_title: 'App' } }),
        cognitoIdentity: JSON.stringify({ cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' }),
      },
    );
    assert.equal(answer.type, 'response', JSON.stringify(answer));
    const ctx = JSON.parse(answer.payload as string);
    const remaining = ctx.remaining as number;
    delete ctx.remaining;
    assert.deepEqual(ctx, {
      function_name: 'fn',
      function_version: '$LATEST',
      invoked_function_arn: 'arn:aws:lambda:us-east-1:000000000000:function:fn:$LATEST',
      memory_limit_in_mb: '128',
      aws_request_id: 'ctx-1',
      log_group_name: '/aws/lambda/fn',
      log_stream_name: '2024/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
      identity: { cognito_identity_id: 'id-1', cognito_identity_pool_id: 'pool-1' },
      client_context: { custom: { k: 'v' }, env: { platform: 'x' }, client: { app_title: 'App' } },
      trace_env: 'Root=1-abc;Parent=def;Sampled=1',
    });
    assert.ok(Number.isInteger(remaining));
    assert.ok(remaining > 3000 && remaining <= 5000, `remaining ${remaining}`);

    // Without a trace id the variable is removed; a past deadline leaves 0 ms.
    const second = await rt.invoke({}, { traceId: null, deadlineMs: Date.now() - 1000 });
    const ctx2 = JSON.parse(second.payload as string);
    assert.equal(ctx2.trace_env, null);
    assert.equal(ctx2.remaining, 0);
    assert.equal(ctx2.client_context, null);
    assert.deepEqual(ctx2.identity, { cognito_identity_id: null, cognito_identity_pool_id: null });
  } finally {
    await rt.close();
  }
});

test('a result that is not JSON-serialisable is a Runtime.MarshalError; the environment stays usable', async () => {
  const { rt } = await startFunction('marshal', 'app.handler');
  try {
    for (const requestId of ['m-1', 'm-2']) {
      const answer = await rt.invoke({}, { requestId });
      assert.equal(answer.type, 'error');
      assert.equal(answer.requestId, requestId);
      assert.deepEqual(answer.error, {
        errorMessage: 'Unable to marshal response: Object of type set is not JSON serializable',
        errorType: 'Runtime.MarshalError',
        requestId,
        stackTrace: [],
      });
    }
    const line =
      '[ERROR] Runtime.MarshalError: Unable to marshal response: Object of type set is not JSON serializable\n' +
      'Traceback (most recent call last):\n';
    await rt.waitForOutput(Buffer.byteLength(line) * 2, 0);
    assert.equal(rt.stdoutText(), line + line);
  } finally {
    await rt.close();
  }
});

test('an event that is not JSON is a Runtime.UnmarshalError', async () => {
  const { rt } = await startFunction('ok', 'app.handler');
  try {
    rt.send({ type: 'invoke', requestId: 'u-1', deadlineMs: Date.now() + 3000, payload: '{not json' });
    const answer = await rt.expect('error');
    assert.deepEqual(answer.error, {
      errorMessage:
        'Unable to unmarshal input: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)',
      errorType: 'Runtime.UnmarshalError',
      requestId: 'u-1',
      stackTrace: [],
    });
  } finally {
    await rt.close();
  }
});

test('a client context that is not JSON is a Runtime.LambdaContextUnmarshalError', async () => {
  const { rt } = await startFunction('ok', 'app.handler');
  try {
    const answer = await rt.invoke({}, { requestId: 'cc-1', clientContext: 'nope' });
    assert.equal(answer.type, 'error');
    assert.deepEqual(answer.error, {
      errorMessage: 'Unable to parse Client Context JSON: Expecting value: line 1 column 1 (char 0)',
      errorType: 'Runtime.LambdaContextUnmarshalError',
      requestId: 'cc-1',
      stackTrace: [],
    });
  } finally {
    await rt.close();
  }
});

test('a handler returning bytes sends them as they are', async () => {
  const { rt } = await startFunction('ok', 'app.raw_bytes');
  try {
    const answer = await rt.invoke({});
    assert.equal(answer.type, 'response');
    assert.equal(answer.payload, 'raw-bytes');
  } finally {
    await rt.close();
  }
});

for (const [how, event, code] of [
  ['sys.exit(3)', { code: 3 }, 3],
  ['sys.exit(0)', { code: 0 }, 0],
  ['os._exit(4)', { code: 4, hard: true }, 4],
] as const) {
  test(`${how} in the handler ends the process without an answer`, async () => {
    const { rt } = await startFunction('exit', 'app.handler');
    try {
      rt.send({ type: 'invoke', requestId: 'x-1', deadlineMs: Date.now() + 3000, payload: JSON.stringify(event) });
      const answer = await rt.next();
      assert.equal(answer, null, `no answer expected, got ${JSON.stringify(answer)}`);
      const exit = await rt.exit();
      assert.deepEqual(exit, { code, signal: null });
      await rt.drained();
      assert.equal(rt.stdoutText(), 'about to exit\n');
      assert.equal(rt.stderrText(), '');
    } finally {
      await rt.close();
    }
  });
}
