import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PyRuntime, RUNTIME_DIR, fixture, startFunction } from './harness.js';

test('a stem cell says ready first, and nothing else', async () => {
  const rt = new PyRuntime();
  try {
    const ready = await rt.next();
    assert.deepEqual(ready, { type: 'ready' });
    assert.equal(rt.stdoutText(), '');
    assert.equal(rt.stderrText(), '');
  } finally {
    await rt.close();
  }
});

test('a stem cell exits at once when fd 3 reaches end-of-file', async () => {
  const rt = new PyRuntime();
  await rt.expect('ready');
  const started = Date.now();
  rt.pipe.end();
  const exit = await rt.exit();
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.ok(Date.now() - started < 2000, 'exited promptly');
});

test('a specialised environment exits when fd 3 closes, even while the handler runs', async () => {
  const { rt, init } = await startFunction('sleep', 'app.handler');
  assert.equal(init.type, 'initDone');
  rt.send({ type: 'invoke', requestId: 'r-1', deadlineMs: Date.now() + 60000, payload: '{"seconds": 30}' });
  await rt.waitForOutput(Buffer.byteLength('sleeping\n'), 0);
  const started = Date.now();
  rt.pipe.destroy();
  const exit = await rt.exit();
  assert.equal(exit.code, 0);
  assert.ok(Date.now() - started < 3000, `exited after ${Date.now() - started} ms`);
});

test('init applies env before the import, chdirs, puts the task root first and hides the runtime', async () => {
  const taskRoot = fixture('environ');
  const { rt, init } = await startFunction('environ', 'app.handler', {
    AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
    MY_VAR: 'custom-value',
    TZ: 'JST-9',
  });
  try {
    assert.equal(init.type, 'initDone');
    const answer = await rt.invoke({ runtimeDir: RUNTIME_DIR });
    assert.equal(answer.type, 'response', JSON.stringify(answer));
    const result = JSON.parse(answer.payload as string);
    assert.deepEqual(result.at_import, { endpoint: 'http://127.0.0.1:4566', cwd: taskRoot });
    assert.equal(result.sys_path_0, taskRoot);
    assert.equal(result.portico_visible, false, 'portico_runtime must not be importable by function code');
    assert.equal(result.runtime_dir_on_path, false, 'the runtime directory must be off sys.path');
    assert.equal(result.tz, 'JST', 'time.tzset() must apply the TZ from init');
    assert.equal(result.custom, 'custom-value');
  } finally {
    await rt.close();
  }
});

test('Decimal values are JSON numbers and bytes are strings, as with the RIC encoder', async () => {
  const { rt } = await startFunction('environ', 'app.handler');
  try {
    const answer = await rt.invoke({});
    const payload = answer.payload as string;
    assert.match(payload, /"price": 19\.99, "whole": 3, "blob": "bytes-value"\}$/);
  } finally {
    await rt.close();
  }
});
