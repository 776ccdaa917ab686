import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildV2Event } from '../../../src/gateway/events/v2.js';
import { EPOCH, ids, parse, request, route } from './fixtures.js';

type Obj = Record<string, unknown>;

const HTTP_IDS = ids({ requestId: 'WSg1ihmdliAEJXA=', extendedRequestId: 'WSg1ihmdliAEJXA=' });

function v2(overrides: Parameters<typeof request>[0] = {}, r = route({ stage: '$default', routeKey: '$default' })): Obj {
  return parse(buildV2Event(request({ rawPath: '/my/path', pathParameters: null, ...overrides }), r, HTTP_IDS));
}

test('v2: exact JSON with every optional key present, in the docs order', () => {
  const req = request({
    method: 'POST',
    rawPath: '/dev/my/path',
    rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
    rawHeaders: [
      'Host', 'api.example',
      'Header2', 'value1',
      'header2', 'value2',
      'Cookie', 'cookie1=a; cookie2=b',
      'User-Agent', 'agent',
      'Content-Type', 'text/plain',
      'Content-Length', '17',
      'Connection', 'keep-alive',
    ],
    body: Buffer.from('Hello from Lambda'),
    host: 'api.example',
    scheme: 'https',
    localPort: 443,
    pathParameters: { parameter1: 'path' },
  });
  const r = route({
    stage: 'dev',
    routeKey: 'POST /my/{parameter1}',
    resource: '/my/{parameter1}',
    stageVariables: { stageVariable1: 'value1' },
  });
  const expected = {
    version: '2.0',
    routeKey: 'POST /my/{parameter1}',
    rawPath: '/dev/my/path',
    rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
    cookies: ['cookie1=a', 'cookie2=b'],
    headers: {
      'content-length': '17',
      'content-type': 'text/plain',
      header2: 'value1,value2',
      host: 'api.example',
      'user-agent': 'agent',
      'x-amzn-trace-id': 'Root=1-5e5ff3c5-0123456789abcdef01234567',
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    },
    queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.localhost',
      domainPrefix: 'abc123',
      http: { method: 'POST', path: '/dev/my/path', protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'agent' },
      requestId: 'WSg1ihmdliAEJXA=',
      routeKey: 'POST /my/{parameter1}',
      stage: 'dev',
      time: '04/Mar/2020:19:15:17 +0000',
      timeEpoch: EPOCH,
    },
    body: 'Hello from Lambda',
    pathParameters: { parameter1: 'path' },
    isBase64Encoded: false,
    stageVariables: { stageVariable1: 'value1' },
  };
  assert.equal(buildV2Event(req, r, HTTP_IDS), JSON.stringify(expected));
});

test('v2: keys without data are omitted (no body, query, path parameters, stage variables, cookies)', () => {
  const e = v2();
  assert.deepEqual(Object.keys(e), ['version', 'routeKey', 'rawPath', 'rawQueryString', 'headers', 'requestContext', 'isBase64Encoded']);
  assert.equal(e.rawQueryString, '');
  assert.equal(e.isBase64Encoded, false);
  assert.equal(e.routeKey, '$default');
  const rc = e.requestContext as Obj;
  assert.equal(rc.stage, '$default');
  assert.equal('authorizer' in rc, false);
  assert.equal('authentication' in rc, false);
  const empty = v2({ pathParameters: {} }, route({ stage: '$default', routeKey: '$default', stageVariables: {} }));
  assert.equal('pathParameters' in empty, false);
  assert.equal('stageVariables' in empty, false);
});

test('v2: header names lower-cased, duplicates comma-joined, all Cookie headers moved to cookies', () => {
  const e = v2({
    rawHeaders: ['Host', 'h', 'X-Dup', 'a', 'x-dup', 'b', 'X-DUP', 'c, d', 'Cookie', 'a=1; b=2', 'cookie', 'c=3'],
  });
  const h = e.headers as Obj;
  assert.equal(h['x-dup'], 'a,b,c, d');
  assert.equal('X-Dup' in h, false);
  assert.equal('cookie' in h, false);
  assert.deepEqual(e.cookies, ['a=1', 'b=2', 'c=3']);
  for (const name of Object.keys(h)) assert.equal(name, name.toLowerCase());
});

test('v2: query strings decoded, repeats comma-joined, rawQueryString kept as received', () => {
  const raw = 'email=test%2Balias@gmail.com&plus=a+b&k=1&k=2&flag';
  const e = v2({ rawQueryString: raw });
  assert.equal(e.rawQueryString, raw);
  assert.deepEqual(e.queryStringParameters, { email: 'test+alias@gmail.com', plus: 'a b', k: '1,2', flag: '' });
});

test('v2: rawPath and requestContext.http.path carry the stage prefix of a named stage, none for $default', () => {
  const named = v2({ rawPath: '/dev/agents/1234', pathParameters: { id: '1234' } }, route({ stage: 'dev', routeKey: 'GET /agents/{id}' }));
  assert.equal(named.rawPath, '/dev/agents/1234');
  assert.equal(((named.requestContext as Obj).http as Obj).path, '/dev/agents/1234');
  assert.deepEqual(named.pathParameters, { id: '1234' });
  const def = v2({ rawPath: '/agents/1234' });
  assert.equal(def.rawPath, '/agents/1234');
  assert.equal(((def.requestContext as Obj).http as Obj).path, '/agents/1234');
});

test('v2: {proxy+} path parameter as matched', () => {
  const e = v2({ rawPath: '/hello/world', pathParameters: { proxy: 'hello/world' } }, route({ stage: '$default', routeKey: 'ANY /{proxy+}' }));
  assert.deepEqual(e.pathParameters, { proxy: 'hello/world' });
  assert.equal(e.routeKey, 'ANY /{proxy+}');
});

test('v2: body is text for text/*, application/json|xml|javascript; base64 otherwise (also without Content-Type)', () => {
  const body = Buffer.from('a=1&b=é');
  const send = (ct: string | undefined) =>
    v2({ method: 'POST', rawHeaders: ct === undefined ? ['Host', 'h'] : ['Host', 'h', 'Content-Type', ct], body });
  for (const ct of ['text/plain', 'text/html; charset=utf-8', 'application/json', 'Application/JSON', 'application/xml', 'application/javascript']) {
    const e = send(ct);
    assert.equal(e.isBase64Encoded, false, ct);
    assert.equal(e.body, 'a=1&b=é', ct);
  }
  for (const ct of ['application/x-www-form-urlencoded', 'application/octet-stream', 'image/png', 'multipart/form-data; boundary=x', 'application/vnd.api+json', undefined]) {
    const e = send(ct);
    assert.equal(e.isBase64Encoded, true, String(ct));
    assert.equal(e.body, body.toString('base64'), String(ct));
  }
});

test('v2: requestContext.http, requestId in the short form, time and timeEpoch', () => {
  const e = v2({ method: 'DELETE', protocol: 'HTTP/1.0', rawHeaders: ['Host', 'h', 'user-agent', 'curl/8'], requestTimeEpoch: Date.UTC(2020, 2, 12, 19, 3, 58, 390) });
  const rc = e.requestContext as Obj;
  assert.deepEqual(rc.http, { method: 'DELETE', path: '/my/path', protocol: 'HTTP/1.0', sourceIp: '203.0.113.9', userAgent: 'curl/8' });
  assert.equal(rc.requestId, 'WSg1ihmdliAEJXA=');
  assert.equal(rc.time, '12/Mar/2020:19:03:58 +0000');
  assert.equal(rc.timeEpoch, Date.UTC(2020, 2, 12, 19, 3, 58, 390));
  assert.deepEqual(Object.keys(rc), ['accountId', 'apiId', 'domainName', 'domainPrefix', 'http', 'requestId', 'routeKey', 'stage', 'time', 'timeEpoch']);
});

test('v2: x-forwarded-for appends the client ip; a client trace header is kept; generated one has the root format', () => {
  const e = v2({ rawHeaders: ['Host', 'h', 'X-Forwarded-For', '198.51.100.1', 'X-Amzn-Trace-Id', 'Root=1-abc'] });
  const h = e.headers as Obj;
  assert.equal(h['x-forwarded-for'], '198.51.100.1, 203.0.113.9');
  assert.equal(h['x-amzn-trace-id'], 'Root=1-abc');
  const g = parse(buildV2Event(request({ rawHeaders: ['Host', 'h'] }), route(), ids({ traceId: undefined })));
  assert.match((g.headers as Obj)['x-amzn-trace-id'] as string, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
});

test('v2: AWS_IAM caller as requestContext.authorizer.iam', () => {
  const iam = { accessKey: 'AKIAEXAMPLE', accountId: '123456789012', caller: '123456789012', userArn: 'arn:aws:iam::123456789012:root' };
  const event = parse(buildV2Event(request({ authorizer: { kind: 'iam', principalId: iam.caller, context: {}, integrationLatency: 0, iam } }), route(), ids()));
  assert.deepEqual((event.requestContext as Record<string, unknown>).authorizer, {
    iam: { accessKey: 'AKIAEXAMPLE', accountId: '123456789012', callerId: '123456789012', cognitoIdentity: null, principalOrgId: null, userArn: 'arn:aws:iam::123456789012:root', userId: '123456789012' },
  });
});
