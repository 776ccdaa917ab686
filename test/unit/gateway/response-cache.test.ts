/**
 * The in-memory response cache: TTL, capacity in bytes with least-recently-used eviction, hit and miss counters,
 * flush, and a store that keeps a stage's cache across redeploys unless its capacity changes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GatewayResponse } from '../../../src/gateway/events/request.js';
import { InMemoryResponseCache, InMemoryResponseCacheStore } from '../../../src/gateway/policies/response-cache.js';

const response = (body: string): GatewayResponse => ({ statusCode: 200, headers: ['content-type', 'text/plain'], body: Buffer.from(body) });

test('an entry is served until its TTL passes; hits and misses are counted', () => {
  let now = 0;
  const cache = new InMemoryResponseCache(10_000, () => now);
  assert.equal(cache.get('k'), undefined);
  cache.set('k', response('a'), 1000);
  assert.equal(cache.get('k')?.body.toString(), 'a');
  now = 999;
  assert.ok(cache.get('k'));
  now = 1000;
  assert.equal(cache.get('k'), undefined);
  assert.deepEqual(cache.counters, { hits: 2, misses: 2 });
  assert.equal(cache.size, 0, 'the expired entry is dropped');
});

test('the capacity is enforced in bytes: the least recently used entries are evicted first', () => {
  const one = response('x'.repeat(100));
  const probe = new InMemoryResponseCache(1_000_000);
  probe.set('a', one, 60_000);
  const entry = probe.size;
  const cache = new InMemoryResponseCache(entry * 3);
  cache.set('a', one, 60_000);
  cache.set('b', one, 60_000);
  cache.set('c', one, 60_000);
  assert.ok(cache.get('a'), 'a becomes the most recently used');
  cache.set('d', one, 60_000);
  assert.equal(cache.get('b'), undefined, 'b was the least recently used');
  assert.ok(cache.get('a'));
  assert.ok(cache.get('c'));
  assert.ok(cache.get('d'));
  assert.ok(cache.size <= entry * 3);
  cache.set('huge', response('x'.repeat(entry * 3)), 60_000);
  assert.equal(cache.get('huge'), undefined, 'an entry larger than the whole cache is not stored');
  assert.ok(cache.get('d'), 'and evicts nothing');
});

test('flush empties the cache; replacing an entry keeps the byte count right', () => {
  const cache = new InMemoryResponseCache(10_000);
  cache.set('a', response('1'), 60_000);
  const size = cache.size;
  cache.set('a', response('2'), 60_000);
  assert.equal(cache.size, size);
  assert.equal(cache.get('a')?.body.toString(), '2');
  cache.flush();
  assert.equal(cache.size, 0);
  assert.equal(cache.get('a'), undefined);
});

test('the store keeps one cache per API and stage; a new capacity replaces it', () => {
  const store = new InMemoryResponseCacheStore();
  const prod = store.stage('api1', 'Prod', 1000);
  assert.equal(store.stage('api1', 'Prod', 1000), prod);
  assert.notEqual(store.stage('api1', 'Dev', 1000), prod);
  assert.equal(store.find('api1', 'Prod'), prod);
  assert.equal(store.find('api2', 'Prod'), undefined);
  assert.notEqual(store.stage('api1', 'Prod', 2000), prod);
});
