/**
 * Redeploy without a restart: `portico up` (watching, as a user runs it) on a temp copy of a fixture app. Editing
 * code swaps the deployment; a broken template keeps the old one serving and says what is wrong.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { copyFixture, send, startWatching, type WatchingPortico } from './gateway-helpers.js';

let app: string;
let portico: WatchingPortico;
let template: string;
let original: string;

before(async () => {
  app = copyFixture('gw-redeploy');
  template = join(app, 'template.yaml');
  original = readFileSync(template, 'utf8');
  portico = await startWatching(app);
});

after(async () => {
  await portico?.stop();
  if (app) rmSync(dirname(app), { recursive: true, force: true });
});

async function body(path: string): Promise<string> {
  const reply = await send(portico.gateway, path);
  assert.equal(reply.status, 200, `${path}: ${reply.status} ${reply.text}`);
  return reply.text;
}

test('editing the code redeploys: new requests get the new code, a request in flight finishes on the old', async () => {
  assert.equal(await body('/version'), 'v1');
  const inFlight = body('/slow');
  // Edit only once the handler runs: a cold start that began before the edit could otherwise load the new file.
  await portico.waitFor('slow v1 started', 1, 10_000);
  const code = join(app, 'src', 'app.mjs');
  writeFileSync(code, readFileSync(code, 'utf8').replace("const VERSION = 'v1';", "const VERSION = 'v2';"));
  await portico.waitFor('Redeployed.', 1, 10_000);
  assert.equal(await body('/version'), 'v2');
  assert.equal(await inFlight, 'v1', 'the request in flight during the redeploy');
  assert.equal(await body('/slow'), 'v2');
  assert.equal(portico.stderr().includes('Not redeployed'), false, portico.stderr());
});

test('a broken template keeps the old deployment serving and names the fault; fixing it redeploys', async () => {
  const redeployed = portico.stdout().split('Redeployed.').length - 1;
  writeFileSync(template, original.replace('Timeout: 5', 'Timeout: not-a-number'));
  await portico.waitFor('Not redeployed:', 1, 10_000);
  assert.match(portico.stderr(), /Resources\.VersionFunction\.Properties\.Timeout/);
  assert.equal(await body('/version'), 'v2');

  // Fixed, with one more route: both serve.
  const extended = original.replace(
    '            Method: get\n',
    '            Method: get\n        Fresh:\n          Type: HttpApi\n          Properties:\n            Path: /fresh\n            Method: get\n',
  );
  assert.notEqual(extended, original);
  writeFileSync(template, extended);
  await portico.waitFor('Redeployed.', redeployed + 1, 10_000);
  assert.equal(await body('/fresh'), 'v2');
  assert.equal(await body('/version'), 'v2');
});
