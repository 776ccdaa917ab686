import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PyRuntime, baseEnv, fixture } from './harness.js';

interface Post {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface QueuedInvocation {
  requestId: string;
  body: string;
  headers: Record<string, string>;
}

/** A tiny Lambda Runtime API: hands out queued invocations on /next and records every POST. */
class FakeRuntimeApi {
  readonly server: http.Server;
  readonly nextRequests: http.IncomingHttpHeaders[] = [];
  private invocations: QueuedInvocation[] = [];
  private parked: http.ServerResponse[] = [];
  private posts: Post[] = [];
  private postWaiters: Array<(p: Post) => void> = [];

  constructor() {
    this.server = http.createServer((req, res) => {
      if (req.method === 'GET' && req.url === '/2018-06-01/runtime/invocation/next') {
        this.nextRequests.push(req.headers);
        const inv = this.invocations.shift();
        if (inv) this.deliver(res, inv);
        else this.parked.push(res);
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(req.url === '/2018-06-01/runtime/init/error' || req.method === 'POST' ? 202 : 404, {
          'Content-Type': 'application/json',
        });
        res.end('{"status":"OK"}');
        const post = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        const waiter = this.postWaiters.shift();
        if (waiter) waiter(post);
        else this.posts.push(post);
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private deliver(res: http.ServerResponse, inv: QueuedInvocation): void {
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Lambda-Runtime-Aws-Request-Id': inv.requestId,
      ...inv.headers,
    });
    res.end(inv.body);
  }

  queue(inv: QueuedInvocation): void {
    const res = this.parked.shift();
    if (res) this.deliver(res, inv);
    else this.invocations.push(inv);
  }

  nextPost(timeoutMs = 10000): Promise<Post> {
    const p = this.posts.shift();
    if (p) return Promise.resolve(p);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no POST from the runtime')), timeoutMs);
      this.postWaiters.push((post) => {
        clearTimeout(timer);
        resolve(post);
      });
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function startHttp(name: string, handler: string): Promise<{ rt: PyRuntime; api: FakeRuntimeApi; init: unknown }> {
  const api = new FakeRuntimeApi();
  const address = await api.listen();
  const rt = new PyRuntime();
  const taskRoot = fixture(name);
  const init = await rt.specialise({
    transport: 'http',
    taskRoot,
    handler,
    env: baseEnv(taskRoot, handler, { AWS_LAMBDA_RUNTIME_API: address }),
  });
  return { rt, api, init };
}

test('http transport: next -> handler -> /response, with context from the Runtime API headers', async () => {
  const { rt, api, init } = await startHttp('context', 'app.handler');
  try {
    assert.deepEqual(Object.keys(init as object).slice(0, 1), ['type']);
    assert.equal((init as { type: string }).type, 'initDone');
    const deadline = Date.now() + 4000;
    api.queue({
      requestId: 'http-1',
      body: '{"hello": "world"}',
      headers: {
        'Lambda-Runtime-Deadline-Ms': String(deadline),
        'Lambda-Runtime-Invoked-Function-Arn': 'arn:aws:lambda:us-east-1:000000000000:function:fn',
        'Lambda-Runtime-Trace-Id': 'Root=1-http;Sampled=0',
        'Lambda-Runtime-Client-Context': JSON.stringify({ custom: { a: 1 }, env: null, client: null }),
        'Lambda-Runtime-Cognito-Identity': JSON.stringify({ cognitoIdentityId: 'cid', cognitoIdentityPoolId: 'pool' }),
      },
    });
    const post = await api.nextPost();
    assert.equal(post.path, '/2018-06-01/runtime/invocation/http-1/response');
    assert.equal(post.headers['content-type'], 'application/json');
    const ctx = JSON.parse(post.body);
    assert.equal(ctx.aws_request_id, 'http-1');
    assert.equal(ctx.invoked_function_arn, 'arn:aws:lambda:us-east-1:000000000000:function:fn');
    assert.equal(ctx.trace_env, 'Root=1-http;Sampled=0');
    assert.deepEqual(ctx.client_context, { custom: { a: 1 }, env: null, client: null });
    assert.deepEqual(ctx.identity, { cognito_identity_id: 'cid', cognito_identity_pool_id: 'pool' });
    assert.ok(ctx.remaining > 2000 && ctx.remaining <= 4000, `remaining ${ctx.remaining}`);

    // It polls again, on the same keep-alive connection or a new one.
    api.queue({ requestId: 'http-2', body: '{}', headers: { 'Lambda-Runtime-Deadline-Ms': String(Date.now() + 1000) } });
    const second = await api.nextPost();
    assert.equal(second.path, '/2018-06-01/runtime/invocation/http-2/response');
    assert.equal(JSON.parse(second.body).trace_env, null);
    await waitFor(() => api.nextRequests.length >= 3);
    assert.equal(api.nextRequests.length, 3, 'one GET /next per invocation, plus the one waiting now');
    assert.match(String(api.nextRequests[0]['user-agent']), /^aws-lambda-python\//);
  } finally {
    await rt.close();
    await api.close();
  }
});

test('http transport: an exception is posted to /error with the error type header', async () => {
  const file = path.join(fixture('error'), 'app.py');
  const { rt, api } = await startHttp('error', 'app.handler');
  try {
    api.queue({ requestId: 'http-err', body: '{}', headers: { 'Lambda-Runtime-Deadline-Ms': String(Date.now() + 3000) } });
    const post = await api.nextPost();
    assert.equal(post.path, '/2018-06-01/runtime/invocation/http-err/error');
    assert.equal(post.headers['lambda-runtime-function-error-type'], 'CustomException');
    assert.equal(post.headers['content-type'], 'application/json');
    // Byte for byte what the RIC's encoder writes.
    assert.equal(
      post.body,
      '{"errorMessage": "some error occurred", "errorType": "CustomException", "requestId": "http-err", ' +
        `"stackTrace": ["  File \\"${file}\\", line 10, in handler\\n    fail(\\"some error occurred\\")\\n", ` +
        `"  File \\"${file}\\", line 6, in fail\\n    raise CustomException(message)\\n"]}`,
    );
  } finally {
    await rt.close();
    await api.close();
  }
});

test('http transport: an init error is posted to /runtime/init/error and reported on the pipe', async () => {
  const { rt, api, init } = await startHttp('ok', 'missing.handler');
  try {
    const expected = {
      errorMessage: "Unable to import module 'missing': No module named 'missing'",
      errorType: 'Runtime.ImportModuleError',
      requestId: '',
      stackTrace: [],
    };
    const post = await api.nextPost();
    assert.equal(post.path, '/2018-06-01/runtime/init/error');
    assert.equal(post.headers['lambda-runtime-function-error-type'], 'Runtime.ImportModuleError');
    assert.deepEqual(JSON.parse(post.body), expected);
    assert.equal((init as { type: string }).type, 'initError');
    assert.deepEqual((init as { error: unknown }).error, expected);
    assert.deepEqual(await rt.exit(), { code: 1, signal: null });
    assert.equal(api.nextRequests.length, 0, 'no polling after a failed init');
  } finally {
    await rt.close();
    await api.close();
  }
});
