import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INVALID_SESSION_TOKEN_MESSAGE, INVALID_TOKEN_MESSAGE, SIGNATURE_MISMATCH_MESSAGE } from '../../../src/aws/auth-errors.js';
import { CredentialStore } from '../../../src/aws/credentials.js';
import { formatAmzDate } from '../../../src/aws/sigv4-parse.js';
import { verifySigV4, type SigV4Options, type SigV4Request, type SigV4Result } from '../../../src/aws/sigv4.js';
import { presignRequest, signRequest, withBody, withHeader, withoutHeader, type SignInput } from './signing.js';

const store = new CredentialStore({ bindAddress: '127.0.0.1', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' });

function verify(req: SigV4Request, opts: Partial<SigV4Options> = {}): SigV4Result {
  return verifySigV4(req, { credentials: store, service: 'lambda', protocol: 'rest-json', ...opts });
}

function failure(result: SigV4Result) {
  assert.equal(result.ok, false, 'expected verification to fail');
  if (result.ok) throw new Error('unreachable');
  return result;
}

async function signedAndVerified(input: SignInput, opts: Partial<SigV4Options> = {}) {
  const result = verify(await signRequest(input), opts);
  assert.deepEqual(result.ok ? { ok: true } : { ok: false, code: result.error.code, message: result.error.message }, { ok: true });
  return result;
}

test('a JSON POST signed by the SDK signer verifies and reports who signed it', async () => {
  const result = await signedAndVerified({ path: '/2015-03-31/functions/f/invocations', body: '{"a":1}', region: 'eu-west-2' });
  assert.deepEqual(result, { ok: true, accessKeyId: 'test', region: 'eu-west-2', service: 'lambda', sessionToken: undefined });
});

test('paths with an encoded colon, a raw colon and encoded spaces verify (double encoding)', async () => {
  await signedAndVerified({ path: '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af/invocations' });
  await signedAndVerified({ path: '/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations' });
  await signedAndVerified({ path: '/2015-03-31/functions/my%20fn/invocations', method: 'GET' });
  await signedAndVerified({ path: '/a//b/./c/../d/', method: 'GET' });
});

test('query strings with repeated keys and reserved characters verify', async () => {
  await signedAndVerified({
    method: 'GET',
    path: '/2015-03-31/functions/f',
    query: { Qualifier: 'v 1+2/ä', Marker: ['z', 'a', 'm'], 'odd key*': "!'()~", Empty: '' },
  });
});

test('a signed header with runs of spaces verifies', async () => {
  await signedAndVerified({ path: '/p', headers: { 'x-amz-meta-note': '  a   b\tc  ' } });
});

test('a tampered body fails with the exact mismatch message and exposes the expected canonical request', async () => {
  const signed = await signRequest({ path: '/p', body: '{"a":1}' });
  const result = failure(verify(withBody(signed, '{"a":2}')));
  assert.equal(result.error.code, 'InvalidSignatureException');
  assert.equal(result.error.queryCode, 'SignatureDoesNotMatch');
  assert.equal(result.error.status, 403);
  assert.equal(result.error.message, SIGNATURE_MISMATCH_MESSAGE);
  assert.match(result.canonicalRequest ?? '', /^POST\n\/p\n\n/);
  assert.match(result.stringToSign ?? '', /^AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/lambda\/aws4_request\n[0-9a-f]{64}$/);
});

test('a tampered body fails even though x-amz-content-sha256 still names the old hash', async () => {
  const signed = await signRequest({ path: '/p', body: 'original' });
  assert.ok(signed.headers['x-amz-content-sha256'], 'the SDK signer sends x-amz-content-sha256');
  assert.equal(failure(verify(withBody(signed, 'tampered'))).error.code, 'InvalidSignatureException');
});

test('UNSIGNED-PAYLOAD leaves the body out of the signature', async () => {
  const signed = await signRequest({ path: '/p', body: 'x', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
  assert.equal(verify(withBody(signed, 'anything else')).ok, true);
});

test('tampering with a signed header, the path, the query or the date fails', async () => {
  const signed = await signRequest({ path: '/2015-03-31/functions/f', query: { Qualifier: '1' }, headers: { 'x-amz-target': 'A.B' } });
  assert.equal(verify(signed).ok, true);
  assert.equal(failure(verify(withHeader(signed, 'x-amz-target', 'A.C'))).error.code, 'InvalidSignatureException');
  assert.equal(failure(verify({ ...signed, url: signed.url.replace('/f', '/g') })).error.code, 'InvalidSignatureException');
  assert.equal(failure(verify({ ...signed, url: signed.url.replace('Qualifier=1', 'Qualifier=2') })).error.code, 'InvalidSignatureException');
  assert.equal(failure(verify({ ...signed, method: 'PUT' })).error.code, 'InvalidSignatureException');
  const date = signed.headers['x-amz-date'];
  const nudged = date.replace(/(\d)Z$/, (_, d: string) => `${(Number(d) + 1) % 10}Z`);
  assert.notEqual(nudged, date);
  assert.equal(failure(verify(withHeader(signed, 'x-amz-date', nudged))).error.message, SIGNATURE_MISMATCH_MESSAGE);
});

test('a request signed more than 15 minutes ago is expired, worded as AWS words it', async () => {
  const now = new Date('2024-05-01T12:00:00Z');
  const signed = await signRequest({ path: '/p', date: new Date('2024-05-01T11:44:59Z') });
  const result = failure(verify(signed, { now }));
  assert.equal(result.error.code, 'InvalidSignatureException');
  assert.equal(
    result.error.message,
    'Signature expired: 20240501T114459Z is now earlier than 20240501T114500Z (20240501T120000Z - 15 min.)',
  );
  assert.equal(verify(await signRequest({ path: '/p', date: new Date('2024-05-01T11:45:00Z') }), { now }).ok, true);
});

test('a request signed more than 15 minutes ahead is not yet current', async () => {
  const now = new Date('2024-05-01T12:00:00Z');
  const signed = await signRequest({ path: '/p', date: new Date('2024-05-01T12:15:01Z') });
  assert.equal(
    failure(verify(signed, { now })).error.message,
    'Signature not yet current: 20240501T121501Z is still later than 20240501T121500Z (20240501T120000Z + 15 min.)',
  );
});

test("maxSkewMs narrows the window: execute-api's 5 minutes, worded the same way", async () => {
  const now = new Date('2024-05-01T12:00:00Z');
  const opts = { now, maxSkewMs: 5 * 60 * 1000 };
  const old = await signRequest({ path: '/p', date: new Date('2024-05-01T11:54:59Z') });
  assert.equal(failure(verify(old, opts)).error.message, 'Signature expired: 20240501T115459Z is now earlier than 20240501T115500Z (20240501T120000Z - 5 min.)');
  const ahead = await signRequest({ path: '/p', date: new Date('2024-05-01T12:05:01Z') });
  assert.equal(failure(verify(ahead, opts)).error.message, 'Signature not yet current: 20240501T120501Z is still later than 20240501T120500Z (20240501T120000Z + 5 min.)');
  assert.equal(verify(await signRequest({ path: '/p', date: new Date('2024-05-01T11:55:00Z') }), opts).ok, true);
});

test('region: a scope naming another Region than the one required is refused', async () => {
  const signed = await signRequest({ path: '/p', region: 'eu-west-1' });
  assert.equal(failure(verify(signed, { region: 'us-east-1' })).error.message, "Credential should be scoped to a valid region, not 'eu-west-1'. ");
  assert.equal(verify(signed, { region: 'eu-west-1' }).ok, true);
  assert.equal(verify(signed).ok, true, 'any Region without the option');
});

test('a presigned URL verifies, and fails once expired or tampered with', async () => {
  const date = new Date('2024-05-01T12:00:00Z');
  const presigned = await presignRequest({ path: '/2015-03-31/functions/f', query: { Qualifier: 'a b' }, date, expiresIn: 300 });
  assert.match(presigned.url, /X-Amz-Signature=[0-9a-f]{64}/);
  assert.equal(presigned.rawHeaders.some((h) => h.toLowerCase() === 'authorization'), false);
  assert.equal(verify(presigned, { now: new Date('2024-05-01T12:04:59Z') }).ok, true);
  assert.equal(
    failure(verify(presigned, { now: new Date('2024-05-01T12:05:01Z') })).error.message,
    'Signature expired: 20240501T120000Z is now earlier than 20240501T120001Z (20240501T120501Z - 5 min.)',
  );
  const tampered = { ...presigned, url: presigned.url.replace('Qualifier=a%20b', 'Qualifier=a%20c') };
  assert.equal(failure(verify(tampered, { now: date })).error.message, SIGNATURE_MISMATCH_MESSAGE);
});

test('session credentials need their own token; a wrong or missing token is refused', async () => {
  const sessions = new CredentialStore({ bindAddress: '127.0.0.1' });
  const minted = sessions.mintSessionCredentials();
  const good = await signRequest({ path: '/p', ...minted });
  assert.deepEqual(verify(good, { credentials: sessions }), {
    ok: true, accessKeyId: minted.accessKeyId, region: 'us-east-1', service: 'lambda', sessionToken: minted.sessionToken,
  });
  const wrong = await signRequest({ path: '/p', ...minted, sessionToken: `${minted.sessionToken.slice(0, -2)}AA` });
  const refused = failure(verify(wrong, { credentials: sessions }));
  assert.equal(refused.error.code, 'UnrecognizedClientException');
  assert.equal(refused.error.message, INVALID_SESSION_TOKEN_MESSAGE);
  const missing = await signRequest({ path: '/p', accessKeyId: minted.accessKeyId, secretAccessKey: minted.secretAccessKey });
  assert.equal(failure(verify(missing, { credentials: sessions })).error.code, 'UnrecognizedClientException');
  sessions.revokeSession(minted.accessKeyId);
  assert.equal(failure(verify(good, { credentials: sessions })).error.message, INVALID_TOKEN_MESSAGE);
});

test('an unknown access key is an UnrecognizedClientException', async () => {
  const result = failure(verify(await signRequest({ path: '/p', accessKeyId: 'AKIDNOBODY' })));
  assert.deepEqual([result.error.code, result.error.message, result.error.queryCode], ['UnrecognizedClientException', INVALID_TOKEN_MESSAGE, 'InvalidClientTokenId']);
});

test('the development pair is refused when the endpoint is not loopback-only', async () => {
  const exposed = new CredentialStore({ bindAddress: '0.0.0.0' });
  const signed = await signRequest({ path: '/p', accessKeyId: 'test', secretAccessKey: 'test' });
  assert.equal(verify(signed, { credentials: new CredentialStore({ bindAddress: '127.0.0.1' }) }).ok, true);
  assert.equal(failure(verify(signed, { credentials: exposed })).error.code, 'UnrecognizedClientException');
});

test('the wrong secret for a known key is a signature mismatch', async () => {
  const signed = await signRequest({ path: '/p', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-the-secret' });
  assert.equal(failure(verify(signed)).error.code, 'InvalidSignatureException');
});

test('no credentials at all: Lambda and the JSON front word it differently', () => {
  const bare = { method: 'GET', url: '/p', rawHeaders: ['host', 'x'], payloadSha256: '' };
  const rest = failure(verify(bare)).error;
  assert.deepEqual([rest.code, rest.message, rest.status], ['MissingAuthenticationTokenException', 'Missing Authentication Token', 403]);
  const json = failure(verify(bare, { protocol: 'json' })).error;
  assert.deepEqual([json.code, json.message, json.status], ['MissingAuthenticationTokenException', 'Request is missing Authentication Token', 400]);
  const notSigV4 = failure(verify({ ...bare, rawHeaders: ['Authorization', 'Bearer abc'] })).error;
  assert.equal(notSigV4.code, 'MissingAuthenticationTokenException');
});

test('a malformed Authorization header is an IncompleteSignatureException naming what is missing', async () => {
  const auth = 'AWS4-HMAC-SHA256 Credential=test/20240501/us-east-1/lambda/aws4_request, Signature=abc';
  const result = failure(verify({ method: 'GET', url: '/p', rawHeaders: ['Authorization', auth], payloadSha256: '' }));
  assert.equal(result.error.code, 'IncompleteSignatureException');
  assert.equal(
    result.error.message,
    "Authorization header requires 'SignedHeaders' parameter. " +
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
      `Authorization=${auth}`,
  );
  const badDate = failure(verify({ method: 'GET', url: '/p', rawHeaders: ['Authorization', `${auth}, SignedHeaders=host`, 'X-Amz-Date', '2024-05-01'], payloadSha256: '' }));
  assert.equal(badDate.error.message, "Date must be in ISO-8601 'basic format'. Got '2024-05-01'. See http://en.wikipedia.org/wiki/ISO_8601");
});

test('incomplete presigned parameters are listed, and header plus query auth together is refused', async () => {
  const partial = failure(verify({ method: 'GET', url: '/p?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=x', rawHeaders: [], payloadSha256: '' }));
  assert.equal(
    partial.error.message,
    "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. " +
      "AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.",
  );
  const signed = await signRequest({ path: '/p' });
  const both = failure(verify({ ...signed, url: '/p?X-Amz-Algorithm=AWS4-HMAC-SHA256' }));
  assert.equal(both.error.message, "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
});

test('a credential scoped to another service, or missing host from the signed headers, is refused', async () => {
  const dynamo = await signRequest({ path: '/', service: 'dynamodb' });
  assert.equal(failure(verify(dynamo)).error.message, "Credential should be scoped to correct service: 'lambda'. ");
  const noHost = withoutHeader(await signRequest({ path: '/p' }), 'host');
  assert.equal(verify(noHost).ok, false);
  const date = formatAmzDate(new Date());
  const auth = `AWS4-HMAC-SHA256 Credential=test/${date.slice(0, 8)}/us-east-1/lambda/aws4_request, SignedHeaders=x-amz-date, Signature=00`;
  const unsignedHost = failure(verify({ method: 'GET', url: '/p', rawHeaders: ['Authorization', auth, 'X-Amz-Date', date], payloadSha256: '' }));
  assert.equal(unsignedHost.error.message, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
});

test('a short credential and an unsupported algorithm are IncompleteSignatureExceptions', () => {
  const date = formatAmzDate(new Date());
  const header = (auth: string) => ({ method: 'GET', url: '/p', rawHeaders: ['Authorization', auth, 'X-Amz-Date', date], payloadSha256: '' });
  const short = failure(verify(header('AWS4-HMAC-SHA256 Credential=test/20240501/us-east-1, SignedHeaders=host, Signature=00')));
  assert.equal(short.error.message, "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'test/20240501/us-east-1'");
  const sha512 = failure(verify(header('AWS4-HMAC-SHA512 Credential=a/b/c/d/e, SignedHeaders=host, Signature=00')));
  assert.equal(sha512.error.message, "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ");
});
