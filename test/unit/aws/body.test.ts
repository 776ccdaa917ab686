import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { ClientAbortedError, readBody } from '../../../src/aws/body.js';

function stream(): PassThrough & IncomingMessage {
  return new PassThrough() as PassThrough & IncomingMessage;
}

test('a body within the limit is kept whole and hashed', async () => {
  const req = stream();
  const reading = readBody(req, 10, 100);
  req.end(Buffer.from('hello'));
  assert.deepEqual(await reading, {
    kind: 'complete',
    body: Buffer.from('hello'),
    length: 5,
    truncated: false,
    sha256: createHash('sha256').update('hello').digest('hex'),
  });
});

test('past the limit only limit+1 bytes are kept, but all of it is counted and hashed', async () => {
  const req = stream();
  const reading = readBody(req, 4, 100);
  req.write('abc');
  req.write('defg');
  req.end('hij');
  const result = await reading;
  assert.equal(result.kind, 'complete');
  if (result.kind !== 'complete') return;
  assert.equal(result.body.toString(), 'abcde');
  assert.equal(result.length, 10);
  assert.equal(result.truncated, true);
  assert.equal(result.sha256, createHash('sha256').update('abcdefghij').digest('hex'));
});

test('past the drain limit reading stops and the body is abandoned', async () => {
  const req = stream();
  const reading = readBody(req, 2, 5);
  req.write('abc');
  req.write('defg');
  assert.deepEqual(await reading, { kind: 'abandoned', length: 7 });
  assert.equal(req.isPaused(), true);
});

test('a client that goes away mid-body is a ClientAbortedError', async () => {
  const req = stream();
  const reading = readBody(req, 10, 100);
  req.write('ab');
  req.destroy();
  await assert.rejects(reading, ClientAbortedError);
});
