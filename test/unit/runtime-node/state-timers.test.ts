import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Environment } from './harness.js';

test('module state is kept between invocations of one environment, and not shared between environments', async () => {
  const a = await Environment.ready('state', 'app.handler');
  const counts = [];
  for (let i = 0; i < 3; i++) counts.push(JSON.parse((await a.env.invoke({})).payload as string).count);
  const b = await Environment.ready('state', 'app.handler');
  const fresh = JSON.parse((await b.env.invoke({})).payload as string).count;
  await a.env.close();
  await b.env.close();
  assert.deepEqual(counts, [1, 2, 3]);
  assert.equal(fresh, 1);
});

test('an async handler is answered at once even with a timer left running, which keeps running afterwards', async () => {
  const { env } = await Environment.ready('timers', 'app.handler');
  const started = Date.now();
  const first = JSON.parse((await env.invoke({})).payload as string);
  const firstMs = Date.now() - started;
  await new Promise((r) => setTimeout(r, 200));
  const second = JSON.parse((await env.invoke({})).payload as string);
  await env.close();
  assert.ok(firstMs < 500, `answered in ${firstMs} ms`);
  assert.equal(first.ticks, 0);
  assert.ok(second.ticks >= 5, `interval kept ticking (${second.ticks})`);
});
