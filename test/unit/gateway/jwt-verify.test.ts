/**
 * The JWT verifier: RSA signatures (RS256/384/512, PS256) against keys found by `kid`, and the rejections a forged
 * token must meet — alg none, HMAC with the RSA public key as secret, unknown kid, a key whose JWK alg differs, a
 * non-RSA key, a tampered payload — and the claim checks (iss, exp, nbf, iat). Keys come from a jose local JWKS,
 * as the remote one (jwks.ts) serves them.
 */
import assert from 'node:assert/strict';
import { constants, createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { test } from 'node:test';
import { createLocalJWKSet, type JWK } from 'jose';
import { verifyJwt, type JwtExpectations } from '../../../src/gateway/policies/authorizers/jwt-verify.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const NOW = 1_700_000_000;
const ISS = 'https://issuer.example';
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ iss: ISS, sub: 'u', iat: NOW - 60, exp: NOW + 60, ...extra });

function token(payload: Record<string, unknown>, alg = 'RS256', kid = 'k1', key: KeyObject = privateKey): string {
  const head = b64({ alg, kid, typ: 'JWT' });
  const data = Buffer.from(`${head}.${b64(payload)}`);
  const hash = `sha${alg.slice(2)}`;
  const signature = alg.startsWith('PS')
    ? sign(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 })
    : sign(hash, data, key);
  return `${head}.${b64(payload)}.${signature.toString('base64url')}`;
}

const jwk = (key: KeyObject, extra: Record<string, unknown> = {}): JWK => ({ ...key.export({ format: 'jwk' }), kid: 'k1', ...extra }) as JWK;

function expect(keys: JWK[] = [jwk(publicKey)]): JwtExpectations {
  return { issuers: [ISS], now: NOW, keys: createLocalJWKSet({ keys }) };
}

async function failure(jwt: string, expectations: JwtExpectations = expect()): Promise<string> {
  const result = await verifyJwt(jwt, expectations);
  assert.equal(result.ok, false, 'expected a rejection');
  return result.ok ? '' : result.failure;
}

test('RS256, RS384, RS512 and PS256 signatures verify; the claims come back', async () => {
  for (const alg of ['RS256', 'RS384', 'RS512', 'PS256']) {
    const result = await verifyJwt(token(claims(), alg), expect());
    assert.ok(result.ok, alg);
    assert.equal(result.ok && result.claims.sub, 'u');
  }
});

test('alg none and unknown algorithms are rejected before any key lookup', async () => {
  let looked = false;
  const spy: JwtExpectations = { ...expect(), keys: async () => ((looked = true), publicKey) };
  assert.equal(await failure(`${b64({ alg: 'none', kid: 'k1' })}.${b64(claims())}.`, spy), 'algorithm');
  assert.equal(await failure(`${b64({ alg: 'ES256', kid: 'k1' })}.${b64(claims())}.AAAA`, spy), 'algorithm');
  assert.equal(looked, false);
});

test('HS256 signed with the RSA public key (key confusion) is rejected', async () => {
  const head = b64({ alg: 'HS256', kid: 'k1' });
  const secret = publicKey.export({ format: 'pem', type: 'spki' });
  const mac = createHmac('sha256', secret).update(`${head}.${b64(claims())}`).digest('base64url');
  assert.equal(await failure(`${head}.${b64(claims())}.${mac}`), 'algorithm');
});

test('kid: missing or unknown is rejected', async () => {
  assert.equal(await failure(token(claims(), 'RS256', 'other')), 'kid');
  const head = b64({ alg: 'RS256' });
  assert.equal(await failure(`${head}.${b64(claims())}.${sign('sha256', Buffer.from(`${head}.${b64(claims())}`), privateKey).toString('base64url')}`), 'kid');
});

test('a key whose JWK declares another alg, or a non-RSA key, is not used', async () => {
  // jose leaves such keys out of the candidates, so the token names no usable key.
  assert.equal(await failure(token(claims()), expect([jwk(publicKey, { alg: 'RS512' })])), 'kid');
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
  assert.equal(await failure(token(claims()), expect([jwk(ec)])), 'kid');
  assert.equal(await failure(token(claims()), expect([jwk(publicKey, { use: 'enc' })])), 'kid');
  assert.ok((await verifyJwt(token(claims()), expect([jwk(publicKey, { alg: 'RS256' })]))).ok);
});

test('a signature by another key, or a tampered payload, is rejected', async () => {
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  assert.equal(await failure(token(claims(), 'RS256', 'k1', other)), 'signature');
  const [head, , sig] = token(claims()).split('.');
  assert.equal(await failure(`${head}.${b64(claims({ sub: 'admin' }))}.${sig}`), 'signature');
});

test('claims: issuer, exp (required, strictly after now), nbf and iat (not after now)', async () => {
  assert.equal(await failure(token(claims({ iss: 'https://evil.example' }))), 'issuer');
  assert.equal(await failure(token(claims({ exp: NOW }))), 'expired');
  assert.equal(await failure(token(claims({ exp: undefined }))), 'expired');
  assert.equal(await failure(token(claims({ nbf: NOW + 1 }))), 'not-yet-valid');
  assert.equal(await failure(token(claims({ iat: NOW + 1 }))), 'issued-in-future');
  assert.ok((await verifyJwt(token(claims({ nbf: NOW, iat: NOW })), expect())).ok);
});

test('malformed tokens: wrong part count, bad base64url, JSON that is not an object', async () => {
  for (const bad of ['', 'a.b', 'a.b.c.d', '!!.e30.AA', `${b64([1])}.${b64(claims())}.AA`]) {
    assert.equal(await failure(bad), 'malformed', bad);
  }
  // jose checks the signature before it reads the payload: a validly signed payload that is not JSON.
  const head = b64({ alg: 'RS256', kid: 'k1' });
  const signed = sign('sha256', Buffer.from(`${head}.bm90IGpzb24`), privateKey).toString('base64url');
  assert.equal(await failure(`${head}.bm90IGpzb24.${signed}`), 'malformed');
});

test('PS384 and PS512 verify; a kid shared by two keys of the set is refused', async () => {
  for (const alg of ['PS384', 'PS512']) assert.ok((await verifyJwt(token(claims(), alg), expect())).ok, alg);
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
  assert.equal(await failure(token(claims()), expect([jwk(publicKey), jwk(other)])), 'kid');
});
