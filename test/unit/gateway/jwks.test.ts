/**
 * The JWKS cache against a fake fetch: discovery through the OpenID configuration, one fetch shared by concurrent
 * lookups, an unknown kid refetching at most once per interval, non-RSA keys dropped, failures as
 * JwksUnavailableError (never cached), and the fetch timeout.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, type webcrypto } from 'node:crypto';
import { test } from 'node:test';
import { errors, type CompactJWSHeaderParameters, type FlattenedJWSInput } from 'jose';
import { JwksCache, JwksUnavailableError } from '../../../src/gateway/policies/authorizers/jwks.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });

const TOKEN: FlattenedJWSInput = { payload: '', signature: '' };

/** The key jose resolves for an RS256 token naming `kid`; undefined when the set has none. */
async function keyFor(jwks: JwksCache, uri: string, kid: string): Promise<webcrypto.CryptoKey | undefined> {
  const header: CompactJWSHeaderParameters = { alg: 'RS256', kid };
  try {
    return (await jwks.keysFor(uri)(header, TOKEN)) as webcrypto.CryptoKey;
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey) return undefined;
    throw error;
  }
}

/** A fetch serving `documents` by URL, counting requests. */
function fakeFetch(documents: Record<string, unknown>) {
  const hits: string[] = [];
  const fetcher = (async (input: string | URL | Request) => {
    const url = String(input);
    hits.push(url);
    const doc = documents[url];
    return doc === undefined ? new Response('no', { status: 404 }) : new Response(JSON.stringify(doc));
  }) as typeof fetch;
  return { hits, fetcher };
}

test('discovery: jwks_uri from {issuer}/.well-known/openid-configuration, cached', async () => {
  const { hits, fetcher } = fakeFetch({ 'https://idp.example/.well-known/openid-configuration': { jwks_uri: 'https://idp.example/keys' } });
  const jwks = new JwksCache({ fetch: fetcher });
  assert.equal(await jwks.jwksUriFor('https://idp.example/'), 'https://idp.example/keys');
  assert.equal(await jwks.jwksUriFor('https://idp.example/'), 'https://idp.example/keys');
  assert.equal(hits.length, 1);
});

test('keys: RSA keys by kid (others dropped); concurrent lookups share one fetch', async () => {
  const { hits, fetcher } = fakeFetch({ 'https://idp.example/keys': { keys: [{ ...rsa, kid: 'a', alg: 'RS256' }, { ...ec, kid: 'e' }, { ...rsa, kid: 'enc', use: 'enc' }] } });
  const jwks = new JwksCache({ fetch: fetcher });
  const uri = 'https://idp.example/keys';
  const [a, e, enc] = await Promise.all([keyFor(jwks, uri, 'a'), keyFor(jwks, uri, 'e'), keyFor(jwks, uri, 'enc')]);
  assert.equal(a?.algorithm.name, 'RSASSA-PKCS1-v1_5');
  assert.equal(e, undefined);
  assert.equal(enc, undefined);
  assert.equal(hits.length, 1);
});

test('an unknown kid refetches once the refetch interval has passed, not before', async () => {
  const documents: Record<string, unknown> = { 'https://idp.example/keys': { keys: [{ ...rsa, kid: 'old' }] } };
  const { hits, fetcher } = fakeFetch(documents);
  const jwks = new JwksCache({ fetch: fetcher, refetchAfterMs: 50 });
  assert.equal(await keyFor(jwks, 'https://idp.example/keys', 'new'), undefined);
  assert.equal(await keyFor(jwks, 'https://idp.example/keys', 'new'), undefined);
  assert.equal(hits.length, 1, 'forged kids do not hammer the issuer');
  documents['https://idp.example/keys'] = { keys: [{ ...rsa, kid: 'new' }] };
  await new Promise((done) => setTimeout(done, 60));
  assert.ok(await keyFor(jwks, 'https://idp.example/keys', 'new'), 'a rotated key is picked up');
  assert.equal(hits.length, 2);
});

test('failures are JwksUnavailableError and are not cached; a slow issuer times out', async () => {
  const { hits, fetcher } = fakeFetch({});
  const jwks = new JwksCache({ fetch: fetcher });
  await assert.rejects(keyFor(jwks, 'https://idp.example/keys', 'a'), JwksUnavailableError);
  await assert.rejects(jwks.jwksUriFor('https://idp.example'), JwksUnavailableError);
  await assert.rejects(keyFor(jwks, 'https://idp.example/keys', 'a'), JwksUnavailableError);
  assert.equal(hits.length, 3);
  const hanging = ((_url: string, init?: RequestInit) =>
    new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))))) as typeof fetch;
  const slow = new JwksCache({ fetch: hanging, timeoutMs: 20 });
  // AbortSignal.timeout's timer does not hold the event loop open (a running server does); this test's must.
  const keepAlive = setTimeout(() => undefined, 5000);
  await assert.rejects(keyFor(slow, 'https://idp.example/keys', 'a'), JwksUnavailableError);
  clearTimeout(keepAlive);
});

test('a key set over 1 MB is refused as unavailable', async () => {
  const { fetcher } = fakeFetch({ 'https://idp.example/keys': { keys: [], padding: 'x'.repeat(1024 * 1024) } });
  await assert.rejects(keyFor(new JwksCache({ fetch: fetcher }), 'https://idp.example/keys', 'a'), JwksUnavailableError);
});
