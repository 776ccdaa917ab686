import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fixture, startFunction, type Message } from './harness.js';

const NBSP = '\u00a0';
const WARNING_LINE =
  /^\[WARNING\]\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t\tLAMBDA_WARNING: Unhandled exception\. The most likely cause is an issue in the function code\. However, in rare cases, a Lambda runtime update can cause unexpected function behavior\. .*For more information, see https:\/\/docs\.aws\.amazon\.com\/lambda\/latest\/dg\/runtimes-update\.html\r\n/;

/** Starts a function whose init must fail; checks the common shape and returns the error and the log. */
async function initFailure(
  name: string,
  handler: string,
): Promise<{ error: Record<string, unknown>; log: string; init: Message }> {
  const { rt, init } = await startFunction(name, handler);
  try {
    assert.equal(init.type, 'initError', JSON.stringify(init));
    const error = init.error as Record<string, unknown>;
    assert.deepEqual(Object.keys(error), ['errorMessage', 'errorType', 'requestId', 'stackTrace']);
    assert.equal(error.requestId, '');
    // Like the RIC, the process ends (status 1) after reporting an init error.
    const exit = await rt.exit();
    assert.deepEqual(exit, { code: 1, signal: null });
    await rt.drained();
    const log = rt.stdoutText();
    assert.equal(rt.stdoutBytes().length, init.stdout, 'stdout counter matches the bytes written');
    assert.match(log, WARNING_LINE);
    return { error, log: log.replace(WARNING_LINE, ''), init };
  } finally {
    await rt.close();
  }
}

test('missing module: Runtime.ImportModuleError', async () => {
  const { error, log } = await initFailure('ok', 'missing.handler');
  assert.deepEqual(error, {
    errorMessage: "Unable to import module 'missing': No module named 'missing'",
    errorType: 'Runtime.ImportModuleError',
    requestId: '',
    stackTrace: [],
  });
  assert.equal(
    log,
    "[ERROR] Runtime.ImportModuleError: Unable to import module 'missing': No module named 'missing'\n" +
      'Traceback (most recent call last):\n',
  );
});

test('a module importing a missing package: Runtime.ImportModuleError naming the package', async () => {
  const { error } = await initFailure('import_dep', 'app.handler');
  assert.equal(error.errorType, 'Runtime.ImportModuleError');
  assert.equal(
    error.errorMessage,
    "Unable to import module 'app': No module named 'portico_fixture_missing_dependency'",
  );
});

test('missing function: Runtime.HandlerNotFound', async () => {
  const { error } = await initFailure('ok', 'app.nope');
  assert.deepEqual(error, {
    errorMessage: "Handler 'nope' missing on module 'app'",
    errorType: 'Runtime.HandlerNotFound',
    requestId: '',
    stackTrace: [],
  });
});

test('handler without a dot: Runtime.MalformedHandlerName', async () => {
  const { error } = await initFailure('ok', 'app');
  assert.deepEqual(error, {
    errorMessage: "Bad handler 'app': not enough values to unpack (expected 2, got 1)",
    errorType: 'Runtime.MalformedHandlerName',
    requestId: '',
    stackTrace: [],
  });
});

test('a built-in module name: Runtime.BuiltInModuleConflict', async () => {
  const { error } = await initFailure('ok', 'sys.handler');
  assert.equal(error.errorType, 'Runtime.BuiltInModuleConflict');
  assert.equal(error.errorMessage, 'Cannot use built-in module sys as a handler module');
});

test('syntax error: Runtime.UserCodeSyntaxError with the RIC\'s one-element trace', async () => {
  const file = path.join(fixture('syntax'), 'app.py');
  const { error, log } = await initFailure('syntax', 'app.handler');
  assert.equal(error.errorType, 'Runtime.UserCodeSyntaxError');
  assert.equal(error.errorMessage, "Syntax error in module 'app': expected ':' (app.py, line 1)");
  assert.deepEqual(error.stackTrace, [`  File "${file}" Line 1\n    def handler(event, context)\n`]);
  assert.equal(
    log,
    "[ERROR] Runtime.UserCodeSyntaxError: Syntax error in module 'app': expected ':' (app.py, line 1)\n" +
      'Traceback (most recent call last):\n' +
      `${NBSP}${NBSP}File "${file}" Line 1\n` +
      `${NBSP.repeat(4)}def handler(event, context)\n`,
  );
});

test('an exception while importing: its own type, with the import frames', async () => {
  const file = path.join(fixture('init_raise'), 'app.py');
  const { error } = await initFailure('init_raise', 'app.handler');
  assert.equal(error.errorType, 'ValueError');
  assert.equal(error.errorMessage, 'bad config at import');
  const trace = error.stackTrace as string[];
  assert.match(trace[0], /^ {2}File ".*\/importlib\/__init__\.py", line \d+, in import_module\n {4}return _bootstrap/);
  assert.ok(trace.some((t) => /^ {2}File "<frozen importlib\._bootstrap>", line \d+, in _gcd_import\n$/.test(t)));
  assert.equal(trace.at(-1), `  File "${file}", line 1, in <module>\n    raise ValueError("bad config at import")\n`);
  assert.ok(!trace.some((t) => t.includes('portico_runtime') || t.includes('bootstrap.py')), 'no runtime frames');
});

test('an exception in the handler: error document, stack trace and the [ERROR] log', async () => {
  const file = path.join(fixture('error'), 'app.py');
  const { rt } = await startFunction('error', 'app.handler');
  try {
    const answer = await rt.invoke({}, { requestId: 'err-1' });
    assert.equal(answer.type, 'error');
    assert.equal(answer.requestId, 'err-1');
    const error = answer.error as Record<string, unknown>;
    assert.deepEqual(Object.keys(error), ['errorMessage', 'errorType', 'requestId', 'stackTrace']);
    assert.deepEqual(error, {
      errorMessage: 'some error occurred',
      errorType: 'CustomException',
      requestId: 'err-1',
      stackTrace: [
        `  File "${file}", line 10, in handler\n    fail("some error occurred")\n`,
        `  File "${file}", line 6, in fail\n    raise CustomException(message)\n`,
      ],
    });
    const expectedLog =
      '[ERROR] CustomException: some error occurred\n' +
      'Traceback (most recent call last):\n' +
      `${NBSP}${NBSP}File "${file}", line 10, in handler\n` +
      `${NBSP.repeat(4)}fail("some error occurred")\n` +
      `${NBSP}${NBSP}File "${file}", line 6, in fail\n` +
      `${NBSP.repeat(4)}raise CustomException(message)\n`;
    assert.equal(answer.stdout, Buffer.byteLength(expectedLog), 'stdout counter counts UTF-8 bytes');
    assert.equal(answer.stderr, 0);
    await rt.waitForOutput(answer.stdout as number, 0);
    assert.equal(rt.stdoutText(), expectedLog);

    // The environment survives a function error.
    const again = await rt.invoke({}, { requestId: 'err-2' });
    assert.equal(again.type, 'error');
    assert.equal((again.error as Record<string, unknown>).requestId, 'err-2');
  } finally {
    await rt.close();
  }
});
