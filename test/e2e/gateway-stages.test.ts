/**
 * Stages and custom gateway responses through the real `portico up` (fixture gw-cache, StagedApi and StagedHttpApi):
 * each stage answers by path and by host with its own variables, SAM's extra `Stage` stage exists unless
 * `OpenApiVersion` is set, and the API's gateway responses shape its errors.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPortico, type RunningPortico } from '../helpers/portico.js';
import { apiId, fixture, json, send } from './gateway-helpers.js';

let portico: RunningPortico;
let gw: string;

before(async () => {
  portico = await startPortico(fixture('gw-cache'));
  gw = portico.gateway;
});

after(async () => {
  await portico?.stop();
});

test('each stage of a REST API passes its own Variables as stageVariables (main, AWS::ApiGateway::Stage, Deployment)', async () => {
  const v1 = json(await send(gw, '/v1/vars'));
  assert.equal(v1.stage, 'v1');
  assert.deepEqual(v1.stageVariables, { color: 'blue' });
  const v2 = json(await send(gw, '/v2/vars'));
  assert.equal(v2.stage, 'v2');
  assert.deepEqual(v2.stageVariables, { color: 'green' });
  const v3 = json(await send(gw, '/v3/vars'));
  assert.deepEqual(v3.stageVariables, { color: 'red', shape: 'square' });
});

test('SAM adds the stage "Stage" (no variables: stageVariables null) when OpenApiVersion is not set', async () => {
  const reply = await send(gw, '/Stage/vars');
  assert.equal(reply.status, 200);
  const event = json(reply);
  assert.equal(event.stage, 'Stage');
  assert.equal(event.stageVariables, null);
  // CachedApi sets OpenApiVersion: it has no `Stage` stage to answer /Stage/items.
  assert.equal((await send(gw, '/Stage/items')).status, 404, "StagedApi's Stage stage has no /items: its custom 404");
});

test('each stage has its own method settings: v2 caches GET /vars, v1 does not', async () => {
  const v2 = await send(gw, '/v2/vars');
  assert.equal((await send(gw, '/v2/vars')).text, v2.text);
  const v1 = await send(gw, '/v1/vars');
  assert.notEqual((await send(gw, '/v1/vars')).text, v1.text);
});

test('every stage answers by host name too', async () => {
  const id = apiId(portico.output(), 'StagedApi');
  const host = `${id}.execute-api.localhost:${new URL(gw).port}`;
  const v2 = json(await send(gw, '/v2/vars', { headers: [['Host', host]] }));
  assert.deepEqual(v2.stageVariables, { color: 'green' });
  const stage = json(await send(gw, '/Stage/vars', { headers: [['Host', host]] }));
  assert.equal(stage.stage, 'Stage');
});

test('HTTP API StageVariables are in the 2.0 event', async () => {
  const event = json(await send(gw, '/hvars'));
  assert.deepEqual(event.stageVariables, { color: 'purple' });
});

test('a custom MISSING_AUTHENTICATION_TOKEN response: status, headers from literals, stage variables and the request, template', async () => {
  const reply = await send(gw, '/v2/nowhere', { headers: [['X-Ask', 'question']] });
  assert.equal(reply.status, 404);
  assert.equal(reply.headers['content-type'], 'application/json');
  assert.equal(reply.headers['access-control-allow-origin'], '*');
  assert.equal(reply.headers['x-color'], 'green');
  assert.equal(reply.headers['x-asked'], 'question');
  assert.equal(reply.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
  const body = json(reply);
  assert.deepEqual(body, {
    error: 'Missing Authentication Token',
    raw: 'Missing Authentication Token',
    type: 'MISSING_AUTHENTICATION_TOKEN',
    stage: 'v2',
    color: 'green',
    id: reply.headers['x-amzn-requestid'],
  });
});

test('DEFAULT_5XX applies to a failed function: its status, header and template', async () => {
  const reply = await send(gw, '/v1/crash');
  assert.equal(reply.status, 503);
  assert.equal(reply.headers['x-failure'], 'yes');
  assert.deepEqual(json(reply), { failed: 'Internal server error', type: 'DEFAULT_5XX' });
});

test('an API without gateway responses keeps the built-in answers', async () => {
  const reply = await send(gw, '/hvars-missing');
  assert.equal(reply.status, 404);
  assert.equal(reply.text, '{"message":"Not Found"}');
});

test('a stage variable in the integration URI picks the function per stage; a stage without it answers 500', async () => {
  const own = await startPortico(fixture('gw-stagevars'));
  try {
    const v1 = json(await send(own.gateway, '/v1/who'));
    assert.equal(v1.color, 'blue');
    assert.equal(v1.stage, 'v1');
    assert.match((v1.stageVariables as { fn: string }).fn, /BlueFunction/);
    const v2 = json(await send(own.gateway, '/v2/who'));
    assert.equal(v2.color, 'green');
    assert.equal(v2.stage, 'v2');
    const unset = await send(own.gateway, '/Stage/who');
    assert.equal(unset.status, 500);
    assert.deepEqual(json(unset), { message: 'Internal server error' });
    assert.equal(unset.headers['x-amzn-errortype'], 'InternalServerErrorException');
  } finally {
    await own.stop();
  }
});
