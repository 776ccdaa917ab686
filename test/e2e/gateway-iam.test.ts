/**
 * AWS_IAM authorization and the AUTHORIZER API key source through the real `portico up` (fixture gw-iam). Requests
 * are signed with the signer the AWS SDK v3 uses (@smithy/signature-v4), with the development pair test/test or a
 * pair Portico does not know; CallerFunction signs with its own session credentials from inside its environment.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import { startPortico, type RunningPortico } from '../helpers/portico.js';
import { fixture, json, send, type Reply } from './gateway-helpers.js';

class Sha256 extends Hash {
  constructor(secret?: SourceData) {
    super('sha256', secret);
  }
}

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const ESCAPED_MISMATCH = MISMATCH.replace(/[.]/g, '\\.');
/** The mismatch message, followed by the canonical request and string to sign AWS appends. */
const MISMATCH_DETAILED = new RegExp(`^${ESCAPED_MISMATCH}\\n\\nThe Canonical String for this request should have been\\n'`);

let portico: RunningPortico;
let gw: string;

before(async () => {
  portico = await startPortico(fixture('gw-iam'));
  gw = portico.gateway;
});

after(async () => {
  await portico?.stop();
});

interface Signed {
  readonly method?: string;
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly signingDate?: Date;
  readonly region?: string;
}

/** The headers of a request signed for execute-api (test/test unless told otherwise). */
async function signedHeaders(input: Signed): Promise<Array<[string, string]>> {
  const url = new URL(gw);
  const signer = new SignatureV4({
    credentials: { accessKeyId: input.accessKeyId ?? 'test', secretAccessKey: input.secretAccessKey ?? 'test' },
    region: input.region ?? 'us-east-1',
    service: 'execute-api',
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: input.method ?? 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: input.path,
      query: input.query ?? {},
      headers: { host: url.host, ...input.headers },
      ...(input.body === undefined ? {} : { body: input.body }),
    },
    input.signingDate === undefined ? {} : { signingDate: input.signingDate },
  );
  return Object.entries(signed.headers);
}

async function signedGet(input: Signed): Promise<Reply> {
  // Encoded as the SDK does (a space is %20: a `+` in a query string is a plus sign to SigV4).
  const query = Object.entries(input.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return send(gw, query === '' ? input.path : `${input.path}?${query}`, { method: input.method ?? 'GET', headers: await signedHeaders(input), ...(input.body === undefined ? {} : { body: input.body }) });
}

const requestContext = (reply: Reply): Record<string, unknown> => json(reply).requestContext as Record<string, unknown>;

function assertRejected(reply: Reply, errorType: string, message: string | RegExp): void {
  assert.equal(reply.status, 403, reply.text);
  assert.equal(reply.headers['x-amzn-errortype'], errorType);
  const body = json(reply);
  if (typeof message === 'string') assert.equal(body.message, message);
  else assert.match(String(body.message), message);
}

describe('REST AWS_IAM', () => {
  test('a request signed with credentials Portico holds reaches the function with the caller in identity', async () => {
    const reply = await signedGet({ path: '/iam/whoami' });
    assert.equal(reply.status, 200, reply.text);
    const context = requestContext(reply);
    assert.equal(context.authorizer, undefined, 'REST events have no authorizer for AWS_IAM');
    assert.deepEqual(context.identity, {
      cognitoIdentityPoolId: null,
      accountId: '123456789012',
      cognitoIdentityId: null,
      caller: '123456789012',
      sourceIp: '127.0.0.1',
      principalOrgId: null,
      accessKey: 'test',
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: 'arn:aws:iam::123456789012:root',
      userAgent: null,
      user: '123456789012',
    });
  });

  test('a signed POST with its body, and a signed query string, pass', async () => {
    const post = await signedGet({ method: 'POST', path: '/iam/items', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    assert.equal(post.status, 200, post.text);
    assert.equal(json(post).body, '{"a":1}');
    const query = await signedGet({ path: '/iam/whoami', query: { b: '2', a: 'x y' } });
    assert.equal(query.status, 200, query.text);
  });

  test('no signature: 403 Missing Authentication Token; an open route of the same API answers', async () => {
    const reply = await send(gw, '/iam/whoami');
    assertRejected(reply, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    assert.equal(reply.text, '{"message":"Missing Authentication Token"}');
    assert.equal((await send(gw, '/iam/open')).status, 200);
  });

  test('a tampered body, path, query or signed header: 403 InvalidSignatureException with the canonical request', async () => {
    const headers = await signedHeaders({ method: 'POST', path: '/iam/items', body: '{"amount":1}' });
    const body = await send(gw, '/iam/items', { method: 'POST', headers, body: '{"amount":1000}' });
    assertRejected(body, 'InvalidSignatureException', new RegExp(`^${ESCAPED_MISMATCH}\\n\\nThe Canonical String for this request should have been\\n'POST\\n/iam/items\\n`));
    const path = await send(gw, '/iam/whoami', { headers: await signedHeaders({ path: '/iam/open' }) });
    assertRejected(path, 'InvalidSignatureException', MISMATCH_DETAILED);
    const query = await send(gw, '/iam/whoami?role=admin', { headers: await signedHeaders({ path: '/iam/whoami', query: { role: 'user' } }) });
    assertRejected(query, 'InvalidSignatureException', MISMATCH_DETAILED);
    const signed = await signedHeaders({ path: '/iam/whoami', headers: { 'x-tenant': 'a' } });
    const header = await send(gw, '/iam/whoami', { headers: signed.map(([n, v]): [string, string] => [n, n === 'x-tenant' ? 'b' : v]) });
    assertRejected(header, 'InvalidSignatureException', MISMATCH_DETAILED);
  });

  test('a bearer token on an IAM route: 403 IncompleteSignatureException, the header hashed, not echoed', async () => {
    const reply = await send(gw, '/iam/whoami', { headers: [['Authorization', 'Bearer secret-token']] });
    const hashed = createHash('sha256').update('Bearer secret-token').digest('base64');
    assertRejected(reply, 'IncompleteSignatureException', `Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '${hashed}'.`);
    assert.ok(!reply.text.includes('secret-token'));
  });

  test("a signature for another Region than the API's: 403 InvalidSignatureException", async () => {
    const reply = await signedGet({ path: '/iam/whoami', region: 'eu-west-1' });
    assertRejected(reply, 'InvalidSignatureException', "Credential should be scoped to a valid region, not 'eu-west-1'. ");
  });

  test('a key Portico does not hold: 403 UnrecognizedClientException', async () => {
    const reply = await signedGet({ path: '/iam/whoami', accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' });
    assertRejected(reply, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  });

  test('signed more than 5 minutes ago or ahead: Signature expired / not yet current', async () => {
    const old = await signedGet({ path: '/iam/whoami', signingDate: new Date(Date.now() - 6 * 60_000) });
    assertRejected(old, 'InvalidSignatureException', /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
    const ahead = await signedGet({ path: '/iam/whoami', signingDate: new Date(Date.now() + 6 * 60_000) });
    assertRejected(ahead, 'InvalidSignatureException', /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/);
    const recent = await signedGet({ path: '/iam/whoami', signingDate: new Date(Date.now() - 4 * 60_000) });
    assert.equal(recent.status, 200, 'within the 5-minute window');
  });

  test('a presigned URL (X-Amz-Signature in the query string) passes, and fails once tampered with', async () => {
    const url = new URL(gw);
    const signer = new SignatureV4({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, region: 'us-east-1', service: 'execute-api', sha256: Sha256 });
    const presigned = await signer.presign({ method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/iam/whoami', query: {}, headers: { host: url.host } }, { expiresIn: 60 });
    const query = Object.entries(presigned.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
    const ok = await send(gw, `/iam/whoami?${query}`);
    assert.equal(ok.status, 200, ok.text);
    assert.equal((requestContext(ok).identity as Record<string, unknown>).accessKey, 'test');
    const tampered = await send(gw, `/iam/whoami?${query}&extra=1`);
    assertRejected(tampered, 'InvalidSignatureException', MISMATCH_DETAILED);
  });

  test("with Cors, SAM's OPTIONS methods take the AWS_IAM default: an unsigned preflight is refused, a signed one answered", async () => {
    const preflight = [['Origin', 'https://app.example'], ['Access-Control-Request-Method', 'GET']] as const;
    const unsigned = await send(gw, '/iamcors/thing', { method: 'OPTIONS', headers: preflight });
    assertRejected(unsigned, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    const signed = await send(gw, '/iamcors/thing', { method: 'OPTIONS', headers: [...preflight, ...(await signedHeaders({ method: 'OPTIONS', path: '/iamcors/thing' }))] });
    assert.equal(signed.status, 200, signed.text);
    assert.equal(signed.headers['access-control-allow-origin'], '*');
  });

  test('a function calls an IAM-protected route with its own session credentials', async () => {
    const reply = await send(gw, `/iam/call?target=${encodeURIComponent(`${gw}/iam/whoami`)}`);
    assert.equal(reply.status, 200, reply.text);
    const called = json(reply) as { status: number; body: string };
    assert.equal(called.status, 200, called.body);
    const identity = (JSON.parse(called.body) as { requestContext: { identity: Record<string, unknown> } }).requestContext.identity;
    assert.match(String(identity.accessKey), /^ASIA[A-Z2-7]{16}$/);
    assert.match(String(identity.caller), /^AROA[A-Z2-7]{17}:gw-iam-CallerFunction-/);
    assert.equal(identity.user, identity.caller);
    assert.match(String(identity.userArn), /^arn:aws:sts::123456789012:assumed-role\/gw-iam-CallerFunction-\S+-role\/gw-iam-CallerFunction-/);
  });
});

describe('HTTP API AWS_IAM', () => {
  test('a signed request: requestContext.authorizer.iam', async () => {
    const reply = await signedGet({ path: '/whoami' });
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual(requestContext(reply).authorizer, {
      iam: {
        accessKey: 'test',
        accountId: '123456789012',
        callerId: '123456789012',
        cognitoIdentity: null,
        principalOrgId: null,
        userArn: 'arn:aws:iam::123456789012:root',
        userId: '123456789012',
      },
    });
  });

  test('unsigned: 403 Forbidden; a bad signature: 403 with the reason; an open route answers', async () => {
    const unsigned = await send(gw, '/whoami');
    assert.equal(unsigned.status, 403);
    assert.equal(unsigned.text, '{"message":"Forbidden"}');
    const unknown = await signedGet({ path: '/whoami', accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' });
    assert.equal(unknown.status, 403);
    assert.equal(json(unknown).message, 'The security token included in the request is invalid.');
    assert.equal((await send(gw, '/open')).status, 200);
  });

  test('a function calls it with its own credentials', async () => {
    const reply = await send(gw, `/iam/call?target=${encodeURIComponent(`${gw}/whoami`)}`);
    const called = json(reply) as { status: number; body: string };
    assert.equal(called.status, 200, called.body);
    const iam = (JSON.parse(called.body) as { requestContext: { authorizer: { iam: Record<string, unknown> } } }).requestContext.authorizer.iam;
    assert.match(String(iam.callerId), /^AROA[A-Z2-7]{17}:gw-iam-CallerFunction-/);
  });
});

describe('API key source AUTHORIZER', () => {
  test("the authorizer's usageIdentifierKey is the API key", async () => {
    const ok = await send(gw, '/keyed/keyed', { headers: [['Authorization', 'partner-key-0123456789abcdef']] });
    assert.equal(ok.status, 200, ok.text);
    const identity = requestContext(ok).identity as Record<string, unknown>;
    assert.equal(identity.apiKey, 'partner-key-0123456789abcdef');
    assert.equal(typeof identity.apiKeyId, 'string');
    assert.equal((requestContext(ok).authorizer as Record<string, unknown>).principalId, 'key-user');
  });

  test('a key no plan admits is 403 Forbidden, an x-api-key header is not read, no token is 401', async () => {
    const wrong = await send(gw, '/keyed/keyed', { headers: [['Authorization', 'not-a-key-0123456789abcdef']] });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.text, '{"message":"Forbidden"}');
    const header = await send(gw, '/keyed/keyed', { headers: [['Authorization', 'not-a-key-0123456789abcdef'], ['x-api-key', 'partner-key-0123456789abcdef']] });
    assert.equal(header.status, 403, 'the header is ignored when the source is AUTHORIZER');
    assert.equal((await send(gw, '/keyed/keyed')).status, 401);
  });
});

describe('AddApiKeyRequiredToCorsPreflight', () => {
  const preflight = [['Origin', 'https://app.example'], ['Access-Control-Request-Method', 'GET']] as const;

  test("SAM's OPTIONS methods require the key when the API does (default true)", async () => {
    for (const path of ['/corskey/thing', '/corskey/any']) {
      const without = await send(gw, path, { method: 'OPTIONS', headers: preflight });
      assert.equal(without.status, 403, path);
      assert.equal(without.text, '{"message":"Forbidden"}');
      const withKey = await send(gw, path, { method: 'OPTIONS', headers: [...preflight, ['x-api-key', 'partner-key-0123456789abcdef']] });
      assert.equal(withKey.status, 200, `${path}: ${withKey.text}`);
      assert.equal(withKey.headers['access-control-allow-origin'], '*');
    }
    assert.equal((await send(gw, '/corskey/thing')).status, 403, 'the GET method requires it too');
  });

  test('AddApiKeyRequiredToCorsPreflight: false lets preflights through without a key', async () => {
    const reply = await send(gw, '/corsfree/thing', { method: 'OPTIONS', headers: preflight });
    assert.equal(reply.status, 200, reply.text);
    assert.equal((await send(gw, '/corsfree/thing')).status, 403);
  });
});
