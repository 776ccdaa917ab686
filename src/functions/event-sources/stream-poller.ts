// One event source mapping from a stream to a function, as Lambda's poller runs it: records in order, one batch in
// flight at a time (one shard per stream), up to BatchSize records gathered for up to MaximumBatchingWindowInSeconds,
// records that match no filter dropped (they count as processed), and the batch retried on failure — all of it, or
// from the first failed record with ReportBatchItemFailures, split in halves with BisectBatchOnFunctionError — until
// MaximumRetryAttempts is spent (-1: until the records expire), when it is skipped with a log line. Records older
// than MaximumRecordAgeInSeconds are discarded, before delivery and between retries (record-age.ts). A discarded
// batch is described by Lambda's on-failure record (on-failure.ts), which goes to the function's log group when the
// mapping has an OnFailure destination: Portico has no queue or topic to send it to. ParallelizationFactor changes
// nothing here: a stream has one shard, whose batches go one at a time. The position is saved after every batch the
// function acknowledged, so a restart neither loses nor repeats one.
import type { EventSourceMappingSpec } from '../../app/model.js';
import { batchOutcome } from './batch-response.js';
import { compileFilters, type EventPredicate } from './event-filter.js';
import type { Invoker, InvokeResult } from './invoker.js';
import { onFailureRecord, type Discard } from './on-failure.js';
import { splitByAge } from './record-age.js';
import type { SourceRecord, StreamSource } from './stream-source.js';

export interface PollerOptions {
  /** Between reads of a stream with nothing new. */
  readonly pollIntervalMs: number;
  /** First retry delay after a failed batch; doubles per retry up to `retryMaxMs`. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** A line for the function's log group (skipped batches, on-failure records, poller errors). */
  log(functionName: string, text: string): void;
  /** The clock record ages are measured with (tests move it). */
  now?: () => Date;
}

export class StreamPoller {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly filter: EventPredicate;
  /** The stream's shard, as the last read named it. */
  private shardId = '';

  constructor(
    readonly spec: EventSourceMappingSpec,
    private readonly source: StreamSource,
    private readonly invoke: Invoker,
    private readonly options: PollerOptions,
  ) {
    this.filter = compileFilters(spec.filterPatterns);
  }

  start(): void {
    this.loop ??= this.run().catch((err: unknown) => {
      if (!this.stopped) this.options.log(this.spec.functionName, `Event source mapping ${this.spec.logicalId} stopped: ${err instanceof Error ? err.message : String(err)}\n`);
    });
  }

  /**
   * Stops polling; a batch in flight may finish (its position is saved if the function acknowledged it). After
   * `graceMs` the poller is left to end on its own: an unacknowledged batch is simply delivered again next time.
   */
  async stop(graceMs = Infinity): Promise<void> {
    this.stopped = true;
    this.wake?.();
    if (!Number.isFinite(graceMs)) return this.loop;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.loop, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }

  private async run(): Promise<void> {
    let position: number | undefined;
    while (!this.stopped) {
      try {
        position ??= await this.initialPosition();
        if (position === undefined) return;
        position = await this.step(position);
      } catch (err) {
        // A table deleted under the poller, a failed invocation hop …: say so, wait, and carry on from the saved position.
        if (this.stopped) return;
        this.options.log(this.spec.functionName, `Event source mapping ${this.spec.logicalId}: ${err instanceof Error ? err.message : String(err)}\n`);
        await this.sleep(this.options.retryMaxMs);
        position = undefined;
      }
    }
  }

  /** Reads, filters and delivers one batch; resolves to the position after it (unchanged when there was nothing). */
  private async step(position: number): Promise<number> {
    const page = await this.source.read(this.spec.eventSourceArn, position, this.spec.batchSize);
    if (!page || page.next === position) {
      await this.sleep(this.options.pollIntervalMs);
      return position;
    }
    this.shardId = page.shardId;
    const batch = await this.fill(position, page);
    const matched = this.withoutExpired(batch.records.filter((r) => this.filter(r.record)), 0, undefined);
    if (matched.length > 0 && !(await this.deliver(matched, 0))) return position;
    await this.source.writeCheckpoint(this.spec.id, batch.next);
    return batch.next;
  }

  /** The saved position, or where StartingPosition says (saved at once, so LATEST means the time of the first start). */
  private async initialPosition(): Promise<number | undefined> {
    const saved = await this.source.readCheckpoint(this.spec.id);
    if (saved !== undefined) return saved;
    while (!this.stopped) {
      const start = await this.source.startPosition(this.spec.eventSourceArn, this.spec.startingPosition);
      if (start !== undefined) {
        await this.source.writeCheckpoint(this.spec.id, start);
        return start;
      }
      await this.sleep(this.options.pollIntervalMs);
    }
    return undefined;
  }

  /** With a batching window, waits for more records until the batch is full or the window has passed. */
  private async fill(position: number, page: { records: SourceRecord[]; next: number }): Promise<{ records: SourceRecord[]; next: number }> {
    const windowMs = this.spec.maximumBatchingWindowSeconds * 1000;
    if (windowMs === 0 || page.records.length >= this.spec.batchSize) return page;
    await this.sleep(windowMs);
    return (await this.source.read(this.spec.eventSourceArn, position, this.spec.batchSize)) ?? page;
  }

  /** Delivers `records` until they are acknowledged or skipped; false when stopped first. */
  private async deliver(records: SourceRecord[], retriesUsed: number): Promise<boolean> {
    let batch = records;
    let retries = retriesUsed;
    let attempts = 0;
    while (!this.stopped) {
      const result = await this.invokeBatch(batch);
      if (!result) return false;
      attempts++;
      const outcome = batchOutcome(result, batch.map((r) => r.record), this.spec.reportBatchItemFailures);
      if (outcome.kind === 'success') return true;
      if (outcome.kind === 'partial') {
        if (outcome.index > 0) await this.source.writeCheckpoint(this.spec.id, batch[outcome.index - 1]!.seq);
        batch = batch.slice(outcome.index);
      } else if (this.spec.bisectBatchOnFunctionError && batch.length > 1) {
        // Bisecting does not count as a retry (Lambda's rule); each half gets the retries left.
        const half = Math.ceil(batch.length / 2);
        return (await this.deliver(batch.slice(0, half), retries)) && (await this.deliver(batch.slice(half), retries));
      }
      retries++;
      if (this.spec.maximumRetryAttempts >= 0 && retries > this.spec.maximumRetryAttempts) {
        this.options.log(this.spec.functionName, `Event source mapping ${this.spec.logicalId}: skipped ${batch.length} record(s) after ${retries} failed attempt(s)\n`);
        this.reportDiscard({ condition: 'RetryAttemptsExhausted', records: batch, shardId: this.shardId, invokeCount: attempts, lastResult: result });
        return true;
      }
      batch = this.withoutExpired(batch, attempts, result);
      if (batch.length === 0) return true;
      await this.sleep(Math.min(this.options.retryBaseMs * 2 ** (retries - 1), this.options.retryMaxMs));
    }
    return false;
  }

  /** The records not past MaximumRecordAgeInSeconds; the others are discarded (they count as processed). */
  private withoutExpired(records: SourceRecord[], invokeCount: number, lastResult: InvokeResult | undefined): SourceRecord[] {
    const { expired, live } = splitByAge(records, this.spec.maximumRecordAgeSeconds, this.now());
    if (expired.length === 0) return records;
    this.options.log(
      this.spec.functionName,
      `Event source mapping ${this.spec.logicalId}: skipped ${expired.length} record(s) older than MaximumRecordAgeInSeconds (${this.spec.maximumRecordAgeSeconds})\n`,
    );
    this.reportDiscard({ condition: 'RecordAgeExceeded', records: expired, shardId: this.shardId, invokeCount, ...(lastResult ? { lastResult } : {}) });
    return live;
  }

  /** With an OnFailure destination, the invocation record Lambda would send there, as a line of the function's log. */
  private reportDiscard(discard: Discard): void {
    const destination = this.spec.onFailureDestination;
    if (destination === undefined) return;
    const record = JSON.stringify(onFailureRecord(this.spec, discard, this.now()));
    this.options.log(this.spec.functionName, `Event source mapping ${this.spec.logicalId}: on-failure record for ${destination}: ${record}\n`);
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }

  /** One invocation with `{Records}`; waits out throttling and a function missing from the deployment. */
  private async invokeBatch(batch: readonly SourceRecord[]): Promise<InvokeResult | undefined> {
    const payload = JSON.stringify({ Records: batch.map((r) => r.record) });
    while (!this.stopped) {
      const result = await this.invoke(this.spec.functionName, payload);
      if (typeof result === 'object') return result;
      await this.sleep(result === 'throttled' ? this.options.retryBaseMs : this.options.pollIntervalMs);
    }
    return undefined;
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
