import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { Environment } from './harness.js';

// Fixtures run from a temporary copy with no node_modules above them; the provided SDK is the repository's own.
const SDK = { PORTICO_PROVIDED_SDK_DIR: process.cwd() };

async function run(name: string, handler: string, env: Record<string, string> = SDK) {
  const ready = await Environment.ready(name, handler, { env });
  const answer = ready.init.type === 'initDone' ? await ready.env.invoke({}) : undefined;
  await ready.env.close();
  return { init: ready.init, answer };
}

test('ESM import of @aws-sdk/client-dynamodb resolves from the provided SDK', async () => {
  const { init, answer } = await run('sdk-esm', 'app.handler');
  assert.equal(init.type, 'initDone', JSON.stringify(init));
  assert.deepEqual(JSON.parse(answer!.payload as string), { client: 'function', command: 'ListTablesCommand' });
});

test('require() of @aws-sdk/client-dynamodb resolves from the provided SDK', async () => {
  const { init, answer } = await run('sdk-cjs', 'app.handler');
  assert.equal(init.type, 'initDone', JSON.stringify(init));
  const body = JSON.parse(answer!.payload as string);
  assert.equal(body.client, 'function');
  assert.equal(body.resolved, realpathSync(`${process.cwd()}/node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js`));
});

test('without PORTICO_PROVIDED_SDK_DIR the same imports fail (the fixtures really have no SDK of their own)', async () => {
  const esm = await run('sdk-esm', 'app.handler', {});
  assert.equal(esm.init.type, 'initError');
  assert.match((esm.init.error as { errorMessage: string }).errorMessage, /^Cannot find package '@aws-sdk\/client-dynamodb'/);
  const cjs = await run('sdk-cjs', 'app.handler', {});
  assert.equal((cjs.init.error as { errorType: string }).errorType, 'Runtime.ImportModuleError');
});

test('only the @aws-sdk scope is provided, not Portico\'s other dependencies', async () => {
  const { init } = await run('sdk-esm', 'notsdk.handler');
  assert.equal(init.type, 'initError');
  assert.match((init.error as { errorMessage: string }).errorMessage, /^Cannot find package 'yaml' imported from /);
});

test('the app\'s own copy of an @aws-sdk package wins, for import and require', async () => {
  const esm = await run('sdk-own', 'app.handler');
  assert.equal(esm.answer?.payload, '"app"');
  const cjs = await run('sdk-own', 'own.handler');
  assert.equal(cjs.answer?.payload, '"app"');
});
