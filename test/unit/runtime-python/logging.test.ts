import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFunction } from './harness.js';

const TS = '(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z)';

test('logging lines, print and stderr: format, UTC time, request id and exact byte counters', async () => {
  // A non-UTC zone: Lambda's log times are UTC whatever TZ says.
  const { rt } = await startFunction('logs', 'app.handler', { TZ: 'JST-9' });
  try {
    const before = Date.now();
    const answer = await rt.invoke({}, { requestId: 'log-1' });
    const after = Date.now();
    assert.equal(answer.type, 'response');
    assert.equal(answer.payload, '"done"');
    const expected = new RegExp(
      '^plain print \u00e9\n' +
        `\\[WARNING\\]\\t${TS}\\tlog-1\\twarning shown\n` +
        `\\[INFO\\]\\t${TS}\\tlog-1\\tinfo after setLevel\n` +
        `\\[ERROR\\]\\t${TS}\\tlog-1\\tfrom a child logger\n` +
        'context\\.log line\n$',
    );
    await rt.waitForOutput(answer.stdout as number, answer.stderr as number);
    await rt.close();
    await rt.drained();
    const out = rt.stdoutText();
    const m = expected.exec(out);
    assert.ok(m, `unexpected stdout: ${JSON.stringify(out)}`);
    for (const stamp of m.slice(1)) {
      const t = Date.parse(stamp);
      assert.ok(t >= before - 1000 && t <= after + 1000, `${stamp} is not the current UTC time`);
    }
    assert.equal(answer.stdout, rt.stdoutBytes().length, 'stdout counter = bytes written');
    assert.equal(rt.stderrText(), 'to stderr\n');
    assert.equal(answer.stderr, Buffer.byteLength('to stderr\n'));
  } finally {
    await rt.close();
  }
});

test('AWS_LAMBDA_LOG_LEVEL sets the root logger level (default is WARNING)', async () => {
  const { rt } = await startFunction('logs', 'app.handler', { AWS_LAMBDA_LOG_LEVEL: 'DEBUG' });
  try {
    const answer = await rt.invoke({}, { requestId: 'lvl-1' });
    await rt.waitForOutput(answer.stdout as number, 0);
    assert.match(rt.stdoutText(), new RegExp(`\\n\\[INFO\\]\\t${TS}\\tlvl-1\\tinfo before setLevel is dropped\\n`));
  } finally {
    await rt.close();
  }
});

test('AWS_LAMBDA_LOG_FORMAT=JSON writes JSON log lines', async () => {
  const { rt } = await startFunction('logs', 'app.handler', { AWS_LAMBDA_LOG_FORMAT: 'JSON' });
  try {
    const answer = await rt.invoke({}, { requestId: 'json-1' });
    await rt.waitForOutput(answer.stdout as number, 0);
    const lines = rt.stdoutText().split('\n');
    assert.equal(lines[0], 'plain print \u00e9');
    const warning = JSON.parse(lines[1]);
    assert.deepEqual(Object.keys(warning), ['timestamp', 'level', 'message', 'logger', 'requestId']);
    assert.equal(warning.level, 'WARNING');
    assert.equal(warning.message, 'warning shown');
    assert.equal(warning.logger, 'root');
    assert.equal(warning.requestId, 'json-1');
    assert.match(warning.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(JSON.parse(lines[3]).logger, 'child');
  } finally {
    await rt.close();
  }
});
