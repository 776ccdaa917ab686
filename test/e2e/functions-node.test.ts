import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { startPortico, type RunningPortico } from '../helpers/portico.js';
import { eventually, functionLogs, invokeJson, lambdaClient, payloadJson } from '../helpers/lambda.js';

// The app is copied out of the repository so that no node_modules folder above it holds the AWS SDK: the SDK a
// function imports must come from Portico's provided copy, as on Lambda.
const appDir = mkdtempSync(join(tmpdir(), 'portico-fn-node-'));
let portico: RunningPortico;
let lambda: LambdaClient;
const invoke = (name: string, payload: unknown) => invokeJson(lambda, name, payload);

before(async () => {
  cpSync('test/fixtures/apps/fn-node', appDir, { recursive: true });
  portico = await startPortico(appDir);
  lambda = lambdaClient(portico);
});

after(async () => {
  lambda.destroy();
  await portico.stop();
  rmSync(appDir, { recursive: true, force: true });
});





describe('Node.js handlers', () => {
  test('a CommonJS async handler gets the event, its variables and a full context', async () => {
    const out = await invoke('node-cjs', { a: 1 });
    assert.equal(out.FunctionError, undefined);
    const body = payloadJson(out.Payload);
    assert.deepEqual(body.event, { a: 1 });
    assert.equal(body.greeting, 'hi');
    const context = body.context as Record<string, unknown>;
    assert.equal(context.functionName, 'node-cjs');
    assert.equal(context.functionVersion, '$LATEST');
    assert.equal(context.invokedFunctionArn, 'arn:aws:lambda:us-east-1:123456789012:function:node-cjs');
    assert.equal(context.memoryLimitInMB, '128');
    assert.equal(context.awsRequestId, out.$metadata.requestId);
    assert.equal(context.logGroupName, '/aws/lambda/node-cjs');
    assert.match(String(context.logStreamName), /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.ok((context.remaining as number) > 2000 && (context.remaining as number) <= 3000, String(context.remaining));
    assert.equal(context.callbackWaitsForEmptyEventLoop, true);
  });

  test('X-Amz-Client-Context reaches context.clientContext; Qualifier $LATEST is the function, another is not found', async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { tenant: 'acme' }, env: { locale: 'en' } })).toString('base64');
    const out = await invokeJson(lambda, 'node-cjs', {}, { ClientContext: clientContext, Qualifier: '$LATEST' });
    const context = payloadJson(out.Payload).context as Record<string, unknown>;
    assert.deepEqual((context.clientContext as Record<string, unknown>).custom, { tenant: 'acme' });
    assert.equal(context.invokedFunctionArn, 'arn:aws:lambda:us-east-1:123456789012:function:node-cjs:$LATEST');
    await assert.rejects(invokeJson(lambda, 'node-cjs', {}, { Qualifier: 'prod' }), (error: { name: string; message: string }) => {
      assert.equal(error.name, 'ResourceNotFoundException');
      assert.equal(error.message, 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:node-cjs:prod');
      return true;
    });
  });

  test('the legacy InvokeAsync operation queues the event and answers 202 {"Status":202}', async () => {
    const response = await fetch(`${portico.awsEndpoint}/2014-11-13/functions/node-cjs/invoke-async/`, { method: 'POST', body: '{}' });
    assert.equal(response.status, 403, 'unsigned requests are refused');
    const { InvokeAsyncCommand } = await import('@aws-sdk/client-lambda');
    const out = await lambda.send(new InvokeAsyncCommand({ FunctionName: 'node-cjs', InvokeArgs: Buffer.from('{"legacy":true}') }));
    assert.equal(out.Status, 202);
    await eventually(async () => ((await functionLogs(portico, 'node-cjs')).includes('cjs handler got {"legacy":true}') ? true : undefined));
  });

  test('console.log lines are in Lambda\'s format', async () => {
    const out = await invoke('node-cjs', { log: 'me' });
    const id = out.$metadata.requestId!;
    const log = await eventually(async () => {
      const text = await functionLogs(portico, 'node-cjs');
      return text.includes(`END RequestId: ${id}`) ? text : undefined;
    });
    assert.match(log, new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z\\t${id}\\tINFO\\tcjs handler got \\{"log":"me"\\}$`, 'm'));
  });

  test('an ES module (.mjs) handler', async () => {
    assert.deepEqual(payloadJson((await invoke('node-esm', { b: 2 })).Payload), { module: 'esm', file: 'app.mjs', event: { b: 2 } });
  });

  test('a "type": "module" package with a handler in a subfolder', async () => {
    assert.deepEqual(payloadJson((await invoke('node-type-module', { c: 3 })).Payload), { module: 'type-module', isEsm: true, event: { c: 3 } });
  });

  test('a callback handler on nodejs18.x', async () => {
    const out = await invoke('node-callback', { value: 42 });
    assert.equal(out.FunctionError, undefined);
    assert.deepEqual(payloadJson(out.Payload), { style: 'callback', value: 42 });
  });

  test('a callback handler on nodejs24.x is refused as AWS\'s nodejs24.x runtime refuses it', async () => {
    const out = await invoke('node24-callback', { value: 1 });
    assert.equal(out.FunctionError, 'Unhandled');
    assert.match(String(payloadJson(out.Payload).errorType), /^Runtime\./);
  });

  test('a thrown Error is reported as errorType, errorMessage and trace', async () => {
    const out = await invoke('node-cjs', { throw: 'bad input' });
    assert.equal(out.FunctionError, 'Unhandled');
    const error = payloadJson(out.Payload);
    assert.deepEqual(Object.keys(error), ['errorType', 'errorMessage', 'trace']);
    assert.equal(error.errorType, 'TypeError');
    assert.equal(error.errorMessage, 'bad input');
    assert.match((error.trace as string[])[0]!, /^TypeError: bad input$/);
  });

  test('a thrown string is reported as Lambda reports it', async () => {
    const out = await invoke('node-cjs', { throwString: 'just a string' });
    assert.equal(out.FunctionError, 'Unhandled');
    const error = payloadJson(out.Payload);
    assert.equal(error.errorMessage, 'just a string');
  });

  test('process.exit in a handler is Runtime.ExitError and the next invocation gets a fresh environment', async () => {
    const before = payloadJson((await invoke('node-cjs', {})).Payload);
    const out = await invoke('node-cjs', { exit: 2 });
    assert.deepEqual(payloadJson(out.Payload), {
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${out.$metadata.requestId} Error: Runtime exited with error: exit status 2`,
    });
    const after = payloadJson((await invoke('node-cjs', {})).Payload);
    assert.notEqual(after.pid, before.pid);
    assert.equal(after.invocations, 1);
  });

  test('a missing module is Runtime.ImportModuleError', async () => {
    const error = payloadJson((await invoke('node-missing-module', {})).Payload);
    assert.equal(error.errorType, 'Runtime.ImportModuleError');
    assert.match(String(error.errorMessage), /Cannot find module 'nothere'/);
  });

  test('a missing export is Runtime.HandlerNotFound', async () => {
    const error = payloadJson((await invoke('node-missing-export', {})).Payload);
    assert.equal(error.errorType, 'Runtime.HandlerNotFound');
    assert.equal(error.errorMessage, 'noexport.handler is undefined or not exported');
  });

  test('a syntax error is Runtime.UserCodeSyntaxError', async () => {
    const error = payloadJson((await invoke('node-syntax-error', {})).Payload);
    assert.equal(error.errorType, 'Runtime.UserCodeSyntaxError');
    assert.match(String(error.errorMessage), /^SyntaxError: /);
  });

  test('the AWS SDK Lambda provides is importable without being shipped, and reaches Portico with the function\'s credentials', async () => {
    const out = await invoke('node-sdk', { hop: 1 });
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
    assert.deepEqual(payloadJson(out.Payload), { status: 200, inner: { module: 'esm', file: 'app.mjs', event: { via: 'sdk', hop: 1 } } });
  });
});
