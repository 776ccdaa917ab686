import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Environment } from './harness.js';

const TIME = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

test('console methods write `<ISO time>\\t<requestId>\\t<LEVEL>\\t<message>` lines with util.format semantics', async () => {
  const { env } = await Environment.ready('console', 'app.handler');
  const answer = await env.invoke({});
  await env.stdoutReaches(answer.stdout as number);
  await env.close();
  const id = answer.requestId as string;
  const expected: [string, string][] = [
    ['INFO', 'log formatted 42'],
    ['INFO', 'info { a: 1 }'],
    ['WARN', 'warn'],
    ['ERROR', 'error'],
    ['DEBUG', 'debug'],
    ['TRACE', 'trace'],
    // A multi-line message stays one line: newlines become \r, as the RIC writes to stdout.
    ['INFO', 'multi\rline'],
  ];
  const lines = env.lines();
  for (const [i, [level, message]] of expected.entries()) {
    assert.match(lines[i], new RegExp(`^${TIME}\\t${id}\\t${level}\\t`), lines[i]);
    assert.equal(lines[i].split('\t').slice(3).join('\t'), message);
  }
  assert.equal(lines[7], 'raw stdout', 'process.stdout.write is not reformatted');
  assert.equal(env.stderr, 'raw stderr é\n');
});

test('responses report the exact bytes written to stdout and stderr so far', async () => {
  const { env } = await Environment.ready('console', 'app.handler');
  const first = await env.invoke({});
  await env.stdoutReaches(first.stdout as number);
  assert.equal(first.stdout, Buffer.byteLength(env.stdout));
  assert.equal(first.stderr, Buffer.byteLength('raw stderr é\n'), 'bytes, not characters');
  const second = await env.invoke({});
  await env.stdoutReaches(second.stdout as number);
  await env.close();
  assert.equal(second.stdout, Buffer.byteLength(env.stdout));
  // Both invocations print the same lines (timestamps and request ids have fixed lengths): totals are cumulative.
  assert.equal(second.stdout, 2 * (first.stdout as number));
  assert.equal(second.stderr, 2 * (first.stderr as number));
});

test('AWS_LAMBDA_LOG_LEVEL drops lower levels', async () => {
  const { env } = await Environment.ready('console', 'app.handler', { env: { AWS_LAMBDA_LOG_LEVEL: 'WARN' } });
  const answer = await env.invoke({});
  await env.stdoutReaches(answer.stdout as number);
  await env.close();
  const levels = env.lines().filter((l) => l.includes('\t')).map((l) => l.split('\t')[2]);
  assert.deepEqual(levels, ['WARN', 'ERROR']);
});

test('AWS_LAMBDA_LOG_FORMAT=JSON writes one JSON object per call', async () => {
  const { env } = await Environment.ready('console', 'app.handler', { env: { AWS_LAMBDA_LOG_FORMAT: 'JSON' } });
  const answer = await env.invoke({});
  await env.stdoutReaches(answer.stdout as number);
  await env.close();
  const first = JSON.parse(env.lines()[0]);
  assert.deepEqual(Object.keys(first), ['timestamp', 'level', 'requestId', 'message']);
  assert.equal(first.level, 'INFO');
  assert.equal(first.requestId, answer.requestId);
  assert.equal(first.message, 'log formatted 42');
  const single = JSON.parse(env.lines()[1]);
  assert.equal(single.message, 'info { a: 1 }');
});

test('log lines before the first invocation carry "undefined" as request id', async () => {
  const { env } = await Environment.ready('callback', 'app.handler');
  await env.close();
  assert.match(env.lines()[0], new RegExp(`^${TIME}\\tundefined\\tWARN\\t`));
});
