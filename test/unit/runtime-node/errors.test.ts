import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Environment, type Message } from './harness.js';

type ErrorMessage = Message & { error: Record<string, unknown> & { errorType: string; errorMessage: string; trace: string[] } };

async function failure(handler: string, runtime = 'nodejs20.x') {
  const { env, init } = await Environment.ready('errors', handler, { runtime });
  assert.equal(init.type, 'initDone');
  const answer = (await env.invoke({})) as ErrorMessage;
  await env.close();
  assert.equal(answer.type, 'error', JSON.stringify(answer));
  return { error: answer.error, answer, env };
}

/** The `Invoke Error` line the RIC logs for a failed invocation: `<time>\t<id>\tERROR\tInvoke Error \t{json}`. */
function invokeErrorLog(env: Environment, requestId: string): Record<string, unknown> {
  const prefix = new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${requestId}\\tERROR\\tInvoke Error \\t`);
  const line = env.lines().find((l) => prefix.test(l));
  assert.ok(line, `Invoke Error line for ${requestId} in ${env.stdout}`);
  return JSON.parse(line.replace(prefix, ''));
}

test('thrown Error: {errorType, errorMessage, trace} in that order, trace = stack lines', async () => {
  const { error, answer, env } = await failure('app.throwsError');
  assert.deepEqual(Object.keys(error), ['errorType', 'errorMessage', 'trace']);
  assert.equal(error.errorType, 'Error');
  assert.equal(error.errorMessage, 'something broke');
  assert.equal(error.trace[0], 'Error: something broke');
  assert.match(error.trace[1], /^ {4}at .*app\.js:\d+:\d+\)$/);
  const logged = invokeErrorLog(env, answer.requestId as string);
  assert.deepEqual(Object.keys(logged), ['errorType', 'errorMessage', 'code', 'stack']);
  assert.equal(logged.code, 'E_BROKE', 'enumerable properties are logged');
});

test('built-in error types keep their names', async () => {
  const { error } = await failure('app.throwsTypeError');
  assert.equal(error.errorType, 'TypeError');
  assert.equal(error.errorMessage, "Cannot read properties of null (reading 'property')");
});

test('thrown string: errorType "string", the string as message, empty trace', async () => {
  const { error, answer, env } = await failure('app.throwsString');
  assert.deepEqual(error, { errorType: 'string', errorMessage: 'plain string', trace: [] });
  // The log wraps non-errors in an Error, as the RIC's intoError does.
  const logged = invokeErrorLog(env, answer.requestId as string);
  assert.equal(logged.errorType, 'Error');
  assert.equal(logged.errorMessage, 'plain string');
});

test('thrown object: errorType "object", String(value) as message', async () => {
  const { error } = await failure('app.throwsObject');
  assert.deepEqual(error, { errorType: 'object', errorMessage: '[object Object]', trace: [] });
});

test('thrown null: nodejs20.x reports the string "handled", nodejs24.x reports object/"null"', async () => {
  assert.deepEqual((await failure('app.throwsNull')).error, { errorType: 'string', errorMessage: 'handled', trace: [] });
  assert.deepEqual((await failure('app.throwsNull', 'nodejs24.x')).error, { errorType: 'object', errorMessage: 'null', trace: [] });
});

test('a synchronous throw from a non-async handler is an invocation error', async () => {
  const { error } = await failure('app.syncThrows');
  assert.equal(error.errorType, 'RangeError');
  assert.equal(error.errorMessage, 'sync throw');
});

test('uncaught exception during an invocation: logged, reported for that invocation, then exit 129', async () => {
  const { env } = await Environment.ready('errors', 'app.uncaughtLater');
  const answer = (await env.invoke({})) as ErrorMessage;
  const exited = await env.exit();
  await env.close();
  assert.equal(answer.type, 'error');
  assert.equal(answer.error.errorType, 'Error');
  assert.equal(answer.error.errorMessage, 'thrown from a timer');
  assert.equal(exited.code, 129);
  const line = env.lines().find((l) => l.includes('\tERROR\tUncaught Exception \t'));
  assert.ok(line);
  assert.match(line, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${answer.requestId}\\tERROR\\tUncaught Exception \\t\\{"errorType":"Error","errorMessage":"thrown from a timer","stack":\\[`));
});

test('uncaught exception after the invocation was answered: logged, no further message, exit 129', async () => {
  const { env } = await Environment.ready('errors', 'app.throwsAfterReturn');
  const answer = await env.invoke({});
  const exited = await env.exit();
  await env.close();
  assert.equal(answer.type, 'response');
  assert.equal(exited.code, 129);
  await assert.rejects(env.next(100), /exited/, 'nothing reported against the finished invocation');
  assert.ok(env.lines().some((l) => l.includes('\tERROR\tUncaught Exception \t{"errorType":"Error","errorMessage":"after the response"')));
});

test('unhandled rejection: Runtime.UnhandledPromiseRejection with the reason as message, then exit 128', async () => {
  const { env } = await Environment.ready('errors', 'app.unhandledRejection');
  const answer = (await env.invoke({})) as ErrorMessage;
  const exited = await env.exit();
  await env.close();
  assert.equal(answer.error.errorType, 'Runtime.UnhandledPromiseRejection');
  assert.equal(answer.error.errorMessage, 'Error: nobody listens');
  assert.equal(exited.code, 128);
  const line = env.lines().find((l) => l.includes('\tERROR\tUnhandled Promise Rejection \t'));
  assert.ok(line);
  const logged = JSON.parse(line.slice(line.indexOf('\t{') + 1));
  assert.equal(logged.reason.errorMessage, 'nobody listens');
});

test('process.exit in a handler ends the environment without an answer', async () => {
  const { env } = await Environment.ready('exit', 'app.handler');
  await assert.rejects(env.invoke({ code: 3 }), /exited \(3\) without answering/);
  assert.equal((await env.exit()).code, 3);
  assert.ok(env.lines().some((l) => l.endsWith('\tINFO\tabout to exit')));
  await env.close();
});
