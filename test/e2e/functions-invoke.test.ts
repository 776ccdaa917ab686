import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { InvokeCommand, ListFunctionsCommand, GetFunctionCommand, GetFunctionConfigurationCommand, type InvokeCommandInput, type LambdaClient } from '@aws-sdk/client-lambda';
import { awsEnv, startPortico, type RunningPortico } from '../helpers/portico.js';
import { eventually, functionLogs, invokeJson, lambdaClient, payloadJson, payloadText } from '../helpers/lambda.js';

const run = promisify(execFile);
let portico: RunningPortico;
let lambda: LambdaClient;
const invoke = (name: string, payload: unknown, extra?: Partial<InvokeCommandInput>) => invokeJson(lambda, name, payload, extra);

before(async () => {
  portico = await startPortico('test/fixtures/apps/fn-core', ['--concurrency', '20'], { PORTICO_EVENT_RETRY_DELAYS_MS: '100,100' });
  lambda = lambdaClient(portico);
});

after(async () => {
  lambda.destroy();
  await portico.stop();
});





describe('Invoke API with the AWS SDK v3', () => {
  test('RequestResponse returns 200, the payload, $LATEST and a request id equal to context.aws_request_id', async () => {
    const out = await invoke('py-echo', { hello: 'world' });
    assert.equal(out.StatusCode, 200);
    assert.equal(out.ExecutedVersion, '$LATEST');
    assert.equal(out.FunctionError, undefined);
    const body = payloadJson(out.Payload);
    assert.deepEqual(body.event, { hello: 'world' });
    assert.equal(body.requestId, out.$metadata.requestId);
    assert.match(String(body.requestId), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('the environment carries Lambda variables, the function variables and the AWS endpoint', async () => {
    const env = payloadJson((await invoke('py-echo', {})).Payload).env as Record<string, string>;
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'py-echo');
    assert.equal(env._HANDLER, 'app.echo');
    assert.equal(env.TZ, ':UTC');
    assert.equal(env.AWS_REGION, 'us-east-1');
    assert.equal(env.AWS_DEFAULT_REGION, 'us-east-1');
    assert.equal(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '128');
    assert.equal(env.AWS_LAMBDA_LOG_GROUP_NAME, '/aws/lambda/py-echo');
    assert.match(env.AWS_LAMBDA_LOG_STREAM_NAME ?? '', /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.match(env.AWS_LAMBDA_RUNTIME_API ?? '', /^127\.0\.0\.1:\d+$/);
    assert.equal(env.AWS_ENDPOINT_URL, portico.awsEndpoint);
    assert.match(env.AWS_ACCESS_KEY_ID ?? '', /^ASIA[A-Z2-7]{16}$/);
    assert.ok(env.AWS_SESSION_TOKEN);
    assert.equal(env.SECRET_OF_ECHO, 'only-echo-sees-this');
    assert.equal(env.SECRET_OF_PEEK, undefined);
  });

  test('a warm environment is reused and keeps module state', async () => {
    const first = payloadJson((await invoke('py-echo', {})).Payload);
    const second = payloadJson((await invoke('py-echo', {})).Payload);
    assert.equal(second.pid, first.pid);
    assert.equal(second.invocations, (first.invocations as number) + 1);
  });

  test('concurrent invocations run in separate environments', async () => {
    // Long enough that every cold start finishes first, even on a loaded machine: an environment that frees up
    // before a new one is ready would rightly take the waiting invocation.
    const results = await Promise.all([1, 2, 3].map(() => invoke('py-sleep', { seconds: 0.8 })));
    const pids = new Set(results.map((r) => payloadJson(r.Payload).pid));
    assert.equal(pids.size, 3);
  });

  test('a function error is 200 with X-Amz-Function-Error: Unhandled and the Python error document', async () => {
    const out = await invoke('py-fail', {});
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    const error = payloadJson(out.Payload);
    assert.deepEqual(Object.keys(error), ['errorMessage', 'errorType', 'requestId', 'stackTrace']);
    assert.equal(error.errorMessage, 'some error occurred');
    assert.equal(error.errorType, 'CustomError');
    assert.equal(error.requestId, out.$metadata.requestId);
  });

  test('a timeout ends with Sandbox.Timedout and the environment is replaced', async () => {
    const out = await invoke('py-sleep', { seconds: 5 });
    assert.equal(out.FunctionError, 'Unhandled');
    assert.deepEqual(payloadJson(out.Payload), {
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${out.$metadata.requestId} Error: Task timed out after 1.00 seconds`,
    });
    const next = await invoke('py-sleep', { seconds: 0 });
    assert.equal(next.FunctionError, undefined);
    await eventually(async () => (/Task timed out after 1\.00 seconds/.test(await functionLogs(portico, 'py-sleep')) ? true : undefined));
  });

  test('a process that exits gives Runtime.ExitError and the next invocation gets a new environment', async () => {
    const out = await invoke('py-exit', { code: 3 });
    assert.equal(out.FunctionError, 'Unhandled');
    assert.deepEqual(payloadJson(out.Payload), {
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${out.$metadata.requestId} Error: Runtime exited with error: exit status 3`,
    });
    const echo = await invoke('py-echo', { still: 'serving' });
    assert.deepEqual(payloadJson(echo.Payload).event, { still: 'serving' });
  });

  test('LogType Tail returns the last 4 KB of the log with START, END and REPORT', async () => {
    const out = await invoke('py-echo', { tail: true }, { LogType: 'Tail' });
    const log = Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');
    const id = out.$metadata.requestId!;
    assert.match(log, new RegExp(`START RequestId: ${id} Version: \\$LATEST\\n`));
    assert.match(log, new RegExp(`\\[INFO\\]\\t\\S+Z\\t${id}\\techo \\{"tail": true\\}\\n`));
    assert.match(log, new RegExp(`END RequestId: ${id}\\n`));
    assert.match(log, new RegExp(`REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\t\\n$`));
  });

  test('a cold start reports Init Duration once, and billed duration includes it', async () => {
    await invoke('py-recorder', { warmup: 1 });
    await invoke('py-recorder', { warmup: 2 });
    // Logs are written off the invocation path: wait for both REPORT lines to reach the file.
    const reports = await eventually(async () => {
      const lines = (await functionLogs(portico, 'py-recorder')).split('\n').filter((l) => l.startsWith('REPORT'));
      return lines.length >= 2 ? lines : undefined;
    });
    assert.equal(reports.length, 2);
    const cold = /Duration: ([\d.]+) ms\tBilled Duration: (\d+) ms.*Init Duration: ([\d.]+) ms/.exec(reports[0]!);
    assert.ok(cold, reports[0]);
    assert.equal(Number(cold[2]), Math.ceil(Number(cold[1]) + Number(cold[3])));
    assert.doesNotMatch(reports[1]!, /Init Duration/);
  });

  test('DryRun answers 204 without running the function', async () => {
    const out = await invoke('py-echo', {}, { InvocationType: 'DryRun' });
    assert.equal(out.StatusCode, 204);
  });

  test('Event answers 202, runs the function later, and retries a failing one twice with the same request id', async () => {
    const ok = await invoke('py-recorder', { marker: 'async-ok' }, { InvocationType: 'Event' });
    assert.equal(ok.StatusCode, 202);
    assert.equal(payloadText(ok.Payload), '');
    await eventually(async () => ((await functionLogs(portico, 'py-recorder')).includes('"marker": "async-ok"') ? true : undefined));
    const failing = await invoke('py-recorder', { marker: 'async-fail', fail: true }, { InvocationType: 'Event' });
    assert.equal(failing.StatusCode, 202);
    const ends = await eventually(async () => {
      const log = await functionLogs(portico, 'py-recorder');
      const attempts = log.split('\n').filter((line) => line.includes('"marker": "async-fail"'));
      return attempts.length === 3 ? log : undefined;
    });
    const failingId = failing.$metadata.requestId;
    assert.ok(failingId);
    assert.equal(ends.split('\n').filter((line) => line === `END RequestId: ${failingId}`).length, 3);
  });

  test('reserved concurrency: a second synchronous invoke gets 429 ReservedFunctionConcurrentInvocationLimitExceeded', async () => {
    const first = invoke('py-reserved', { seconds: 0.6 });
    await new Promise((r) => setTimeout(r, 150));
    await assert.rejects(invoke('py-reserved', { seconds: 0 }), (error: { name: string; Reason?: string; message: string; $metadata: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'TooManyRequestsException');
      assert.equal(error.$metadata.httpStatusCode, 429);
      assert.equal(error.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
      assert.equal(error.message, 'Rate Exceeded.');
      return true;
    });
    assert.equal((await first).FunctionError, undefined);
  });

  test('reserved concurrency 0 throttles synchronous invokes', async () => {
    await assert.rejects(invoke('py-disabled', {}), { name: 'TooManyRequestsException' });
  });

  test('an unknown function is 404 ResourceNotFoundException naming its ARN', async () => {
    await assert.rejects(invoke('does-not-exist', {}), (error: { name: string; message: string; $metadata: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'ResourceNotFoundException');
      assert.equal(error.$metadata.httpStatusCode, 404);
      assert.equal(error.message, 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:does-not-exist:$LATEST');
      return true;
    });
  });

  test('an invalid JSON payload is 400 InvalidRequestContentException', async () => {
    const raw = new InvokeCommand({ FunctionName: 'py-echo', Payload: Buffer.from('{not json') });
    await assert.rejects(lambda.send(raw), (error: { name: string; message: string; $metadata: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'InvalidRequestContentException');
      assert.equal(error.$metadata.httpStatusCode, 400);
      assert.match(error.message, /^Could not parse request body into json: Could not parse payload into json: /);
      return true;
    });
  });

  test('a synchronous payload over 6,291,456 bytes is 413 with Lambda\'s message', async () => {
    const payload = Buffer.from(JSON.stringify({ data: 'x'.repeat(6_291_456) }));
    await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: 'py-echo', Payload: payload })), (error: { name: string; message: string; $metadata: { httpStatusCode?: number } }) => {
      assert.equal(error.$metadata.httpStatusCode, 413);
      assert.equal(error.name, 'RequestEntityTooLargeException');
      assert.equal(error.message, 'Request must be smaller than 6291456 bytes for the InvokeFunction operation');
      return true;
    });
  });

  test('an Event payload over 1 MB is 413', async () => {
    const payload = Buffer.from(JSON.stringify({ data: 'x'.repeat(1_048_576) }));
    await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: 'py-echo', InvocationType: 'Event', Payload: payload })), (error: { $metadata: { httpStatusCode?: number }; name: string }) => {
      assert.equal(error.$metadata.httpStatusCode, 413);
      assert.equal(error.name, 'RequestEntityTooLargeException');
      return true;
    });
  });

  test('a response over 6,291,556 bytes is Function.ResponseSizeTooLarge and the environment stays usable', async () => {
    const out = await invoke('py-big', { size: 6_291_556 });
    assert.equal(out.FunctionError, 'Unhandled');
    assert.deepEqual(payloadJson(out.Payload), {
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'Function.ResponseSizeTooLarge',
    });
    const fits = await invoke('py-big', { size: 1000 });
    assert.equal(payloadText(fits.Payload), JSON.stringify('x'.repeat(1000)));
  });

  test('ListFunctions, GetFunction and GetFunctionConfiguration describe the template\'s functions', async () => {
    const list = await lambda.send(new ListFunctionsCommand({}));
    const names = (list.Functions ?? []).map((f) => f.FunctionName);
    assert.ok(names.includes('py-echo') && names.includes('shell-echo'));
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'py-sleep' }));
    assert.equal(config.Timeout, 1);
    assert.equal(config.MemorySize, 128);
    assert.equal(config.Runtime, 'python3.12');
    assert.equal(config.Handler, 'app.sleep');
    assert.equal(config.State, 'Active');
    assert.deepEqual(config.LoggingConfig, { LogFormat: 'Text', LogGroup: '/aws/lambda/py-sleep' });
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'py-reserved' }));
    assert.equal(fn.Concurrency?.ReservedConcurrentExecutions, 1);
    assert.equal(fn.Configuration?.FunctionArn, 'arn:aws:lambda:us-east-1:123456789012:function:py-reserved');
  });

  test("a function's own credentials cannot read another function's configuration", async () => {
    const out = payloadJson((await invoke('py-peek', {})).Payload);
    assert.deepEqual(out, { read: false, code: 'AccessDeniedException' });
  });
});

describe('portico up', () => {
  test('prints a one-line notice when Python functions declare another version than the machine runs', async () => {
    const { stdout, stderr } = await run('python3', ['--version']);
    const version = (stdout || stderr).trim().replace(/^Python /, '');
    if (version.startsWith('3.12.')) {
      assert.doesNotMatch(portico.output(), /Notice: python3\.12/);
    } else {
      await portico.waitForOutput(`Notice: python3.12 functions run on this machine's Python ${version}\n`);
    }
  });
});

describe('custom runtimes', () => {
  test('a shell bootstrap serves invocations through the Runtime API', async () => {
    const out = await invoke('shell-echo', { body: 'from the shell' });
    assert.equal(out.FunctionError, undefined);
    assert.deepEqual(payloadJson(out.Payload), { statusCode: 200, body: 'from the shell' });
    await eventually(async () => (/handling [0-9a-f-]{36}\n/.test(await functionLogs(portico, 'shell-echo')) ? true : undefined));
  });

  test('a missing bootstrap is Runtime.InvalidEntrypoint in Lambda\'s words', async () => {
    const out = await invoke('no-bootstrap', {});
    assert.equal(out.FunctionError, 'Unhandled');
    const error = payloadJson(out.Payload);
    assert.equal(error.errorType, 'Runtime.InvalidEntrypoint');
    assert.match(String(error.errorMessage), /^RequestId: \S+ Error: Couldn't find valid bootstrap\(s\): \[\S+\/nobootstrap\/bootstrap \/opt\/bootstrap\]$/);
  });

  test('a runtime that posts garbage to the Runtime API times out and is replaced, other functions keep serving', async () => {
    const out = await invoke('garbage-runtime', {});
    assert.equal(payloadJson(out.Payload).errorType, 'Sandbox.Timedout');
    assert.equal((await invoke('shell-echo', { body: 'still here' })).FunctionError, undefined);
  });
});

describe('other clients', () => {
  test('boto3 invokes a function and reads the same request id', async () => {
    const script = [
      'import boto3, json',
      'c = boto3.client("lambda")',
      'r = c.invoke(FunctionName="py-echo", Payload=json.dumps({"from": "boto3"}))',
      'body = json.loads(r["Payload"].read())',
      'print(json.dumps({"status": r["StatusCode"], "event": body["event"], "same": body["requestId"] == r["ResponseMetadata"]["RequestId"]}))',
    ].join('\n');
    const { stdout } = await run('python3', ['-c', script], { env: { ...process.env, ...awsEnv(portico.awsEndpoint) } });
    assert.deepEqual(JSON.parse(stdout), { status: 200, event: { from: 'boto3' }, same: true });
  });

  test('the AWS CLI invokes a function', async () => {
    const outFile = join(portico.dataDir, 'cli-out.json');
    const { stdout } = await run(
      'aws',
      ['lambda', 'invoke', '--function-name', 'py-echo', '--payload', '{"from":"cli"}', outFile],
      { env: { ...process.env, ...awsEnv(portico.awsEndpoint) } },
    );
    assert.equal(JSON.parse(stdout).StatusCode, 200);
    assert.deepEqual(JSON.parse(await readFile(outFile, 'utf8')).event, { from: 'cli' });
  });
});
