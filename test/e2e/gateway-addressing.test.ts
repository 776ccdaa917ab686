/**
 * How requests find their API through the real `portico up` — by host name (`<apiId>.execute-api.localhost`) and
 * by path (REST stages under `/<stage>`, the HTTP API at the root) — and that hostile or broken input neither
 * escapes the app nor takes the server down.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPortico, type RunningPortico } from '../helpers/portico.js';
import { apiId, fixture, json, rawStatus, send, sendRaw } from './gateway-helpers.js';

type Json = Record<string, unknown>;

let portico: RunningPortico;
let gw: string;
let port: string;
let restId: string;
let httpId: string;

before(async () => {
  portico = await startPortico(fixture('gw-mixed'));
  gw = portico.gateway;
  port = new URL(gw).port;
  restId = apiId(portico.output(), 'ServerlessRestApi');
  httpId = apiId(portico.output(), 'ServerlessHttpApi');
});

after(async () => {
  await portico?.stop();
});

test('portico up prints both APIs with distinct 10-character ids and their host and path URLs', () => {
  assert.match(restId, /^[a-z0-9]{10}$/);
  assert.match(httpId, /^[a-z0-9]{10}$/);
  assert.notEqual(restId, httpId);
  const out = portico.output();
  assert.ok(out.includes(`  by host  http://${restId}.execute-api.localhost:${port}/Prod`), out);
  assert.ok(out.includes(`  by path  ${gw}/Prod`), out);
  assert.ok(out.includes(`  by host  http://${httpId}.execute-api.localhost:${port}\n`), out);
});

test('by host name: the REST API with its stage, the HTTP API at the root, domainName from the host', async () => {
  const rest = await send(gw, '/Prod/ok', { headers: [['Host', `${restId}.execute-api.localhost:${port}`]] });
  assert.equal(rest.status, 200, rest.text);
  const restEvent = json(rest);
  assert.equal(restEvent.resource, '/ok');
  assert.equal(restEvent.path, '/ok');
  const restCtx = restEvent.requestContext as Json;
  assert.equal(restCtx.apiId, restId);
  assert.equal(restCtx.domainName, `${restId}.execute-api.localhost`);
  assert.equal(restCtx.domainPrefix, restId);
  assert.equal(restCtx.path, '/Prod/ok');

  const http = await send(gw, '/ok', { headers: [['Host', `${httpId}.execute-api.localhost:${port}`]] });
  assert.equal(http.status, 200, http.text);
  const httpEvent = json(http);
  assert.equal(httpEvent.routeKey, 'GET /ok');
  assert.equal(httpEvent.rawPath, '/ok');
  const httpCtx = httpEvent.requestContext as Json;
  assert.equal(httpCtx.apiId, httpId);
  assert.equal(httpCtx.domainName, `${httpId}.execute-api.localhost`);
  assert.equal(httpCtx.domainPrefix, httpId);
});

test('by host name, a path that belongs to the other API is not served', async () => {
  // The HTTP API's host does not serve the REST stage; the REST API's host needs its stage.
  const restPathOnHttpHost = await send(gw, '/Prod/ok', { headers: [['Host', `${httpId}.execute-api.localhost:${port}`]] });
  assert.equal(restPathOnHttpHost.status, 404);
  assert.equal(restPathOnHttpHost.text, '{"message":"Not Found"}');

  const noStage = await send(gw, '/ok', { headers: [['Host', `${restId}.execute-api.localhost:${port}`]] });
  assert.equal(noStage.status, 403);
  assert.equal(noStage.text, '{"message":"Missing Authentication Token"}');
});

test('by path: the REST stage prefix selects the REST API, the root the HTTP API', async () => {
  const rest = await send(gw, '/Prod/ok');
  assert.equal(rest.status, 200, rest.text);
  const restEvent = json(rest);
  assert.equal((restEvent.requestContext as Json).apiId, restId);
  assert.equal((restEvent.requestContext as Json).stage, 'Prod');
  assert.equal(rest.headers['apigw-requestid'], undefined);
  assert.ok(rest.headers['x-amzn-requestid']);

  const http = await send(gw, '/ok');
  assert.equal(http.status, 200, http.text);
  assert.equal((json(http).requestContext as Json).apiId, httpId);
  assert.ok(http.headers['apigw-requestid']);
  assert.equal(http.headers['x-amzn-requestid'], undefined);

  // Stage names are case-sensitive: /prod is not the Prod stage, so the root HTTP API answers (no such route).
  const lower = await send(gw, '/prod/ok');
  assert.equal(lower.status, 404);
  assert.equal(lower.text, '{"message":"Not Found"}');
});

test('path traversal never escapes: encoded dot segments are a literal proxy value, raw ones find no route', async () => {
  const encoded = await send(gw, '/Prod/..%2f..%2fetc/passwd');
  assert.equal(encoded.status, 403);
  assert.equal(encoded.text, '{"message":"Missing Authentication Token"}');

  const proxied = await send(gw, '/Prod/files/..%2f..%2f..%2fetc%2fpasswd');
  assert.equal(proxied.status, 200, proxied.text);
  const event = json(proxied);
  assert.deepEqual(event.pathParameters, { proxy: '..%2f..%2f..%2fetc%2fpasswd' });
  assert.equal(event.path, '/files/..%2f..%2f..%2fetc%2fpasswd');

  for (const path of ['/Prod/../../../../etc/passwd', '/../../../etc/passwd', '/Prod/files/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd']) {
    const raw = await sendRaw(gw, `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    const status = rawStatus(raw);
    assert.ok([200, 403, 404].includes(status), `${path}: ${status}`);
    assert.doesNotMatch(raw, /root:x?:0:0/, path);
    if (status === 200) {
      // Served by the REST proxy route: the dot segments reached the function as data, not as a file path.
      const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as Json;
      assert.equal(body.resource, '/files/{proxy+}', path);
    }
  }
});

test('a malformed request line gets 400 and the connection closes; the next request is served', async () => {
  for (const garbage of ['GARBAGE\r\n\r\n', 'GET /Prod/ok HTTP/9.9\r\n\r\n', 'GET /Prod/ok HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n', '\x00\x01\x02\r\n\r\n']) {
    const raw = await sendRaw(gw, garbage);
    assert.equal(rawStatus(raw), 400, JSON.stringify(garbage));
  }
  const ok = await send(gw, '/Prod/ok');
  assert.equal(ok.status, 200, ok.text);
});

test('a client that disconnects half-way through a request does not disturb the server', async () => {
  const { connect } = await import('node:net');
  const url = new URL(gw);
  await new Promise<void>((done) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write('POST /Prod/upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\nonly a part');
      setTimeout(() => {
        socket.destroy();
        done();
      }, 50);
    });
    socket.on('error', () => undefined);
  });
  const ok = await send(gw, '/Prod/ok');
  assert.equal(ok.status, 200, ok.text);
});

test('invalid percent-encoding in the query string does not crash: 200, the malformed escape kept as sent', async () => {
  const rest = await send(gw, '/Prod/ok?a=%E0%A4%A&b=%ZZ&c=ok%20');
  assert.equal(rest.status, 200, rest.text);
  assert.deepEqual(json(rest).queryStringParameters, { a: '%E0%A4%A', b: '%ZZ', c: 'ok ' });

  const http = await send(gw, '/ok?a=%E0%A4%A');
  assert.equal(http.status, 200, http.text);
  const event = json(http);
  assert.equal(event.rawQueryString, 'a=%E0%A4%A');
  assert.deepEqual(event.queryStringParameters, { a: '%E0%A4%A' });

  const path = await send(gw, '/Prod/files/%E0%A4%A');
  assert.equal(path.status, 200, path.text);
  assert.deepEqual(json(path).pathParameters, { proxy: '%E0%A4%A' });
});

test(
  'a request target in absolute form (http://host:port/Prod/ok) is served like its path (RFC 9112 §3.2.2: servers MUST accept it)',
  async () => {
    const raw = await sendRaw(gw, `GET ${gw}/Prod/ok?x=1 HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: close\r\n\r\n`);
    assert.equal(rawStatus(raw), 200, raw);
    const event = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as Json;
    assert.equal(event.path, '/ok');
    assert.equal((event.requestContext as Json).path, '/Prod/ok');
    assert.deepEqual(event.queryStringParameters, { x: '1' });
  },
);
