import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  SigningKeyCache,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  collectHeaders,
  deriveSigningKey,
  parseRawQuery,
  sha256Hex,
  signatureHex,
  stringToSign,
} from '../../../src/aws/canonical.js';

test('the canonical URI encodes the path as sent once more, after removing dot and empty segments', () => {
  assert.equal(canonicalUri('/2015-03-31/functions/arn%3Aaws%3Alambda/invocations'), '/2015-03-31/functions/arn%253Aaws%253Alambda/invocations');
  assert.equal(canonicalUri('/fn/a:b'), '/fn/a%3Ab');
  assert.equal(canonicalUri('/my%20fn/x y'), '/my%2520fn/x%20y');
  assert.equal(canonicalUri('/a//b/./c/../d/'), '/a/b/d/');
  assert.equal(canonicalUri('/'), '/');
  assert.equal(canonicalUri(''), '/');
  assert.equal(canonicalUri("/it's(*)!"), '/it%27s%28%2A%29%21');
});

test('the canonical query is decoded, re-encoded per RFC 3986 and sorted by key then value', () => {
  const pairs = parseRawQuery('b=2&a=z&a=y&c&X-Amz-Signature=ff&sp=a%20b&plus=a+b&star=*&bad=%zz');
  assert.equal(canonicalQuery(pairs), 'a=y&a=z&b=2&bad=%25zz&c=&plus=a%2Bb&sp=a%20b&star=%2A');
});

test('repeated headers join with commas and whitespace runs collapse', () => {
  const headers = collectHeaders(['Host', 'h', 'X-A', '  one  two ', 'x-a', 'three']);
  const request = canonicalRequest({ method: 'GET', rawPath: '/', query: [], headers, signedHeaders: ['host', 'x-a'], payloadHash: 'e3' });
  assert.equal(request, 'GET\n/\n\nhost:h\nx-a:one two,three\n\nhost;x-a\ne3');
});

test("AWS's documented IAM ListUsers example signs to the documented signature", () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html (GET ListUsers example)
  const headers = collectHeaders([
    'Content-Type', 'application/x-www-form-urlencoded; charset=utf-8',
    'Host', 'iam.amazonaws.com',
    'X-Amz-Date', '20150830T123600Z',
  ]);
  const canonical = canonicalRequest({
    method: 'GET',
    rawPath: '/',
    query: parseRawQuery('Action=ListUsers&Version=2010-05-08'),
    headers,
    signedHeaders: ['content-type', 'host', 'x-amz-date'],
    payloadHash: sha256Hex(''),
  });
  assert.equal(sha256Hex(canonical), 'f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59');
  const toSign = stringToSign('20150830T123600Z', '20150830/us-east-1/iam/aws4_request', canonical);
  const key = deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830', 'us-east-1', 'iam');
  assert.equal(signatureHex(key, toSign), '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
});

test('derived keys are cached per scope and recomputed when the secret changes', () => {
  const cache = new SigningKeyCache(2);
  const first = cache.get('AKID', 's1', '20240501', 'us-east-1', 'lambda');
  assert.equal(cache.get('AKID', 's1', '20240501', 'us-east-1', 'lambda'), first, 'same Buffer instance from the cache');
  const rotated = cache.get('AKID', 's2', '20240501', 'us-east-1', 'lambda');
  assert.notDeepEqual(rotated, first);
  assert.deepEqual(rotated, deriveSigningKey('s2', '20240501', 'us-east-1', 'lambda'));
  cache.get('AKID', 's2', '20240502', 'us-east-1', 'lambda');
  cache.get('AKID', 's2', '20240503', 'us-east-1', 'lambda');
  assert.equal(cache.size, 2, 'oldest entry evicted');
});
