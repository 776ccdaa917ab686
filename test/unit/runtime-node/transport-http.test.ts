import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Environment } from './harness.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A minimal Lambda Runtime API: the first GET /next gets `invocation`, later ones are held open (as the real API
 * holds them until there is work). POSTs are recorded and answered 202.
 */
async function fakeRuntimeApi(invocation: { headers: Record<string, string>; body: string }) {
  const seen: Seen[] = [];
  let served = false;
  let notify: (() => void) | undefined;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      notify?.();
      if (req.url === '/2018-06-01/runtime/invocation/next') {
        if (served) return; // hold: no more work
        served = true;
        res.writeHead(200, { 'Content-Type': 'application/json', ...invocation.headers });
        res.end(invocation.body);
        return;
      }
      res.writeHead(202, { 'Content-Type': 'application/json' });
      res.end('{"status":"OK"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const until = async (predicate: (s: Seen[]) => boolean) => {
    const deadline = Date.now() + 5000;
    while (!predicate(seen)) {
      if (Date.now() > deadline) throw new Error(`Runtime API saw: ${JSON.stringify(seen.map((s) => s.url))}`);
      await new Promise<void>((r) => {
        notify = r;
        setTimeout(r, 50);
      });
    }
  };
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  };
  return { api: `127.0.0.1:${port}`, seen, until, close };
}

test('http transport: polls /invocation/next, builds the context from Lambda-Runtime-* headers, posts /response', async () => {
  const deadline = Date.now() + 60_000;
  const fake = await fakeRuntimeApi({
    headers: {
      'Lambda-Runtime-Aws-Request-Id': 'req-http-1',
      'Lambda-Runtime-Deadline-Ms': String(deadline),
      'Lambda-Runtime-Invoked-Function-Arn': 'arn:aws:lambda:us-east-1:123456789012:function:fixture-fn:live',
      'Lambda-Runtime-Trace-Id': 'Root=1-65a0-abc;Sampled=0',
      'Lambda-Runtime-Client-Context': '{"custom":{"via":"http"}}',
      'Lambda-Runtime-Cognito-Identity': '{"cognitoIdentityId":"cid"}',
    },
    body: '{"hello":"http"}',
  });
  const { env, init } = await Environment.ready('context', 'app.handler', {
    transport: 'http',
    env: { AWS_LAMBDA_RUNTIME_API: fake.api },
  });
  assert.equal(init.type, 'initDone', 'init is still answered on fd 3');
  await fake.until((s) => s.some((r) => r.url.endsWith('/response')));
  // After answering it polls again.
  await fake.until((s) => s.filter((r) => r.url.endsWith('/invocation/next')).length === 2);
  await env.close();
  await fake.close();

  const post = fake.seen.find((r) => r.url.endsWith('/response'))!;
  assert.equal(post.method, 'POST');
  assert.equal(post.url, '/2018-06-01/runtime/invocation/req-http-1/response');
  assert.equal(post.headers['content-type'], 'application/json');
  const body = JSON.parse(post.body);
  assert.equal(body.json.awsRequestId, 'req-http-1');
  assert.equal(body.json.invokedFunctionArn, 'arn:aws:lambda:us-east-1:123456789012:function:fixture-fn:live');
  assert.deepEqual(body.json.clientContext, { custom: { via: 'http' } });
  assert.deepEqual(body.json.identity, { cognitoIdentityId: 'cid' });
  assert.equal(body.traceEnv, 'Root=1-65a0-abc;Sampled=0');
  assert.ok(body.remaining > 50_000 && body.remaining <= 60_000);
  assert.equal(fake.seen[0].method, 'GET');
  assert.equal(fake.seen[0].headers.connection, 'keep-alive');
});

test('http transport: a failed invocation posts /error with Lambda-Runtime-Function-Error-Type', async () => {
  const fake = await fakeRuntimeApi({
    headers: { 'Lambda-Runtime-Aws-Request-Id': 'req-http-2', 'Lambda-Runtime-Deadline-Ms': String(Date.now() + 9000) },
    body: '{}',
  });
  const { env } = await Environment.ready('errors', 'app.throwsTypeError', {
    transport: 'http',
    env: { AWS_LAMBDA_RUNTIME_API: fake.api },
  });
  await fake.until((s) => s.some((r) => r.url.endsWith('/error')));
  await env.close();
  await fake.close();
  const post = fake.seen.find((r) => r.url.endsWith('/error'))!;
  assert.equal(post.url, '/2018-06-01/runtime/invocation/req-http-2/error');
  assert.equal(post.headers['lambda-runtime-function-error-type'], 'TypeError');
  const error = JSON.parse(post.body);
  assert.deepEqual(Object.keys(error), ['errorType', 'errorMessage', 'trace']);
  assert.equal(error.errorMessage, "Cannot read properties of null (reading 'property')");
});

test('http transport: nothing of the transport keeps the event loop alive during an invocation', async () => {
  // A callback handler's response waits for the event loop to drain (its 300 ms timer): that only works if the
  // keep-alive connection to the Runtime API is not holding the loop open.
  const fake = await fakeRuntimeApi({
    headers: { 'Lambda-Runtime-Aws-Request-Id': 'req-http-3', 'Lambda-Runtime-Deadline-Ms': String(Date.now() + 9000) },
    body: '{"delay":300}',
  });
  const { env } = await Environment.ready('callback', 'app.waits', { transport: 'http', env: { AWS_LAMBDA_RUNTIME_API: fake.api } });
  const started = Date.now();
  await fake.until((s) => s.some((r) => r.url.endsWith('/response')));
  const elapsed = Date.now() - started;
  await env.close();
  await fake.close();
  const post = fake.seen.find((r) => r.url.endsWith('/response'))!;
  assert.equal(JSON.parse(post.body).waitsDefault, true);
  assert.ok(elapsed >= 250, `response held for the pending timer (${elapsed} ms)`);
});

test('http transport: an init failure is posted to /runtime/init/error and sent as initError on fd 3', async () => {
  const fake = await fakeRuntimeApi({ headers: {}, body: '' });
  const { env, init } = await Environment.ready('missing-export', 'app.handler', {
    transport: 'http',
    env: { AWS_LAMBDA_RUNTIME_API: fake.api },
  });
  const exited = await env.exit();
  await env.close();
  await fake.close();
  assert.equal(init.type, 'initError');
  assert.equal(exited.code, 129);
  const post = fake.seen.find((r) => r.url === '/2018-06-01/runtime/init/error');
  assert.ok(post, 'posted to /init/error');
  assert.equal(post.headers['lambda-runtime-function-error-type'], 'Runtime.HandlerNotFound');
  assert.deepEqual(JSON.parse(post.body), init.error);
  assert.equal(fake.seen.some((r) => r.url.endsWith('/invocation/next')), false, 'never polls after a failed init');
});
