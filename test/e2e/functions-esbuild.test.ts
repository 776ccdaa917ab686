import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortico, type RunningPortico } from '../helpers/portico.js';

// Copied out of the repository: the watcher test edits the sources.
const appDir = mkdtempSync(join(tmpdir(), 'portico-esbuild-'));
let portico: RunningPortico;

before(async () => {
  cpSync('test/fixtures/apps/fn-esbuild', appDir, { recursive: true });
  portico = await startPortico(appDir, ['--watch']);
});

after(async () => {
  await portico.stop();
  rmSync(appDir, { recursive: true, force: true });
});

test('a TypeScript function with Metadata.BuildMethod esbuild is built at deploy time and serves its route', async () => {
  const response = await fetch(`${portico.gateway}/Prod/hello`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { message: 'hello world', path: '/hello', typed: true });
});

test('without EntryPoints the handler module is the entry point, its folder kept', async () => {
  const response = await fetch(`${portico.gateway}/greet`);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'hello from the default entry point');
});

test('editing a TypeScript source rebuilds and redeploys it', async () => {
  writeFileSync(join(appDir, 'hello-world/src/words.ts'), 'export function greeting(name: string): string {\n  return `bonjour ${name}`;\n}\n');
  await portico.waitForOutput('Redeployed.', 15_000);
  const response = await fetch(`${portico.gateway}/Prod/hello`);
  assert.equal(((await response.json()) as { message: string }).message, 'bonjour world');
});

test('a source that does not compile keeps the previous deployment and names the function', async () => {
  writeFileSync(join(appDir, 'hello-world/src/words.ts'), 'export function greeting(name: string: string {\n');
  // Both functions import the broken file; whichever build fails first is reported.
  await portico.waitForOutput(/Not redeployed: (HelloWorldFunction|DefaultEntryFunction): esbuild build failed: src\/words\.ts:1: /, 15_000);
  const response = await fetch(`${portico.gateway}/Prod/hello`);
  assert.equal(response.status, 200);
});
