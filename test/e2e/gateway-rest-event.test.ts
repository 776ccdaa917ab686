/**
 * REST API Lambda proxy event (payload 1.0) as the function receives it through the real `portico up`
 * (aws-behaviour.md §1). The fixture's echo function returns the event as the response body.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPortico, type RunningPortico } from '../helpers/portico.js';
import { apiId, fixture, json, send } from './gateway-helpers.js';

const TRACE = 'Root=1-5e5ff3c5-0123456789abcdef01234567';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CLF = /^\d{2}\/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/;

const EVENT_KEYS = [
  'body',
  'headers',
  'httpMethod',
  'isBase64Encoded',
  'multiValueHeaders',
  'multiValueQueryStringParameters',
  'path',
  'pathParameters',
  'queryStringParameters',
  'requestContext',
  'resource',
  'stageVariables',
];
const CONTEXT_KEYS = [
  'accountId',
  'apiId',
  'deploymentId',
  'domainName',
  'domainPrefix',
  'extendedRequestId',
  'httpMethod',
  'identity',
  'path',
  'protocol',
  'requestId',
  'requestTime',
  'requestTimeEpoch',
  'resourceId',
  'resourcePath',
  'stage',
];
const IDENTITY_KEYS = [
  'accessKey',
  'accountId',
  'caller',
  'cognitoAuthenticationProvider',
  'cognitoAuthenticationType',
  'cognitoIdentityId',
  'cognitoIdentityPoolId',
  'principalOrgId',
  'sourceIp',
  'user',
  'userAgent',
  'userArn',
];

type Json = Record<string, unknown>;

let portico: RunningPortico;
let gw: string;
let port: string;
let restId: string;
let binaryId: string;

before(async () => {
  portico = await startPortico(fixture('gw-rest'));
  gw = portico.gateway;
  port = new URL(gw).port;
  restId = apiId(portico.output(), 'ServerlessRestApi');
  binaryId = apiId(portico.output(), 'BinaryApi');
});

after(async () => {
  await portico?.stop();
});

async function echo(path: string, options: Parameters<typeof send>[2] = {}): Promise<Json> {
  const reply = await send(gw, path, options);
  assert.equal(reply.status, 200, reply.text);
  return json(reply);
}

test('GET /Prod/proxy-value: exactly the 12 keys, nulls when absent, path without stage, context path with it', async () => {
  const before = Date.now();
  const reply = await send(gw, '/Prod/proxy-value', { headers: [['User-Agent', 'probe/1.0']] });
  assert.equal(reply.status, 200, reply.text);
  const event = json(reply);
  assert.deepEqual(Object.keys(event).sort(), EVENT_KEYS);
  assert.equal(event.resource, '/{proxy+}');
  assert.equal(event.path, '/proxy-value');
  assert.equal(event.httpMethod, 'GET');
  assert.deepEqual(event.pathParameters, { proxy: 'proxy-value' });
  assert.equal(event.queryStringParameters, null);
  assert.equal(event.multiValueQueryStringParameters, null);
  assert.equal(event.stageVariables, null);
  assert.equal(event.body, null);
  assert.equal(event.isBase64Encoded, false);
  assert.equal('version' in event, false);

  const ctx = event.requestContext as Json;
  assert.deepEqual(Object.keys(ctx).sort(), CONTEXT_KEYS);
  assert.equal(ctx.path, '/Prod/proxy-value');
  assert.equal(ctx.resourcePath, '/{proxy+}');
  assert.equal(ctx.httpMethod, 'GET');
  assert.equal(ctx.stage, 'Prod');
  assert.equal(ctx.protocol, 'HTTP/1.1');
  assert.equal(ctx.apiId, restId);
  assert.equal(ctx.domainPrefix, restId);
  // Addressed by path: a domain name built from the API id (by host name it is exactly the host: gateway-addressing).
  assert.ok(String(ctx.domainName).startsWith(`${restId}.execute-api.`), String(ctx.domainName));
  assert.match(String(ctx.accountId), /^\d{12}$/);
  assert.match(String(ctx.requestId), UUID);
  assert.equal(ctx.requestId, reply.headers['x-amzn-requestid']);
  assert.equal(ctx.extendedRequestId, reply.headers['x-amz-apigw-id']);

  assert.equal(typeof ctx.requestTimeEpoch, 'number');
  const epoch = ctx.requestTimeEpoch as number;
  assert.ok(Number.isInteger(epoch), `requestTimeEpoch ${epoch} is not an integer of milliseconds`);
  assert.ok(epoch >= before - 1000 && epoch <= Date.now() + 1000, `requestTimeEpoch ${epoch} is not near ${before}`);
  assert.match(String(ctx.requestTime), CLF);
  const [day, month, year, hh, mm, ss] = String(ctx.requestTime).split(/[/: ]/);
  assert.equal(
    Date.parse(`${month} ${day} ${year} ${hh}:${mm}:${ss} GMT`),
    Math.floor(epoch / 1000) * 1000,
    'requestTime and requestTimeEpoch name the same second',
  );

  const identity = ctx.identity as Json;
  assert.deepEqual(Object.keys(identity).sort(), IDENTITY_KEYS);
  for (const key of IDENTITY_KEYS) {
    if (key === 'sourceIp') assert.equal(identity.sourceIp, '127.0.0.1');
    else if (key === 'userAgent') assert.equal(identity.userAgent, 'probe/1.0');
    else assert.equal(identity[key], null, `identity.${key}`);
  }
});

test('greedy {proxy+} paths as recorded (§1.4): trailing slash stripped, // kept or collapsed, encoding kept', async () => {
  const encoded = '/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com';
  const rows: Array<[sent: string, path: string, contextPath: string, proxy: string]> = [
    ['/Prod/proxy-value/', '/proxy-value/', '/Prod/proxy-value/', 'proxy-value'],
    ['/Prod/proxy-value//double-slash', '/proxy-value//double-slash', '/Prod/proxy-value//double-slash', 'proxy-value//double-slash'],
    ['//Prod/proxy-value', '/proxy-value', '/Prod/proxy-value', 'proxy-value'],
    ['/Prod//proxy-value', '/proxy-value', '/Prod//proxy-value', 'proxy-value'],
    [`/Prod${encoded}`, encoded, `/Prod${encoded}`, encoded.slice(1)],
  ];
  for (const [sent, path, contextPath, proxy] of rows) {
    const event = await echo(sent);
    assert.equal(event.resource, '/{proxy+}', sent);
    assert.equal(event.path, path, sent);
    assert.equal((event.requestContext as Json).path, contextPath, sent);
    assert.deepEqual(event.pathParameters, { proxy }, sent);
  }
});

test('a static resource and a named path variable', async () => {
  const hardcoded = await echo('/Prod//static');
  assert.equal(hardcoded.resource, '/static');
  assert.equal(hardcoded.path, '/static');
  assert.equal((hardcoded.requestContext as Json).path, '/Prod//static');
  assert.equal((hardcoded.requestContext as Json).resourcePath, '/static');
  assert.equal(hardcoded.pathParameters, null);

  const item = await echo('/Prod/items/42');
  assert.equal(item.resource, '/items/{id}');
  assert.equal(item.path, '/items/42');
  assert.deepEqual(item.pathParameters, { id: '42' });
  assert.equal((item.requestContext as Json).resourcePath, '/items/{id}');
});

test('query strings: last value vs multiValue, decoding and the fragment as recorded (§1.3)', async () => {
  const multi = await echo('/Prod/q?category=electronics&category=books&price=10&price=20&price=30');
  assert.deepEqual(multi.multiValueQueryStringParameters, { category: ['electronics', 'books'], price: ['10', '20', '30'] });
  assert.deepEqual(multi.queryStringParameters, { category: 'books', price: '30' });

  // fetch sends what a browser sends: the fragment stays on the client.
  const res = await fetch(
    `${gw}/Prod/q?email=test%2Balias@gmail.com&plus=test+alias@gmail.com&url=https://www.google.com/` +
      '&dateTimeOffset=2023-06-12T18:05:10.123456+00:00&zhash=abort/#',
  );
  assert.equal(res.status, 200);
  const encoded = (await res.json()) as Json;
  assert.deepEqual(encoded.queryStringParameters, {
    email: 'test+alias@gmail.com',
    plus: 'test alias@gmail.com',
    url: 'https://www.google.com/',
    dateTimeOffset: '2023-06-12T18:05:10.123456 00:00',
    zhash: 'abort/',
  });
});

test('headers: client casing kept, Authorization and User-Agent normalised, repeats in multiValueHeaders', async () => {
  const event = await echo('/Prod/headers', {
    headers: [
      ['tEsT-HEADeR', 'aValUE'],
      ['aUThorization', 'Bearer token'],
      ['user-Agent', 'probe/1.0'],
      ['X-Multi', 'one'],
      ['X-Multi', 'two'],
      ['Accept', '*/*'],
      ['X-Amzn-Trace-Id', TRACE],
    ],
  });
  const expected: Record<string, string> = {
    Accept: '*/*',
    Authorization: 'Bearer token',
    Host: `127.0.0.1:${port}`,
    'tEsT-HEADeR': 'aValUE',
    'User-Agent': 'probe/1.0',
    'X-Amzn-Trace-Id': TRACE,
    'X-Forwarded-For': '127.0.0.1',
    'X-Forwarded-Port': port,
    'X-Forwarded-Proto': 'http',
    'X-Multi': 'two',
  };
  // Connection (sent by the client) is not forwarded.
  assert.deepEqual(event.headers, expected);
  const multi = Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, [v]]));
  multi['X-Multi'] = ['one', 'two'];
  assert.deepEqual(event.multiValueHeaders, multi);
});

test('a JSON POST body arrives as the raw string, not base64, without Content-Length in the headers', async () => {
  const body = '{"name": "ada",\n "tags": [true, null, 1.50]}';
  const event = await echo('/Prod/things', { method: 'POST', headers: [['Content-Type', 'application/json']], body });
  assert.equal(event.httpMethod, 'POST');
  assert.equal(event.body, body);
  assert.equal(event.isBase64Encoded, false);
  assert.equal((event.headers as Json)['Content-Type'], 'application/json');
  assert.equal(Object.keys(event.headers as Json).some((name) => name.toLowerCase() === 'content-length'), false);
});

test('a body whose Content-Type matches BinaryMediaTypes arrives base64-encoded; other types as text', async () => {
  const bytes = Buffer.from([0, 1, 2, 0x80, 0xfe, 0xff, 0x0a]);
  const binary = await echo('/v1/upload', { method: 'POST', headers: [['Content-Type', 'application/octet-stream']], body: bytes });
  assert.equal(binary.isBase64Encoded, true);
  assert.equal(binary.body, bytes.toString('base64'));
  assert.equal(binary.path, '/upload');
  assert.equal((binary.requestContext as Json).stage, 'v1');
  assert.equal((binary.requestContext as Json).apiId, binaryId);

  const png = await echo('/v1/upload', { method: 'POST', headers: [['Content-Type', 'image/png']], body: bytes });
  assert.equal(png.isBase64Encoded, true);
  assert.equal(png.body, bytes.toString('base64'));

  const text = await echo('/v1/upload', { method: 'POST', headers: [['Content-Type', 'text/plain']], body: 'plain text' });
  assert.equal(text.isBase64Encoded, false);
  assert.equal(text.body, 'plain text');

  // The implicit API has no binary media types: the same bytes are sent as (lossy) text, never base64.
  const implicit = await echo('/Prod/upload', { method: 'POST', headers: [['Content-Type', 'application/octet-stream']], body: 'abc' });
  assert.equal(implicit.isBase64Encoded, false);
  assert.equal(implicit.body, 'abc');
});
