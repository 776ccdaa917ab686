import { randomUUID } from 'node:crypto';
import type { FunctionSpec } from '../app/model.js';
import type { EventJournal } from './event-journal.js';
import type { FunctionService, InvokeOptions } from './function-service.js';

interface QueuedEvent {
  readonly fn: FunctionSpec;
  readonly payload: string;
  readonly options: InvokeOptions;
  readonly requestId: string;
  attempt: number;
}

export interface EventQueueOptions {
  /** Delays before the retries of a failed event invocation; Lambda retries twice, after about 1 and 2 minutes. */
  readonly retryDelaysMs: readonly number[];
  /** Told about every event invocation that failed for good (the failure path; destinations come later). */
  readonly onFailure?: (fn: FunctionSpec, requestId: string, reason: string) => void;
  /** Keeps accepted invocations on disk until they have run; without it the queue lives in memory only. */
  readonly journal?: EventJournal;
}

/**
 * Lambda's internal queue for `InvocationType: Event`: accepted invocations wait here until concurrency allows
 * them to run, and failed ones are retried with the same request id. With a journal, an invocation is on disk
 * before it is acknowledged and leaves it only once it has run or failed for good.
 */
export class EventQueue {
  private readonly waiting: QueuedEvent[] = [];
  private draining = false;
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly functions: FunctionService,
    private readonly options: EventQueueOptions,
  ) {
    functions.onSlotReleased(() => this.drain());
  }

  get depth(): number {
    return this.waiting.length;
  }

  /**
   * Accepts an event invocation under `requestId` (the id the Invoke API answers 202 with); resolves once it is
   * durable, which is when the caller may acknowledge it.
   */
  async enqueue(fn: FunctionSpec, payload: string, options: InvokeOptions, requestId: string = randomUUID()): Promise<string> {
    if (this.functions.isDisabled(fn.name)) {
      this.options.onFailure?.(fn, requestId, 'ReservedFunctionConcurrentInvocationLimitExceeded');
      return requestId;
    }
    await this.options.journal?.accepted({ requestId, functionName: fn.name, payload, options });
    this.waiting.push({ fn, payload, options, requestId, attempt: 0 });
    setImmediate(() => this.drain());
    return requestId;
  }

  /** Queues again what a previous run accepted but did not finish (already on disk: no new journal record). */
  restore(fn: FunctionSpec, payload: string, options: InvokeOptions, requestId: string): void {
    this.waiting.push({ fn, payload, options, requestId, attempt: 0 });
    setImmediate(() => this.drain());
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.waiting.length = 0;
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let i = 0; i < this.waiting.length; ) {
        const event = this.waiting[i]!;
        if (this.start(event)) this.waiting.splice(i, 1);
        else i++;
      }
    } finally {
      this.draining = false;
    }
  }

  /** Starts the event if a concurrency slot is free; false leaves it waiting. */
  private start(event: QueuedEvent): boolean {
    const running = this.functions.tryInvoke(event.fn, event.payload, event.options, event.requestId);
    if (typeof running === 'string') return false;
    running.then(
      (result) => {
        if (result.kind === 'error') this.retryOrFail(event, 'function error');
        else this.options.journal?.done(event.requestId);
      },
      (error: unknown) => this.retryOrFail(event, String(error)),
    );
    return true;
  }

  private retryOrFail(event: QueuedEvent, reason: string): void {
    // Failing while Portico shuts down is not failing for good: the journal keeps the event for the next start.
    if (this.closed) return;
    const delay = this.options.retryDelaysMs[event.attempt];
    if (delay === undefined) {
      this.options.onFailure?.(event.fn, event.requestId, reason);
      this.options.journal?.done(event.requestId);
      return;
    }
    event.attempt++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.waiting.push(event);
      this.drain();
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}
