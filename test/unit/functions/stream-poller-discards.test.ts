// Discarded stream records: MaximumRecordAgeInSeconds (before delivery and between retries), and the on-failure
// record Lambda sends to DestinationConfig.OnFailure, which Portico writes to the function's log.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InvokeResult } from '../../../src/functions/event-sources/invoker.js';
import { ARN, MemoryStream, SHARD, drive, spec } from './stream-poller-harness.js';

const ok: InvokeResult = { kind: 'response', payload: 'null' };
const boom: InvokeResult = { kind: 'error', payload: '{"errorMessage":"boom"}' };
const QUEUE = 'arn:aws:sqs:us-east-1:123456789012:failed-records';
const nowSeconds = () => Math.floor(Date.now() / 1000);

interface OnFailureLine {
  destination: string;
  version: string;
  timestamp: string;
  requestContext: { requestId: string; functionArn: string; condition: string; approximateInvokeCount: number };
  responseContext?: Record<string, unknown>;
  DDBStreamBatchInfo: Record<string, unknown>;
}

/** The on-failure records among the log lines. */
function onFailureRecords(logs: string[]): OnFailureLine[] {
  return logs.flatMap((line) => {
    const m = /on-failure record for (\S+): (.*)\n$/.exec(line);
    return m ? [{ destination: m[1]!, ...(JSON.parse(m[2]!) as Omit<OnFailureLine, 'destination'>) }] : [];
  });
}

test('records older than MaximumRecordAgeInSeconds are skipped, count as processed, and are reported', async () => {
  const stream = new MemoryStream();
  const now = nowSeconds();
  stream.add('old1', {}, now - 600);
  stream.add('old2', {}, now - 300);
  stream.add('fresh', {}, now - 5);
  const mapping = spec({ maximumRecordAgeSeconds: 120, onFailureDestination: QUEUE });
  const { calls, logs } = await drive(stream, mapping, () => ok, () => stream.checkpoints.get('m') === 3);
  assert.deepEqual(calls, [['fresh']]);
  assert.match(logs[0]!, /skipped 2 record\(s\) older than MaximumRecordAgeInSeconds \(120\)/);
  const [record] = onFailureRecords(logs);
  assert.ok(record);
  assert.equal(record.destination, QUEUE);
  assert.equal(record.version, '1.0');
  assert.match(record.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  assert.equal(record.requestContext.condition, 'RecordAgeExceeded');
  assert.equal(record.requestContext.approximateInvokeCount, 0);
  assert.equal(record.requestContext.functionArn, 'arn:aws:lambda:us-east-1:123456789012:function:fn');
  assert.match(record.requestContext.requestId, /^[0-9a-f-]{36}$/);
  assert.equal(record.responseContext, undefined, 'never invoked: no response to describe');
  assert.deepEqual(record.DDBStreamBatchInfo, {
    shardId: SHARD,
    startSequenceNumber: '000000000000000000001',
    endSequenceNumber: '000000000000000000002',
    approximateArrivalOfFirstRecord: new Date((now - 600) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    approximateArrivalOfLastRecord: new Date((now - 300) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    batchSize: 2,
    streamArn: ARN,
  });
});

test('the default -1 keeps records for the stream\'s 24 hours, and no longer', async () => {
  const stream = new MemoryStream();
  stream.add('old', {}, nowSeconds() - 23 * 3600);
  const { calls, logs } = await drive(stream, spec({ onFailureDestination: QUEUE }), () => ok, (c) => c.length === 1);
  assert.deepEqual(calls, [['old']]);
  assert.deepEqual(logs, []);

  // A batch that keeps failing is retried until its records are a day old (then the stream has trimmed them), not
  // forever from memory.
  const failing = new MemoryStream();
  failing.add('poison', {}, nowSeconds() - 24 * 3600 + 120);
  let clock = Date.now();
  const now = () => new Date((clock += 60_000));
  const retried = await drive(failing, spec({ onFailureDestination: QUEUE }), () => boom, () => failing.checkpoints.get('m') === 1, now);
  assert.ok(retried.calls.length >= 1 && retried.calls.length < 5, JSON.stringify(retried.calls));
  assert.ok(onFailureRecords(retried.logs)[0], 'the discarded batch is reported');
});

test('a batch retried until it ages out is discarded with the last response described', async () => {
  const stream = new MemoryStream();
  stream.add('a', {}, nowSeconds());
  stream.add('b', {}, nowSeconds());
  // Each look at the clock is a minute later: the batch passes its 150 s limit after a few failed attempts.
  let clock = Date.now();
  const now = () => new Date((clock += 60_000));
  const mapping = spec({ maximumRecordAgeSeconds: 150, onFailureDestination: QUEUE });
  const { calls, logs } = await drive(stream, mapping, () => boom, () => stream.checkpoints.get('m') === 2, now);
  assert.ok(calls.length >= 1 && calls.length < 5, JSON.stringify(calls));
  const [record] = onFailureRecords(logs);
  assert.ok(record);
  assert.equal(record.requestContext.condition, 'RecordAgeExceeded');
  assert.equal(record.requestContext.approximateInvokeCount, calls.length);
  assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
  assert.equal(record.DDBStreamBatchInfo.batchSize, 2);
});

test('retries exhausted: the on-failure record names the condition, the attempts and the batch', async () => {
  const stream = new MemoryStream();
  for (const id of ['a', 'b', 'c']) stream.add(id);
  const mapping = spec({ maximumRetryAttempts: 2, onFailureDestination: QUEUE, functionName: 'arn:aws:lambda:us-east-1:123456789012:function:fn' });
  const { calls, logs } = await drive(stream, mapping, () => boom, () => stream.checkpoints.get('m') === 3);
  assert.equal(calls.length, 3);
  assert.match(logs[0]!, /skipped 3 record\(s\) after 3 failed attempt\(s\)/);
  const [record] = onFailureRecords(logs);
  assert.ok(record);
  assert.equal(record.requestContext.condition, 'RetryAttemptsExhausted');
  assert.equal(record.requestContext.approximateInvokeCount, 3);
  assert.equal(record.requestContext.functionArn, 'arn:aws:lambda:us-east-1:123456789012:function:fn');
  assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
  assert.equal(record.DDBStreamBatchInfo.startSequenceNumber, '000000000000000000001');
  assert.equal(record.DDBStreamBatchInfo.endSequenceNumber, '000000000000000000003');
  assert.equal(record.DDBStreamBatchInfo.batchSize, 3);
});

test('a partial batch failure response is not a function error; without a destination only the skip is logged', async () => {
  const stream = new MemoryStream();
  stream.add('a');
  const partial = (_batch: string[], payload: string): InvokeResult => {
    const [record] = (JSON.parse(payload) as { Records: { dynamodb: { SequenceNumber: string } }[] }).Records;
    return { kind: 'response', payload: JSON.stringify({ batchItemFailures: [{ itemIdentifier: record!.dynamodb.SequenceNumber }] }) };
  };
  const reported = await drive(stream, spec({ reportBatchItemFailures: true, maximumRetryAttempts: 0, onFailureDestination: QUEUE }), partial, () => stream.checkpoints.get('m') === 1);
  assert.deepEqual(onFailureRecords(reported.logs)[0]!.responseContext, { statusCode: 200, executedVersion: '$LATEST' });

  const quiet = new MemoryStream();
  quiet.add('a');
  const { logs } = await drive(quiet, spec({ maximumRetryAttempts: 0 }), () => boom, () => quiet.checkpoints.get('m') === 1);
  assert.equal(logs.length, 1);
  assert.deepEqual(onFailureRecords(logs), []);
});
