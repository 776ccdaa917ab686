// The stream poller against an in-memory stream and a scripted function: batches in order, one at a time, partial
// batch responses, whole-batch retries with bisection and a retry limit, filters, checkpoints and starting positions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InvokeResult } from '../../../src/functions/event-sources/invoker.js';
import { MemoryStream, drive, spec } from './stream-poller-harness.js';

const ok: InvokeResult = { kind: 'response', payload: 'null' };

test('batches of BatchSize, in order, checkpointed after each', async () => {
  const stream = new MemoryStream();
  for (const id of ['a', 'b', 'c', 'd', 'e']) stream.add(id);
  const { calls } = await drive(stream, spec({ batchSize: 2 }), () => ok, (c) => c.length === 3);
  assert.deepEqual(calls, [['a', 'b'], ['c', 'd'], ['e']]);
  assert.equal(stream.checkpoints.get('m'), 5);
});

test('a restarted poller resumes from the checkpoint; LATEST starts after what exists', async () => {
  const stream = new MemoryStream();
  for (const id of ['a', 'b']) stream.add(id);
  stream.checkpoints.set('m', 1);
  const resumed = await drive(stream, spec(), () => ok, (c) => c.length === 1);
  assert.deepEqual(resumed.calls, [['b']]);

  const latest = new MemoryStream();
  latest.add('old');
  const poller = drive(latest, spec({ id: 'l', startingPosition: 'LATEST' }), () => ok, (c) => c.length === 1);
  await new Promise((resolve) => setTimeout(resolve, 20));
  latest.add('new');
  assert.deepEqual((await poller).calls, [['new']]);
});

test('filtered-out records are skipped and count as processed', async () => {
  const stream = new MemoryStream();
  stream.add('a', { keep: false });
  stream.add('b', { keep: true });
  stream.add('c', { keep: false });
  const mapping = spec({ filterPatterns: ['{"dynamodb": {"keep": [true]}}'] });
  const { calls } = await drive(stream, mapping, () => ok, () => stream.checkpoints.get('m') === 3);
  assert.deepEqual(calls, [['b']]);
});

test('ReportBatchItemFailures: retried from the first failed record; the ones before are checkpointed', async () => {
  const stream = new MemoryStream();
  for (const id of ['a', 'b', 'c']) stream.add(id);
  let failures = 0;
  const { calls } = await drive(
    stream,
    spec({ reportBatchItemFailures: true }),
    (batch, payload) => {
      const records = (JSON.parse(payload) as { Records: { dynamodb: { SequenceNumber: string } }[] }).Records;
      if (batch.includes('b') && failures++ < 2) {
        // c reported too: the lowest sequence number (b) is where the retry starts.
        return { kind: 'response', payload: JSON.stringify({ batchItemFailures: [{ itemIdentifier: records[batch.indexOf('c')]!.dynamodb.SequenceNumber }, { itemIdentifier: records[batch.indexOf('b')]!.dynamodb.SequenceNumber }] }) };
      }
      return { kind: 'response', payload: JSON.stringify({ batchItemFailures: [] }) };
    },
    (c) => c.length === 3,
  );
  assert.deepEqual(calls, [['a', 'b', 'c'], ['b', 'c'], ['b', 'c']]);
  assert.equal(stream.checkpoints.get('m'), 3);
});

test('an itemIdentifier not in the batch fails the whole batch', async () => {
  const stream = new MemoryStream();
  for (const id of ['a', 'b']) stream.add(id);
  let first = true;
  const { calls } = await drive(
    stream,
    spec({ reportBatchItemFailures: true }),
    () => {
      const payload = first ? JSON.stringify({ batchItemFailures: [{ itemIdentifier: '' }] }) : 'null';
      first = false;
      return { kind: 'response', payload };
    },
    (c) => c.length === 2,
  );
  assert.deepEqual(calls, [['a', 'b'], ['a', 'b']]);
});

test('function errors: bisected down to the bad record, retried MaximumRetryAttempts times, then skipped', async () => {
  const stream = new MemoryStream();
  for (const id of ['a', 'b', 'bad', 'c']) stream.add(id);
  const { calls, logs } = await drive(
    stream,
    spec({ bisectBatchOnFunctionError: true, maximumRetryAttempts: 1 }),
    (batch) => (batch.includes('bad') ? { kind: 'error', payload: '{"errorMessage":"boom"}' } : ok),
    () => stream.checkpoints.get('m') === 4,
  );
  assert.deepEqual(calls, [['a', 'b', 'bad', 'c'], ['a', 'b'], ['bad', 'c'], ['bad'], ['bad'], ['c']]);
  assert.equal(logs.length, 1);
  assert.match(logs[0]!, /skipped 1 record\(s\) after 2 failed attempt\(s\)/);
});

test('without a retry limit a failing batch is retried (and nothing after it is delivered)', async () => {
  const stream = new MemoryStream();
  for (const id of ['a', 'b']) stream.add(id);
  const { calls } = await drive(stream, spec({ batchSize: 1 }), () => ({ kind: 'error', payload: '{}' }), (c) => c.length >= 4);
  assert.ok(calls.every((batch) => batch[0] === 'a'));
  assert.equal(stream.checkpoints.get('m'), 0);
});
