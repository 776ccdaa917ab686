import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clfTime,
  decodeQueryComponent,
  firstMediaType,
  isHttpApiTextMediaType,
  matchesBinaryMediaTypes,
  parseQuery,
} from '../../../src/gateway/events/common.js';

test('firstMediaType: first entry, parameters stripped, lower-cased', () => {
  assert.equal(firstMediaType('image/webp,image/*,*/*;q=0.8'), 'image/webp');
  assert.equal(firstMediaType(' Text/HTML ; charset=utf-8'), 'text/html');
  assert.equal(firstMediaType(undefined), '');
  assert.equal(firstMediaType(''), '');
});

test('matchesBinaryMediaTypes: exact, type wildcard, all wildcard; a client wildcard is literal', () => {
  assert.equal(matchesBinaryMediaTypes('image/png', ['image/png']), true);
  assert.equal(matchesBinaryMediaTypes('image/png', ['Image/PNG']), true);
  assert.equal(matchesBinaryMediaTypes('image/png', ['image/*']), true);
  assert.equal(matchesBinaryMediaTypes('imagex/png', ['image/*']), false);
  assert.equal(matchesBinaryMediaTypes('application/json', ['*/*']), true);
  assert.equal(matchesBinaryMediaTypes('', ['*/*']), true);
  assert.equal(matchesBinaryMediaTypes('', ['image/png']), false);
  assert.equal(matchesBinaryMediaTypes('*/*', ['image/png']), false);
  assert.equal(matchesBinaryMediaTypes('image/*', ['image/png']), false);
  assert.equal(matchesBinaryMediaTypes('image/png', []), false);
  assert.equal(matchesBinaryMediaTypes('application/octet-stream', ['image/png', 'application/octet-stream']), true);
});

test('isHttpApiTextMediaType', () => {
  for (const t of ['text/plain', 'text/csv', 'application/json', 'application/xml', 'application/javascript']) {
    assert.equal(isHttpApiTextMediaType(t), true, t);
  }
  for (const t of ['', 'application/x-www-form-urlencoded', 'application/octet-stream', 'application/ld+json', 'image/svg+xml']) {
    assert.equal(isHttpApiTextMediaType(t), false, t);
  }
});

test('decodeQueryComponent: + → space, percent-decoding, UTF-8, invalid escapes kept', () => {
  assert.equal(decodeQueryComponent('a+b%2Bc'), 'a b+c');
  assert.equal(decodeQueryComponent('%C3%A9t%C3%A9'), 'été');
  assert.equal(decodeQueryComponent('100%'), '100%');
  assert.equal(decodeQueryComponent('%E2%82'), '%E2%82');
  assert.equal(decodeQueryComponent('%zz%20x'), '%zz x');
  assert.equal(decodeQueryComponent('plain'), 'plain');
});

test('parseQuery: order of first occurrence, repeats, empty pieces skipped, ; only when asked', () => {
  const m = parseQuery('b=1&a=2&b=3&&c', false);
  assert.deepEqual(m && [...m], [
    ['b', ['1', '3']],
    ['a', ['2']],
    ['c', ['']],
  ]);
  assert.deepEqual(parseQuery('x=1;y=2', false) && [...parseQuery('x=1;y=2', false)!], [['x', ['1;y=2']]]);
  assert.deepEqual(parseQuery('x=1;y=2', true) && [...parseQuery('x=1;y=2', true)!], [
    ['x', ['1']],
    ['y', ['2']],
  ]);
  assert.equal(parseQuery('', true), null);
  assert.equal(parseQuery('&&', true), null);
  assert.deepEqual([...parseQuery('a=b=c', false)!], [['a', ['b=c']]]);
});

test('clfTime: day and hour padding, month names, cache per second', () => {
  assert.equal(clfTime(Date.UTC(2021, 1, 3, 4, 5, 6)), '03/Feb/2021:04:05:06 +0000');
  assert.equal(clfTime(Date.UTC(2021, 1, 3, 4, 5, 6, 999)), '03/Feb/2021:04:05:06 +0000');
  assert.equal(clfTime(Date.UTC(2021, 1, 3, 4, 5, 7)), '03/Feb/2021:04:05:07 +0000');
  assert.equal(clfTime(Date.UTC(1999, 8, 30, 12, 0, 0)), '30/Sep/1999:12:00:00 +0000');
});
