import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Environment, type Message } from './harness.js';

const RUNTIME_DIR = `${process.cwd()}/dist/src/functions/runtimes/node`;
const LOG_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\tundefined\tERROR\t(Uncaught Exception|Init Error) \t(\{.*\})$/;

interface InitErrorDoc {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

async function loads(name: string, handler: string, event: unknown = {}) {
  const { env, init } = await Environment.ready(name, handler);
  assert.equal(init.type, 'initDone', JSON.stringify(init));
  const answer = await env.invoke(event);
  await env.close();
  assert.equal(answer.type, 'response', JSON.stringify(answer));
  return JSON.parse(answer.payload as string);
}

/** Specialises, expects initError, and checks the process then exits with `exitCode` after logging `label`. */
async function failsInit(name: string, handler: string, exitCode = 129, runtime = 'nodejs20.x') {
  const { env, init } = await Environment.ready(name, handler, { runtime });
  const exited = await env.exit();
  await env.close();
  assert.equal(init.type, 'initError', JSON.stringify(init));
  assert.equal(exited.code, exitCode);
  const error = (init as Message & { error: InitErrorDoc }).error;
  assert.deepEqual(Object.keys(error), ['errorType', 'errorMessage', 'trace']);
  const logged = env.lines().map((l) => LOG_LINE.exec(l)).find((m) => m);
  assert.ok(logged, `init failure logged in Lambda's format: ${env.stdout}`);
  return { error, label: logged[1], logged: JSON.parse(logged[2]) as Record<string, unknown> };
}

test('CommonJS handler (.js, no package.json) is loaded with require', async () => {
  const body = await loads('cjs', 'app.handler', { a: 1 });
  assert.deepEqual(body, { kind: 'cjs', hasRequire: true, event: { a: 1 } });
});

test('.mjs handler is loaded as an ES module', async () => {
  const body = await loads('esm-mjs', 'app.handler');
  assert.equal(body.kind, 'mjs');
  assert.equal(body.hasRequire, false);
});

test('.js under package.json "type": "module" is loaded as an ES module', async () => {
  const body = await loads('type-module', 'app.handler');
  assert.equal(body.kind, 'type-module');
  assert.equal(body.hasRequire, false);
});

test('handler path with a directory and a nested property: lib/file.api.v1.handler', async () => {
  assert.equal(await loads('nested', 'lib/file.api.v1.handler'), 'nested ok');
});

test('missing module: Runtime.ImportModuleError with Node\'s "Cannot find module" text and require stack', async () => {
  const { error, label, logged } = await failsInit('missing-export', 'nothere.handler');
  assert.equal(error.errorType, 'Runtime.ImportModuleError');
  assert.equal(
    error.errorMessage,
    `Error: Cannot find module 'nothere'\nRequire stack:\n- ${RUNTIME_DIR}/user-function.js`,
  );
  assert.equal(error.trace[0], "Runtime.ImportModuleError: Error: Cannot find module 'nothere'");
  assert.equal(label, 'Uncaught Exception');
  assert.equal(logged.errorType, 'Runtime.ImportModuleError');
  assert.equal('name' in logged, false, '3.x names errors on the prototype: no "name" field in the log');
  assert.ok(Array.isArray(logged.stack));
});

test('a dependency missing from a CommonJS handler is an ImportModuleError naming the requiring file', async () => {
  const { error } = await failsInit('missing-dep', 'app.handler');
  assert.equal(error.errorType, 'Runtime.ImportModuleError');
  assert.match(error.errorMessage, /^Error: Cannot find module 'portico-no-such-package'\nRequire stack:\n- \/.*\/app\.js\n/);
});

test('a package missing from an ES module keeps Node\'s own error (type "Error"), as on Lambda', async () => {
  const { error } = await failsInit('missing-dep', 'esm.handler');
  assert.equal(error.errorType, 'Error');
  assert.match(error.errorMessage, /^Cannot find package 'portico-no-such-package' imported from \/.*\/esm\.mjs$/);
  assert.match(error.trace[0], /^Error \[ERR_MODULE_NOT_FOUND\]/);
});

test('missing export: Runtime.HandlerNotFound "<handler> is undefined or not exported"', async () => {
  const { error } = await failsInit('missing-export', 'app.handler');
  assert.equal(error.errorType, 'Runtime.HandlerNotFound');
  assert.equal(error.errorMessage, 'app.handler is undefined or not exported');
  assert.equal(error.trace[0], 'Runtime.HandlerNotFound: app.handler is undefined or not exported');
});

test('an export that is not a function: Runtime.HandlerNotFound "<handler> is not a function"', async () => {
  const { error } = await failsInit('missing-export', 'app.notAFunction');
  assert.equal(error.errorType, 'Runtime.HandlerNotFound');
  assert.equal(error.errorMessage, 'app.notAFunction is not a function');
});

test('handler without a dot: Runtime.MalformedHandlerName "Bad handler"', async () => {
  const { error } = await failsInit('missing-export', 'handler');
  assert.equal(error.errorType, 'Runtime.MalformedHandlerName');
  assert.equal(error.errorMessage, 'Bad handler');
});

test('handler climbing out of the task root is refused with the RIC\'s message', async () => {
  const { error } = await failsInit('missing-export', '../app.handler');
  assert.equal(error.errorType, 'Runtime.MalformedHandlerName');
  assert.equal(
    error.errorMessage,
    "'../app.handler' is not a valid handler name. Use absolute paths when specifying root directories in handler names.",
  );
});

test('syntax error: Runtime.UserCodeSyntaxError "SyntaxError: …", stack from the runtime (nodejs20.x)', async () => {
  const { error } = await failsInit('syntax-error', 'app.handler');
  assert.equal(error.errorType, 'Runtime.UserCodeSyntaxError');
  assert.equal(error.errorMessage, 'SyntaxError: Unexpected end of input');
  assert.equal(error.trace[0], 'Runtime.UserCodeSyntaxError: SyntaxError: Unexpected end of input');
});

test('syntax error on nodejs24.x: same type and message, the SyntaxError\'s own stack, "Init Error", exit 1', async () => {
  const { error, label, logged } = await failsInit('syntax-error', 'app.handler', 1, 'nodejs24.x');
  assert.equal(error.errorType, 'Runtime.UserCodeSyntaxError');
  assert.equal(error.errorMessage, 'SyntaxError: Unexpected end of input');
  assert.ok(error.trace.includes('SyntaxError: Unexpected end of input'), error.trace.join('\n'));
  assert.match(error.trace[0], /app\.js:\d+$/);
  assert.equal(label, 'Init Error');
  assert.equal(logged.name, 'Runtime.UserCodeSyntaxError', 'the rewrite names errors in the constructor');
});

test('an error thrown at module top level keeps its own type', async () => {
  const { error } = await failsInit('top-level-throw', 'app.handler');
  assert.equal(error.errorType, 'ConfigError');
  assert.equal(error.errorMessage, 'missing TABLE_NAME');
  assert.equal(error.trace[0], 'ConfigError: missing TABLE_NAME');
});
