// An in-memory stream and a scripted function for stream poller tests: `drive` runs a poller until a condition holds
// and returns the batches the function saw (by ids) and the log lines.
import assert from 'node:assert/strict';
import type { EventSourceMappingSpec } from '../../../src/app/model.js';
import type { InvokeResult } from '../../../src/functions/event-sources/invoker.js';
import { StreamPoller } from '../../../src/functions/event-sources/stream-poller.js';
import type { SourceRecord, StreamSource } from '../../../src/functions/event-sources/stream-source.js';

export const SHARD = 'shardId-00000001700000000000-0badc0de';
export const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026-01-01T00:00:00.000';

export class MemoryStream implements StreamSource {
  readonly records: SourceRecord[] = [];
  readonly checkpoints = new Map<string, number>();
  /** A record written `createdAt` (whole seconds since the epoch; default now). */
  add(id: string, extra: Record<string, unknown> = {}, createdAt = Math.floor(Date.now() / 1000)): void {
    const seq = this.records.length + 1;
    const dynamodb = { ApproximateCreationDateTime: createdAt, Keys: { id: { S: id } }, SequenceNumber: String(seq).padStart(21, '0'), ...extra };
    this.records.push({ seq, record: { eventName: 'INSERT', dynamodb } });
  }
  async startPosition(_arn: string, position: 'TRIM_HORIZON' | 'LATEST'): Promise<number> {
    return position === 'LATEST' ? this.records.length : 0;
  }
  async read(_arn: string, after: number, limit: number): Promise<{ records: SourceRecord[]; next: number; shardId: string }> {
    const records = this.records.filter((r) => r.seq > after).slice(0, limit);
    return { records, next: records.length > 0 ? records[records.length - 1]!.seq : after, shardId: SHARD };
  }
  async readCheckpoint(id: string): Promise<number | undefined> {
    return this.checkpoints.get(id);
  }
  async writeCheckpoint(id: string, position: number): Promise<void> {
    this.checkpoints.set(id, position);
  }
}

export function spec(overrides: Partial<EventSourceMappingSpec> = {}): EventSourceMappingSpec {
  return {
    id: 'm',
    logicalId: 'FnEvent',
    functionName: 'fn',
    eventSourceArn: ARN,
    startingPosition: 'TRIM_HORIZON',
    batchSize: 100,
    maximumBatchingWindowSeconds: 0,
    filterPatterns: [],
    maximumRetryAttempts: -1,
    maximumRecordAgeSeconds: -1,
    parallelizationFactor: 1,
    bisectBatchOnFunctionError: false,
    reportBatchItemFailures: false,
    enabled: true,
    ...overrides,
  };
}

export const ids = (payload: string): string[] =>
  (JSON.parse(payload) as { Records: { dynamodb: { Keys: { id: { S: string } } } }[] }).Records.map((r) => r.dynamodb.Keys.id.S);

/** Runs a poller until `done` holds; resolves to the batches the function saw (by ids) and the log lines. */
export async function drive(
  stream: MemoryStream,
  mapping: EventSourceMappingSpec,
  fn: (batch: string[], payload: string) => InvokeResult,
  done: (calls: string[][]) => boolean,
  now?: () => Date,
) {
  const calls: string[][] = [];
  const logs: string[] = [];
  let inFlight = 0;
  const poller = new StreamPoller(
    mapping,
    stream,
    async (_name, payload) => {
      assert.equal(++inFlight, 1, 'one batch in flight');
      await new Promise((resolve) => setImmediate(resolve));
      calls.push(ids(payload));
      inFlight--;
      return fn(ids(payload), payload);
    },
    { pollIntervalMs: 5, retryBaseMs: 1, retryMaxMs: 5, log: (_fn, text) => logs.push(text), ...(now ? { now } : {}) },
  );
  poller.start();
  const started = Date.now();
  while (!done(calls)) {
    if (Date.now() - started > 5_000) assert.fail(`timed out; calls: ${JSON.stringify(calls)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await poller.stop();
  return { calls, logs };
}
