/**
 * Access logs through the real `portico up`: one JSON record per request in the log group
 * `/aws/apigateway/<apiId>/<stage>/access`, stored as `<dataDir>/logs/aws/apigateway/<apiId>/<stage>/access.ndjson`
 * (the `$default` stage as `default`), one `{timestamp, logStreamName, message}` line per event whose message is the
 * record.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startPortico, type RunningPortico } from '../helpers/portico.js';
import { apiId, fixture, send, waitFor } from './gateway-helpers.js';

interface AccessRecord {
  requestId: string;
  extendedRequestId: string;
  apiId: string;
  stage: string;
  ip: string;
  httpMethod: string;
  path: string;
  routeKey: string;
  resourcePath: string;
  protocol: string;
  status: number;
  responseLength: number;
  responseLatency: number;
  integrationLatency: number | '-';
  integrationStatus: number | '-';
  errorMessage: string;
}

let portico: RunningPortico;
let gw: string;
let restId: string;
let httpId: string;

before(async () => {
  portico = await startPortico(fixture('gw-mixed'));
  gw = portico.gateway;
  restId = apiId(portico.output(), 'ServerlessRestApi');
  httpId = apiId(portico.output(), 'ServerlessHttpApi');
});

after(async () => {
  await portico?.stop();
});

function accessFile(id: string, stage: string): string {
  return join(portico.dataDir, 'logs', 'aws', 'apigateway', id, stage, 'access.ndjson');
}

function records(file: string): AccessRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const event = JSON.parse(line) as { timestamp: number; logStreamName: string; message: string };
      assert.equal(typeof event.timestamp, 'number');
      assert.equal(event.logStreamName, 'access');
      return JSON.parse(event.message) as AccessRecord;
    });
}

/** The record of the request with this id (waits for the write stream to reach the disk). */
function recordOf(file: string, requestId: string, timeoutMs = 3000): Promise<AccessRecord> {
  return waitFor(() => records(file).find((r) => r.requestId === requestId), timeoutMs, `access record ${requestId} in ${file}`);
}

test('a REST request: one record with requestId, status, routeKey and latencies', async () => {
  const started = Date.now();
  const reply = await send(gw, '/Prod/ok', { headers: [['User-Agent', 'probe']] });
  const elapsed = Date.now() - started;
  assert.equal(reply.status, 200);
  const requestId = String(reply.headers['x-amzn-requestid']);
  const record = await recordOf(accessFile(restId, 'Prod'), requestId);

  assert.equal(record.extendedRequestId, reply.headers['x-amz-apigw-id']);
  assert.equal(record.apiId, restId);
  assert.equal(record.stage, 'Prod');
  assert.equal(record.status, 200);
  assert.equal(record.httpMethod, 'GET');
  assert.equal(record.path, '/Prod/ok');
  assert.equal(record.routeKey, 'GET /ok');
  assert.equal(record.resourcePath, '/ok');
  assert.equal(record.protocol, 'HTTP/1.1');
  assert.equal(record.responseLength, reply.body.length);
  assert.equal(record.integrationStatus, 200);
  assert.equal(record.errorMessage, '-');
  assert.ok(Number.isInteger(record.responseLatency) && record.responseLatency >= 0, `responseLatency ${record.responseLatency}`);
  assert.ok(typeof record.integrationLatency === 'number' && record.integrationLatency >= 0, `integrationLatency ${record.integrationLatency}`);
  assert.ok(record.integrationLatency <= record.responseLatency, 'the integration is part of the response time');
  assert.ok(record.responseLatency <= elapsed + 5, `responseLatency ${record.responseLatency} > client-measured ${elapsed}`);
  assert.equal(records(accessFile(restId, 'Prod')).filter((r) => r.requestId === requestId).length, 1);
});

test('an HTTP API request: the $default stage is stored as "default", requestId = apigw-requestid', async () => {
  const reply = await send(gw, '/ok');
  assert.equal(reply.status, 200);
  const record = await recordOf(accessFile(httpId, 'default'), String(reply.headers['apigw-requestid']));
  assert.equal(record.apiId, httpId);
  assert.equal(record.stage, '$default');
  assert.equal(record.status, 200);
  assert.equal(record.routeKey, 'GET /ok');
  assert.equal(record.path, '/ok');
  assert.equal(typeof record.integrationLatency, 'number');
});

test('failed integrations are logged with their status: a throwing function and a timeout', async () => {
  const boom = await send(gw, '/Prod/boom');
  assert.equal(boom.status, 502);
  const boomRecord = await recordOf(accessFile(restId, 'Prod'), String(boom.headers['x-amzn-requestid']));
  assert.equal(boomRecord.status, 502);
  assert.equal(boomRecord.routeKey, 'GET /boom');
  assert.equal(typeof boomRecord.integrationLatency, 'number');

  const slow = await send(gw, '/slow');
  assert.equal(slow.status, 503);
  const slowRecord = await recordOf(accessFile(httpId, 'default'), String(slow.headers['apigw-requestid']));
  assert.equal(slowRecord.status, 503);
  assert.equal(slowRecord.routeKey, 'GET /slow');
  assert.ok(typeof slowRecord.integrationLatency === 'number' && slowRecord.integrationLatency >= 950, `integrationLatency ${slowRecord.integrationLatency}`);
  assert.ok(slowRecord.responseLatency >= slowRecord.integrationLatency);
});

test('requests to a known API that match no route are logged too (REST 403, HTTP API 404, routeKey "-")', async () => {
  const rest = await send(gw, '/Prod/nope');
  assert.equal(rest.status, 403);
  const restRecord = await recordOf(accessFile(restId, 'Prod'), String(rest.headers['x-amzn-requestid']));
  assert.equal(restRecord.status, 403);
  assert.equal(restRecord.routeKey, '-');
  assert.equal(restRecord.resourcePath, '-');
  assert.equal(restRecord.path, '/Prod/nope');
  assert.equal(restRecord.integrationLatency, '-');

  const http = await send(gw, '/nope');
  assert.equal(http.status, 404);
  const httpRecord = await recordOf(accessFile(httpId, 'default'), String(http.headers['apigw-requestid']));
  assert.equal(httpRecord.status, 404);
  assert.equal(httpRecord.routeKey, '-');
});
