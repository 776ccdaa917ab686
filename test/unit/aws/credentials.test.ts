import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CredentialStore, isLoopbackAddress } from '../../../src/aws/credentials.js';

test('loopback addresses are recognised, wildcard and LAN addresses are not', () => {
  for (const address of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1']) {
    assert.equal(isLoopbackAddress(address), true, address);
  }
  for (const address of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', '::ffff:10.0.0.1', 'example.com', '']) {
    assert.equal(isLoopbackAddress(address), false, address);
  }
});

test('the development pair test/test is accepted on loopback only', () => {
  assert.deepEqual(new CredentialStore({ bindAddress: '127.0.0.1' }).lookup('test'), { secretAccessKey: 'test' });
  assert.equal(new CredentialStore({ bindAddress: '::1' }).acceptsDevCredentials, true);
  const exposed = new CredentialStore({ bindAddress: '0.0.0.0' });
  assert.equal(exposed.lookup('test'), undefined);
  assert.equal(exposed.acceptsDevCredentials, false);
  assert.equal(new CredentialStore({ bindAddress: '192.168.1.10' }).lookup('test'), undefined);
});

test('an operator-configured pair works on any address and both halves are required', () => {
  const store = CredentialStore.fromEnv({ PORTICO_ACCESS_KEY_ID: 'AKIAOPERATOR', PORTICO_SECRET_ACCESS_KEY: 's3cret' }, '0.0.0.0');
  assert.deepEqual(store.lookup('AKIAOPERATOR'), { secretAccessKey: 's3cret' });
  assert.throws(() => CredentialStore.fromEnv({ PORTICO_ACCESS_KEY_ID: 'AKIAOPERATOR' }, '127.0.0.1'), /must be set together/);
  assert.equal(CredentialStore.fromEnv({}, '0.0.0.0').lookup('AKIAOPERATOR'), undefined);
});

test('minted session credentials look like STS ones, are distinct, and can be revoked', () => {
  const store = new CredentialStore({ bindAddress: '0.0.0.0' });
  const a = store.mintSessionCredentials();
  const b = store.mintSessionCredentials();
  assert.match(a.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.match(a.secretAccessKey, /^[A-Za-z0-9+/]{40}$/);
  assert.ok(a.sessionToken.length >= 100);
  assert.notEqual(a.accessKeyId, b.accessKeyId);
  assert.notEqual(a.secretAccessKey, b.secretAccessKey);
  assert.deepEqual(store.lookup(a.accessKeyId), { secretAccessKey: a.secretAccessKey, sessionToken: a.sessionToken });
  assert.equal(store.revokeSession(a.accessKeyId), true);
  assert.equal(store.lookup(a.accessKeyId), undefined);
  assert.ok(store.lookup(b.accessKeyId));
});

test('revoking never removes a long-term pair', () => {
  const store = new CredentialStore({ bindAddress: '127.0.0.1' });
  assert.equal(store.revokeSession('test'), false);
  assert.ok(store.lookup('test'));
});
