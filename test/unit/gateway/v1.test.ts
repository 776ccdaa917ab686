import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildV1Event, restPaths } from '../../../src/gateway/events/v1.js';
import { EPOCH, ids, parse, request, route } from './fixtures.js';

const REST = { httpApi: false };
const HTTP = { httpApi: true };

type Obj = Record<string, unknown>;

function restEvent(req = request(), r = route(), i = ids()): Obj {
  return parse(buildV1Event(req, r, i, REST));
}

test('REST event: exact JSON for a GET on ANY /{proxy+} (key order of real AWS events)', () => {
  const expected = {
    resource: '/{proxy+}',
    path: '/proxy-value',
    httpMethod: 'GET',
    headers: {
      Accept: '*/*',
      Host: 'abc123.execute-api.localhost:3000',
      'User-Agent': 'python-requests/testing',
      'X-Amzn-Trace-Id': 'Root=1-5e5ff3c5-0123456789abcdef01234567',
      'X-Forwarded-For': '203.0.113.9',
      'X-Forwarded-Port': '3000',
      'X-Forwarded-Proto': 'http',
    },
    multiValueHeaders: {
      Accept: ['*/*'],
      Host: ['abc123.execute-api.localhost:3000'],
      'User-Agent': ['python-requests/testing'],
      'X-Amzn-Trace-Id': ['Root=1-5e5ff3c5-0123456789abcdef01234567'],
      'X-Forwarded-For': ['203.0.113.9'],
      'X-Forwarded-Port': ['3000'],
      'X-Forwarded-Proto': ['http'],
    },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: 'proxy-value' },
    stageVariables: null,
    requestContext: {
      resourceId: 'r3s0ur',
      resourcePath: '/{proxy+}',
      httpMethod: 'GET',
      extendedRequestId: 'D4VJDGZOoAMFRmQ=',
      requestTime: '04/Mar/2020:19:15:17 +0000',
      path: '/stage/proxy-value',
      accountId: '123456789012',
      protocol: 'HTTP/1.1',
      stage: 'stage',
      domainPrefix: 'abc123',
      requestTimeEpoch: EPOCH,
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: '203.0.113.9',
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: 'python-requests/testing',
        user: null,
      },
      domainName: 'abc123.execute-api.localhost',
      deploymentId: 'dep123',
      apiId: 'abc123',
    },
    body: null,
    isBase64Encoded: false,
  };
  assert.equal(buildV1Event(request(), route(), ids(), REST), JSON.stringify(expected));
});

test('REST event: exactly the 12 top-level keys of §1.1, all present, no version', () => {
  const e = restEvent();
  assert.deepEqual(Object.keys(e).sort(), [
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
  ]);
  assert.equal('version' in e, false);
});

test('REST requestContext: the §1.1 keys, no authorizer; identity has 12 keys, null except sourceIp/userAgent', () => {
  const rc = restEvent().requestContext as Obj;
  assert.deepEqual(Object.keys(rc).sort(), [
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
  ]);
  const identity = rc.identity as Obj;
  assert.equal(Object.keys(identity).length, 12);
  for (const [k, v] of Object.entries(identity)) {
    if (k === 'sourceIp') assert.equal(v, '203.0.113.9');
    else if (k === 'userAgent') assert.equal(v, 'python-requests/testing');
    else assert.equal(v, null, k);
  }
});

const IAM = { accessKey: 'ASIAEXAMPLE', accountId: '123456789012', caller: 'AROAEXAMPLE:fn', userArn: 'arn:aws:sts::123456789012:assumed-role/fn-role/fn' };
const IAM_AUTHORIZER = { kind: 'iam', principalId: IAM.caller, context: {}, integrationLatency: 0, iam: IAM } as const;

test('AWS_IAM: the caller fills identity (REST and HTTP API 1.0); no requestContext.authorizer on REST', () => {
  const rest = restEvent(request({ authorizer: IAM_AUTHORIZER })).requestContext as Obj;
  assert.equal(rest.authorizer, undefined);
  const identity = rest.identity as Obj;
  assert.deepEqual(
    { accessKey: identity.accessKey, accountId: identity.accountId, caller: identity.caller, user: identity.user, userArn: identity.userArn },
    { accessKey: IAM.accessKey, accountId: IAM.accountId, caller: IAM.caller, user: IAM.caller, userArn: IAM.userArn },
  );
  assert.equal(identity.cognitoIdentityId, null);
  assert.equal(Object.keys(identity).length, 12);
  const http = parse(buildV1Event(request({ authorizer: IAM_AUTHORIZER }), route(), ids(), HTTP)).requestContext as Obj;
  assert.deepEqual(http.authorizer, { claims: null, scopes: null });
  assert.equal((http.identity as Obj).userArn, IAM.userArn);
  assert.equal((http.identity as Obj).user, IAM.caller);
});

test('REST identity.userAgent is null without a User-Agent header', () => {
  const rc = restEvent(request({ rawHeaders: ['Host', 'h'] })).requestContext as Obj;
  assert.equal((rc.identity as Obj).userAgent, null);
});

test('requestTime is CLF dd/MMM/yyyy:HH:mm:ss +0000 in UTC', () => {
  const at = (epoch: number) => (restEvent(request({ requestTimeEpoch: epoch })).requestContext as Obj).requestTime;
  assert.equal(at(EPOCH), '04/Mar/2020:19:15:17 +0000');
  assert.equal(at(Date.UTC(2024, 0, 5, 3, 4, 5, 999)), '05/Jan/2024:03:04:05 +0000');
  assert.equal(at(Date.UTC(2023, 11, 31, 23, 59, 59)), '31/Dec/2023:23:59:59 +0000');
  assert.equal((restEvent(request({ requestTimeEpoch: 1700000000123 })).requestContext as Obj).requestTimeEpoch, 1700000000123);
});

// ---- headers (§1.2)

test('headers: client casing kept; authorization/user-agent normalised to Authorization/User-Agent', () => {
  const e = restEvent(
    request({ rawHeaders: ['Host', 'h', 'tEsT-HEADeR', 'aValUE', 'aUThorization', 'random-value', 'user-Agent', 'ua/1'] }),
  );
  const h = e.headers as Obj;
  assert.equal(h['tEsT-HEADeR'], 'aValUE');
  assert.equal(h.Authorization, 'random-value');
  assert.equal(h['User-Agent'], 'ua/1');
  assert.equal('aUThorization' in h, false);
  assert.equal('user-Agent' in h, false);
  assert.deepEqual((e.multiValueHeaders as Obj).Authorization, ['random-value']);
});

test('headers: a repeated header keeps the last value in headers and all values in multiValueHeaders', () => {
  const e = restEvent(request({ rawHeaders: ['Host', 'h', 'X-Multi', 'one', 'X-Multi', 'two', 'x-multi', 'three'] }));
  assert.equal((e.headers as Obj)['X-Multi'], 'three');
  assert.deepEqual((e.multiValueHeaders as Obj)['X-Multi'], ['one', 'two', 'three']);
  assert.equal('x-multi' in (e.headers as Obj), false);
});

test('headers: Content-Length and Connection (and other hop-by-hop headers) are not forwarded', () => {
  const e = restEvent(
    request({
      method: 'POST',
      rawHeaders: ['Host', 'h', 'Content-Length', '2', 'Connection', 'keep-alive', 'Transfer-Encoding', 'chunked', 'Content-Type', 'text/plain'],
      body: Buffer.from('hi'),
    }),
  );
  const names = Object.keys(e.headers as Obj).map((n) => n.toLowerCase());
  assert.equal(names.includes('content-length'), false);
  assert.equal(names.includes('connection'), false);
  assert.equal(names.includes('transfer-encoding'), false);
  assert.equal((e.headers as Obj)['Content-Type'], 'text/plain');
});

test('headers: regional API adds Host, X-Amzn-Trace-Id, X-Forwarded-For/Port/Proto, sorted case-insensitively', () => {
  const e = restEvent(
    request({
      rawHeaders: ['zeta', 'z', 'Accept', 'a', 'cache-control', 'no-cache', 'Content-Type', 'text/plain'],
      host: 'api.example:8443',
      scheme: 'https',
    }),
    route(),
    ids({ traceId: undefined }),
  );
  assert.deepEqual(Object.keys(e.headers as Obj), [
    'Accept',
    'cache-control',
    'Content-Type',
    'Host',
    'X-Amzn-Trace-Id',
    'X-Forwarded-For',
    'X-Forwarded-Port',
    'X-Forwarded-Proto',
    'zeta',
  ]);
  const h = e.headers as Record<string, string>;
  assert.equal(h.Host, 'api.example:8443');
  assert.equal(h['X-Forwarded-Port'], '8443');
  assert.equal(h['X-Forwarded-Proto'], 'https');
  // generated: Root=1-<8 hex epoch seconds>-<24 hex>
  assert.match(h['X-Amzn-Trace-Id']!, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  assert.equal(h['X-Amzn-Trace-Id']!.slice(7, 15), Math.floor(EPOCH / 1000).toString(16));
});

test('headers: the trace id from RequestIds is used when the client sent none; a client trace header is kept', () => {
  assert.equal((restEvent().headers as Obj)['X-Amzn-Trace-Id'], 'Root=1-5e5ff3c5-0123456789abcdef01234567');
  const sent = 'Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1';
  const e = restEvent(request({ rawHeaders: ['Host', 'h', 'X-Amzn-Trace-Id', sent] }));
  assert.equal((e.headers as Obj)['X-Amzn-Trace-Id'], sent);
});

test('headers: X-Forwarded-For appends the client ip to the received value; port/proto are overwritten', () => {
  const e = restEvent(
    request({
      rawHeaders: ['Host', 'h', 'x-forwarded-for', '198.51.100.1', 'X-Forwarded-Proto', 'gopher', 'X-Forwarded-Port', '1'],
      localPort: 3000,
    }),
  );
  const h = e.headers as Obj;
  assert.equal(h['x-forwarded-for'], '198.51.100.1, 203.0.113.9');
  assert.deepEqual((e.multiValueHeaders as Obj)['x-forwarded-for'], ['198.51.100.1, 203.0.113.9']);
  assert.equal(h['X-Forwarded-Proto'], 'http');
  assert.equal(h['X-Forwarded-Port'], '3000');
  assert.deepEqual((e.multiValueHeaders as Obj)['X-Forwarded-Port'], ['3000']);
  // one key each in headers and multiValueHeaders (JSON.parse would hide a duplicate key)
  const raw = buildV1Event(
    request({ rawHeaders: ['Host', 'h', 'X-Forwarded-Port', '1', 'x-forwarded-proto', 'ftp'], localPort: 3000 }),
    route(),
    ids(),
    REST,
  );
  assert.equal(raw.split('"X-Forwarded-Port"').length - 1, 2);
  assert.equal(raw.toLowerCase().split('"x-forwarded-proto"').length - 1, 2);
});

test('headers: Host is added from GatewayRequest.host only when the client sent none', () => {
  const e = restEvent(request({ rawHeaders: ['Accept', '*/*'], host: 'x.example' }));
  assert.equal((e.headers as Obj).Host, 'x.example');
  const e2 = restEvent(request({ rawHeaders: ['host', 'sent.example'], host: 'x.example' }));
  assert.equal((e2.headers as Obj).host, 'sent.example');
  assert.equal('Host' in (e2.headers as Obj), false);
});

// ---- query strings (§1.3)

test('query: repeated keys → last value in queryStringParameters, all in multiValue… (recorded example)', () => {
  const e = restEvent(request({ rawQueryString: 'category=electronics&category=books&price=10&price=20&price=30' }));
  assert.deepEqual(e.multiValueQueryStringParameters, { category: ['electronics', 'books'], price: ['10', '20', '30'] });
  assert.deepEqual(e.queryStringParameters, { category: 'books', price: '30' });
});

test('query: values URL-decoded, + becomes a space (recorded example)', () => {
  const e = restEvent(
    request({
      rawQueryString:
        'email=test%2Balias@gmail.com&plus=test+alias@gmail.com&url=https://www.google.com/&whitespace=foo%20bar&zhash=abort/&dateTimeOffset=2023-06-12T18:05:10.123456+00:00',
    }),
  );
  assert.deepEqual(e.queryStringParameters, {
    email: 'test+alias@gmail.com',
    plus: 'test alias@gmail.com',
    url: 'https://www.google.com/',
    whitespace: 'foo bar',
    zhash: 'abort/',
    dateTimeOffset: '2023-06-12T18:05:10.123456 00:00',
  });
  assert.deepEqual((e.multiValueQueryStringParameters as Obj).plus, ['test alias@gmail.com']);
});

test('query: null when absent; a name without = gets ""; keys decoded; malformed escapes kept; ; splits (REST)', () => {
  const none = restEvent(request({ rawQueryString: '' }));
  assert.equal(none.queryStringParameters, null);
  assert.equal(none.multiValueQueryStringParameters, null);
  const e = restEvent(request({ rawQueryString: 'flag&a%20b=1&bad=%zz%41&x=1;y=2&&' }));
  assert.deepEqual(e.queryStringParameters, { flag: '', 'a b': '1', bad: '%zzA', x: '1', y: '2' });
});

// ---- path & {proxy+} (§1.4)

const PATH_TABLE: [string, string, string, string | null, string][] = [
  // [request path, path, requestContext.path, pathParameters.proxy, resource]
  ['/stage/proxy-value', '/proxy-value', '/stage/proxy-value', 'proxy-value', '/{proxy+}'],
  ['/stage/proxy-value/', '/proxy-value/', '/stage/proxy-value/', 'proxy-value', '/{proxy+}'],
  ['/stage/proxy-value//double-slash', '/proxy-value//double-slash', '/stage/proxy-value//double-slash', 'proxy-value//double-slash', '/{proxy+}'],
  ['//stage/proxy-value', '/proxy-value', '/stage/proxy-value', 'proxy-value', '/{proxy+}'],
  ['/stage//proxy-value', '/proxy-value', '/stage//proxy-value', 'proxy-value', '/{proxy+}'],
  [
    '/stage/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com',
    '/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com',
    '/stage/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com',
    'proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com',
    '/{proxy+}',
  ],
  ['/stage//hardcoded', '/hardcoded', '/stage//hardcoded', null, '/hardcoded'],
];

for (const [raw, path, ctxPath, proxy, resource] of PATH_TABLE) {
  test(`path table §1.4: ${raw}`, () => {
    // the router hands over the proxy value as it matched it (slashes included); the builder normalises it
    const routerValue = raw.replace(/^\/+stage\/+/, '/');
    const r = route({ resource });
    const e = restEvent(request({ rawPath: raw, pathParameters: proxy === null ? null : { proxy: routerValue } }), r);
    assert.equal(e.path, path);
    assert.equal((e.requestContext as Obj).path, ctxPath);
    assert.equal(e.resource, resource);
    assert.equal((e.requestContext as Obj).resourcePath, resource);
    assert.deepEqual(e.pathParameters, proxy === null ? null : { proxy });
  });
}

test('restPaths: stage only, and a path without the stage prefix', () => {
  assert.deepEqual(restPaths('/stage', 'stage'), { path: '/', contextPath: '/stage' });
  assert.deepEqual(restPaths('/stage/', 'stage'), { path: '/', contextPath: '/stage/' });
  assert.deepEqual(restPaths('/stagey/x', 'stage'), { path: '/stagey/x', contextPath: '/stage/stagey/x' });
});

test('named path variable: pathParameters {"pathVariable":"foobar"}, values not decoded', () => {
  const r = route({ resource: '/{pathVariable}' });
  const e = restEvent(request({ rawPath: '/test/foobar', pathParameters: { pathVariable: 'foobar' } }), route({ ...r, stage: 'test' }));
  assert.deepEqual(e.pathParameters, { pathVariable: 'foobar' });
  assert.equal(e.path, '/foobar');
  const enc = restEvent(request({ pathParameters: { id: 'a%2Fb+c/' } }), route({ resource: '/items/{id}' }));
  assert.deepEqual(enc.pathParameters, { id: 'a%2Fb+c/' }, 'only greedy variables lose their slashes');
});

test('stageVariables: null when none or empty, the map otherwise', () => {
  assert.equal(restEvent(request(), route({ stageVariables: {} })).stageVariables, null);
  assert.deepEqual(restEvent(request(), route({ stageVariables: { url: 'x', n: '1' } })).stageVariables, { url: 'x', n: '1' });
});

// ---- body (§1.5)

test('body: GET without body → null / false; POST JSON → the raw string', () => {
  const get = restEvent();
  assert.equal(get.body, null);
  assert.equal(get.isBase64Encoded, false);
  const payload = '{\r\n\t"a": 1, "é": "ü"\r\n}';
  const post = restEvent(
    request({ method: 'POST', rawHeaders: ['Host', 'h', 'Content-Type', 'application/json'], body: Buffer.from(payload) }),
  );
  assert.equal(post.body, payload);
  assert.equal(post.isBase64Encoded, false);
  assert.equal(post.httpMethod, 'POST');
});

test('body: base64 when the request Content-Type matches binaryMediaTypes (exact, image/*, */*)', () => {
  const bytes = Buffer.from([0, 1, 2, 250, 255]);
  const send = (contentType: string | undefined, binaryMediaTypes: string[]) =>
    restEvent(
      request({
        method: 'POST',
        rawHeaders: contentType === undefined ? ['Host', 'h'] : ['Host', 'h', 'Content-Type', contentType],
        body: bytes,
      }),
      route({ binaryMediaTypes }),
    );
  for (const [ct, types] of [
    ['application/octet-stream', ['application/octet-stream']],
    ['image/png', ['image/*']],
    ['IMAGE/PNG; charset=binary', ['image/png']],
    ['application/json', ['*/*']],
    [undefined, ['*/*']],
  ] as [string | undefined, string[]][]) {
    const e = send(ct, types);
    assert.equal(e.isBase64Encoded, true, `${ct} vs ${types.join()}`);
    assert.equal(e.body, bytes.toString('base64'));
  }
  for (const [ct, types] of [
    ['application/json', ['image/*']],
    ['text/plain', []],
    ['image/png', ['image/jpeg']],
    [undefined, ['application/octet-stream']],
  ] as [string | undefined, string[]][]) {
    const e = send(ct, types);
    assert.equal(e.isBase64Encoded, false, `${ct} vs ${types.join()}`);
    assert.equal(e.body, bytes.toString('utf8'));
  }
});

// ---- HTTP API, payload 1.0

test('HTTP API 1.0: version first, docs key order, requestContext differences', () => {
  const req = request({
    rawPath: '/dev/my/path',
    rawHeaders: ['Host', 'h', 'Header2', 'value1', 'Header2', 'value2', 'User-Agent', 'agent'],
    rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
    pathParameters: null,
  });
  const r = route({ stage: 'dev', resource: '/my/path', routeKey: 'GET /my/path' });
  const e = parse(buildV1Event(req, r, ids({ requestId: 'WSg1ihmdliAEJXA=', extendedRequestId: 'WSg1ihmdliAEJXA=' }), HTTP));
  assert.deepEqual(Object.keys(e), [
    'version',
    'resource',
    'path',
    'httpMethod',
    'headers',
    'multiValueHeaders',
    'queryStringParameters',
    'multiValueQueryStringParameters',
    'requestContext',
    'pathParameters',
    'stageVariables',
    'body',
    'isBase64Encoded',
  ]);
  assert.equal(e.version, '1.0');
  assert.equal(e.resource, '/my/path');
  assert.equal(e.path, '/dev/my/path');
  const rc = e.requestContext as Obj;
  assert.deepEqual(Object.keys(rc), [
    'accountId',
    'apiId',
    'authorizer',
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
  ]);
  assert.deepEqual(rc.authorizer, { claims: null, scopes: null });
  assert.equal(rc.resourceId, null);
  assert.equal(rc.resourcePath, '/my/path');
  assert.equal(rc.path, '/dev/my/path');
  assert.equal(rc.stage, 'dev');
  assert.equal(rc.requestId, 'WSg1ihmdliAEJXA=');
  assert.equal('deploymentId' in rc, false);
  assert.equal((rc.identity as Obj).userAgent, 'agent');
  assert.equal(Object.keys(rc.identity as Obj).length, 12);
  // lower-case header names, last value / all values
  assert.equal((e.headers as Obj).header2, 'value2');
  assert.deepEqual((e.multiValueHeaders as Obj).header2, ['value1', 'value2']);
  assert.equal('x-forwarded-for' in (e.headers as Obj), true);
  assert.deepEqual(e.queryStringParameters, { parameter1: 'value2', parameter2: 'value' });
  assert.deepEqual(e.multiValueQueryStringParameters, { parameter1: ['value1', 'value2'], parameter2: ['value'] });
});

test('HTTP API 1.0: body encoding follows the HTTP API text rule, not binaryMediaTypes', () => {
  const send = (ct: string) =>
    parse(
      buildV1Event(
        request({ method: 'POST', rawHeaders: ['Host', 'h', 'Content-Type', ct], body: Buffer.from('a=1') }),
        route({ binaryMediaTypes: ['*/*'] }),
        ids(),
        HTTP,
      ),
    );
  assert.equal(send('application/json').isBase64Encoded, false);
  assert.equal(send('application/json').body, 'a=1');
  assert.equal(send('application/x-www-form-urlencoded').isBase64Encoded, true);
  assert.equal(send('application/x-www-form-urlencoded').body, 'YT0x');
});
