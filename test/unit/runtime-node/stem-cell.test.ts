import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, realpathSync } from 'node:fs';
import { Environment } from './harness.js';

test('a stem cell says ready on fd 3, loads no user code, and exits as soon as fd 3 ends', async () => {
  const env = await Environment.start();
  // No user code yet: nothing printed, and the process is still waiting.
  assert.equal(env.stdout, '');
  assert.equal(env.child.exitCode, null);
  env.send({}); // an unknown message is ignored, not fatal
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(env.child.exitCode, null);
  const started = Date.now();
  await env.close();
  assert.deepEqual(await env.exit(), { code: 0, signal: null });
  assert.ok(Date.now() - started < 2000, 'exits promptly on EOF');
});

test('a specialised environment also exits at fd 3 EOF, even between invocations', async () => {
  const { env, init } = await Environment.ready('state', 'app.handler');
  assert.equal(init.type, 'initDone');
  await env.invoke({});
  await env.close();
  assert.equal((await env.exit()).code, 0);
});

test('init merges env (TZ takes effect), chdirs to the task root, and initDone carries output counters', async () => {
  const { env, init } = await Environment.ready('context', 'app.handler', {
    env: { TZ: 'Asia/Tokyo', MY_SETTING: 'on' },
  });
  assert.equal(init.type, 'initDone');
  assert.equal(init.stdout, 0);
  assert.equal(init.stderr, 0);
  assert.equal(typeof init.maxRss, 'number');
  assert.ok((init.maxRss as number) > 10 * 1024 * 1024, 'maxRss is in bytes');
  const answer = await env.invoke({});
  const body = JSON.parse(answer.payload as string);
  assert.equal(body.tz, 'Asia/Tokyo');
  assert.equal(body.tzOffsetMinutes, -540, 'Tokyo is UTC+9 for Date');
  assert.equal(body.custom, 'on');
  assert.equal(realpathSync(body.cwd), realpathSync(env.taskRoot()));
  await env.close();
});

test('a second init message is ignored: a stem cell is specialised once', async () => {
  const { env } = await Environment.ready('state', 'app.handler');
  env.send({ type: 'init', taskRoot: '/nonexistent', handler: 'x.y', env: {} });
  const answer = await env.invoke({});
  assert.equal(answer.type, 'response');
  assert.equal(JSON.parse(answer.payload as string).count, 1);
  await env.close();
});

test('an init that cannot be applied (task root missing) still gets an initError, then the process exits', async () => {
  const env = await Environment.start();
  env.send({ type: 'init', transport: 'pipe', taskRoot: '/nonexistent/portico-task', handler: 'app.handler', env: {} });
  const answer = await env.next();
  const exited = await env.exit();
  await env.close();
  assert.equal(answer.type, 'initError');
  assert.match((answer.error as { errorMessage: string }).errorMessage, /^ENOENT: no such file or directory, chdir/);
  assert.equal(exited.code, 1);
});

test('the idle stem cell stays under 15 MB of private memory (USS)', { skip: !hasSmapsRollup() }, async () => {
  const env = await Environment.start({ PORTICO_PROVIDED_SDK_DIR: process.cwd() });
  await new Promise((r) => setTimeout(r, 500));
  const rollup = readFileSync(`/proc/${env.child.pid}/smaps_rollup`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1]);
  const uss = kb('Private_Clean') + kb('Private_Dirty');
  assert.ok(uss > 1000, `implausible USS ${uss} kB`);
  assert.ok(uss < 15 * 1024, `idle USS ${uss} kB`);
  await env.close();
});

function hasSmapsRollup(): boolean {
  try {
    readFileSync('/proc/self/smaps_rollup');
    return true;
  } catch {
    return false;
  }
}
