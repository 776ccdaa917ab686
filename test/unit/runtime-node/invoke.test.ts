import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Environment, type Message } from './harness.js';

const CALLBACK_REMOVED =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to ' +
  'modify this function to use a supported handler signature to use Node.js 24 or later. For more information see ' +
  'https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

type ErrorMessage = Message & { error: { errorType: string; errorMessage: string; trace: string[] } };

async function invokeOnce(name: string, handler: string, event: unknown = {}, runtime = 'nodejs20.x') {
  const { env, init } = await Environment.ready(name, handler, { runtime });
  assert.equal(init.type, 'initDone', JSON.stringify(init));
  const started = Date.now();
  const answer = await env.invoke(event);
  const elapsed = Date.now() - started;
  await env.close();
  return { answer, elapsed, env };
}

test('async handler: the resolved value, JSON-encoded, in a response message with counters', async () => {
  const { answer } = await invokeOnce('async', 'app.handler', { n: 21 });
  assert.equal(answer.type, 'response');
  assert.equal(answer.payload, '{"doubled":42}');
  assert.equal(typeof answer.stdout, 'number');
  assert.equal(typeof answer.stderr, 'number');
  assert.ok((answer.maxRss as number) > 0);
});

test('an event spliced into the invoke message as a JSON value (PROTOCOL.md) is the handler\'s event', async () => {
  const { env, init } = await Environment.ready('async', 'app.handler', { runtime: 'nodejs20.x' });
  try {
    assert.equal(init.type, 'initDone', JSON.stringify(init));
    const answer = await env.invoke(undefined, { payload: undefined, event: { n: 21 } });
    assert.equal(answer.type, 'response');
    assert.equal(answer.payload, '{"doubled":42}');
  } finally {
    await env.close();
  }
});

test('a non-async function returning a promise is awaited too', async () => {
  const { answer } = await invokeOnce('async', 'app.promise', { n: 7 });
  assert.equal(answer.payload, '{"viaPromise":7}');
});

test('undefined result is sent as null', async () => {
  const { answer } = await invokeOnce('async', 'app.nothing');
  assert.equal(answer.type, 'response');
  assert.equal(answer.payload, 'null');
});

test('callback handler (nodejs20.x): callback(null, result)', async () => {
  const { answer, env } = await invokeOnce('callback', 'app.handler', { n: 5 });
  assert.equal(answer.payload, '{"via":"callback","n":5}');
  // nodejs22.x and earlier warn about callback handlers at init, once.
  const warnings = env.lines().filter((l) => /\tundefined\tWARN\tAWS Lambda plans to remove support for callback-based/.test(l));
  assert.equal(warnings.length, 1);
});

test('callback(error) is an invocation error with the error\'s own type', async () => {
  const { answer } = await invokeOnce('callback', 'app.error');
  assert.equal(answer.type, 'error');
  const { error } = answer as ErrorMessage;
  assert.equal(error.errorType, 'TypeError');
  assert.equal(error.errorMessage, 'bad input');
});

test('callbackWaitsForEmptyEventLoop: true holds the response until pending timers ran, false answers at once', async () => {
  const { env } = await Environment.ready('callback', 'app.waits');
  let started = Date.now();
  const waited = await env.invoke({ delay: 400 });
  const waitedMs = Date.now() - started;
  started = Date.now();
  const immediate = await env.invoke({ delay: 400, noWait: true });
  const immediateMs = Date.now() - started;
  await env.close();
  assert.equal(JSON.parse(waited.payload as string).waitsDefault, true);
  assert.ok(waitedMs >= 380, `waited ${waitedMs} ms for the pending timer`);
  assert.equal(JSON.parse(immediate.payload as string).waitsDefault, false);
  assert.ok(immediateMs < 300, `answered in ${immediateMs} ms`);
});

test('a sync handler that never calls back is answered with null once the event loop is empty', async () => {
  const { answer, elapsed } = await invokeOnce('callback', 'app.sync');
  assert.equal(answer.type, 'response');
  assert.equal(answer.payload, 'null');
  assert.ok(elapsed >= 40, `waited for the handler's timer (${elapsed} ms)`);
});

test('legacy context.succeed / context.done / context.fail', async () => {
  assert.equal((await invokeOnce('callback', 'app.succeed')).answer.payload, '{"legacy":"succeed"}');
  assert.equal((await invokeOnce('callback', 'app.done')).answer.payload, '{"legacy":"done"}');
  const failed = (await invokeOnce('callback', 'app.fail')).answer as ErrorMessage;
  assert.equal(failed.type, 'error');
  assert.equal(failed.error.errorMessage, 'legacy fail');
  // fail() with nothing still fails, as the string 'handled'.
  const empty = (await invokeOnce('callback', 'app.failEmpty')).answer as ErrorMessage;
  assert.deepEqual(empty.error, { errorType: 'string', errorMessage: 'handled', trace: [] });
});

test('only the first callback counts, and the next invocation still works', async () => {
  const { env } = await Environment.ready('callback', 'app.twice');
  const first = await env.invoke({});
  const second = await env.invoke({});
  await env.close();
  assert.equal(first.payload, '"first"');
  assert.equal(second.payload, '"first"');
});

test('async handler whose promise never settles (nodejs20.x): Runtime.NodeJsExit, environment reusable', async () => {
  const { env } = await Environment.ready('async', 'app.never');
  const answer = (await env.invoke({})) as ErrorMessage;
  assert.equal(answer.error.errorType, 'Runtime.NodeJsExit');
  assert.match(answer.error.errorMessage, /^The Lambda runtime client detected an unexpected Node\.js exit code\./);
  assert.equal((await env.invoke({})).type, 'error', 'still answering');
  await env.close();
});

test('nodejs24.x: a promise that never settles lets the process exit (Portico reports Runtime.ExitError)', async () => {
  const { env } = await Environment.ready('async', 'app.never', { runtime: 'nodejs24.x' });
  await assert.rejects(env.invoke({}), /exited \(0\) without answering/);
  assert.equal((await env.exit()).code, 0);
  await env.close();
});

test('unserialisable result (nodejs20.x): errorType "Error", "Unable to stringify response body"', async () => {
  const { answer, env } = await invokeOnce('async', 'app.circular');
  const { error } = answer as ErrorMessage;
  assert.equal(error.errorType, 'Error');
  assert.equal(error.errorMessage, 'Unable to stringify response body');
  assert.ok(env.lines().some((l) => l.includes('\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"Unable to stringify')));
});

test('unserialisable result (nodejs24.x): Runtime.JSONStringifyError', async () => {
  const { answer } = await invokeOnce('async', 'app.circular', {}, 'nodejs24.x');
  const { error } = answer as ErrorMessage;
  assert.equal(error.errorType, 'Runtime.JSONStringifyError');
  assert.equal(error.errorMessage, 'Unable to stringify response body');
});

test('nodejs24.x refuses a handler declaring a callback parameter at init', async () => {
  const { env, init } = await Environment.ready('node24-callback', 'app.handler', { runtime: 'nodejs24.x' });
  const exited = await env.exit();
  await env.close();
  assert.equal(init.type, 'initError');
  const { error } = init as ErrorMessage;
  assert.equal(error.errorType, 'Runtime.CallbackHandlerDeprecated');
  assert.equal(error.errorMessage, CALLBACK_REMOVED);
  assert.equal(error.trace[0], `Runtime.CallbackHandlerDeprecated: ${CALLBACK_REMOVED}`);
  assert.equal(exited.code, 1);
  assert.ok(env.lines().some((l) => /\tundefined\tERROR\tInit Error \t\{"errorType":"Runtime.CallbackHandlerDeprecated"/.test(l)));
});

test('the same three-parameter handler is accepted on nodejs22.x', async () => {
  const { answer } = await invokeOnce('node24-callback', 'app.handler', {}, 'nodejs22.x');
  assert.equal(answer.payload, '{"ok":true}');
});

test('nodejs24.x: two-parameter handlers run, with no callback members on context', async () => {
  const { answer } = await invokeOnce('node24-callback', 'app.modern', {}, 'nodejs24.x');
  assert.deepEqual(JSON.parse(answer.payload as string), { ok: true, hasWaitFlag: false, hasDone: 'undefined' });
  const sync = await invokeOnce('node24-callback', 'app.sync', {}, 'nodejs24.x');
  assert.equal(sync.answer.payload, '"sync result"');
});

test('nodejs24.x also finds the handler on the default export; nodejs20.x does not', async () => {
  const modern = await invokeOnce('node24-callback', 'app.fromDefault', {}, 'nodejs24.x');
  assert.equal(modern.answer.payload, '"found in default"');
  const { env, init } = await Environment.ready('node24-callback', 'app.fromDefault', { runtime: 'nodejs20.x' });
  await env.close();
  assert.equal((init as ErrorMessage).error.errorType, 'Runtime.HandlerNotFound');
});

test('the runtime generation also follows AWS_EXECUTION_ENV when the init message has no runtime field', async () => {
  const env = await Environment.start();
  const init = await env.init('node24-callback', 'app.handler', { runtime: 'nodejs24.x', omitRuntimeField: true });
  await env.close();
  assert.equal((init as ErrorMessage).error.errorType, 'Runtime.CallbackHandlerDeprecated');
});
