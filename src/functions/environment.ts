import { readFile } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ChannelListener, InvocationChannel, InvocationRequest, RuntimeOutcome } from './channels/channel.js';
import type { EnvironmentProcess, ExitStatus } from './environment-process.js';
import { endLine, reportLine, startLine, timeoutLine } from './log-lines.js';
import {
  invalidRuntimeResponse,
  responseTooLarge,
  runtimeExited,
  timedOut,
  type FunctionErrorDocument,
} from './platform-errors.js';

export type EnvironmentState = 'initialising' | 'idle' | 'busy' | 'dead';

/** Where an environment's log lines go: its log stream. */
export interface LogSink {
  readonly streamName: string;
  write(text: string): void;
}

export interface InvocationResult {
  readonly requestId: string;
  /** `response`: the handler's result; `error`: a function error (Invoke answers `X-Amz-Function-Error`). */
  readonly kind: 'response' | 'error';
  readonly payload: string;
  readonly durationMs: number;
  /** Every log line of this invocation, START to REPORT, for `LogType: Tail`. */
  readonly log: string;
}

export interface EnvironmentSettings {
  readonly functionVersion: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
}

/** Why an environment never became ready: the runtime's init error document (JSON text), or its exit. */
export interface InitFailure {
  readonly payload?: string;
  readonly exit?: ExitStatus;
  readonly timedOut?: boolean;
}

const INIT_LIMIT_MS = 10_000;

type Ending =
  | { readonly kind: 'outcome'; readonly outcome: RuntimeOutcome }
  | { readonly kind: 'exit'; readonly status: ExitStatus }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'broken'; readonly detail: string };

/**
 * One execution environment: a process serving one invocation at a time over an invocation channel, keeping its
 * module state between invocations, replaced (never reused) once anything goes wrong with it.
 */
export class Environment implements ChannelListener {
  state: EnvironmentState = 'initialising';
  lastUsed = Date.now();
  /** Init Duration of the cold start, reported on the first invocation only. */
  private pendingInitDurationMs: number | undefined;
  /** The end of the running invocation's log, kept for `LogType: Tail`; bounded whatever the function prints. */
  private invocationLog: string | undefined;
  private settle: ((ending: Ending) => void) | undefined;
  private initWaiter: { resolve: () => void; reject: (failure: InitFailure) => void } | undefined;
  private readonly deathListeners: Array<() => void> = [];

  constructor(
    readonly id: string,
    private readonly process: EnvironmentProcess,
    private readonly channel: InvocationChannel,
    private readonly logs: LogSink,
    private readonly settings: EnvironmentSettings,
    private readonly ownRuntime: boolean,
  ) {
    process.onOutput = (text) => this.output(text);
    void process.exited.then((status) => this.processExited(status));
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /**
   * Waits for the runtime to load the handler; rejects with an InitFailure. Lambda limits the init phase to 10 s;
   * Portico also stops at the function's timeout when that is shorter, so one invocation never waits longer than
   * its own timeout for a runtime that does not start.
   */
  waitForInit(initStartedAt: number): Promise<void> {
    const limitMs = Math.min(INIT_LIMIT_MS, this.settings.timeoutSeconds * 1000);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.initWaiter = undefined;
        this.kill();
        reject({ timedOut: true } satisfies InitFailure);
      }, limitMs);
      this.initWaiter = {
        resolve: () => {
          clearTimeout(timer);
          this.pendingInitDurationMs = performance.now() - initStartedAt;
          this.state = 'idle';
          resolve();
        },
        reject: (failure) => {
          clearTimeout(timer);
          reject(failure);
        },
      };
    });
  }

  /** Calls `listener` once the environment dies; at once when it already has. */
  onDeath(listener: () => void): void {
    if (this.state === 'dead') listener();
    else this.deathListeners.push(listener);
  }

  invoke(request: InvocationRequest): Promise<InvocationResult> {
    this.state = 'busy';
    this.invocationLog = '';
    const { requestId } = request;
    this.log(startLine(requestId, this.settings.functionVersion));
    const started = performance.now();
    return new Promise<InvocationResult>((resolve) => {
      const timer = setTimeout(() => this.settle?.({ kind: 'timeout' }), this.settings.timeoutSeconds * 1000);
      this.settle = (ending) => {
        clearTimeout(timer);
        this.settle = undefined;
        const durationMs = performance.now() - started;
        // The common case, a response whose log lines have all arrived already, concludes without waiting.
        const result = this.concludeAtOnce(requestId, ending, durationMs);
        resolve(result ?? this.conclude(requestId, ending, durationMs).then((concluded) => this.done(concluded)));
        if (result !== undefined) this.done(result);
      };
      if (this.process.hasExited) this.settle({ kind: 'exit', status: { code: null, signal: null } });
      else this.channel.deliver(request);
    });
  }

  kill(): void {
    this.markDead();
    this.process.kill();
    this.channel.close();
  }

  initDone(): void {
    this.initWaiter?.resolve();
    this.initWaiter = undefined;
  }

  initError(payload: string): void {
    const waiter = this.initWaiter;
    this.initWaiter = undefined;
    this.kill();
    waiter?.reject({ payload });
  }

  outcome(outcome: RuntimeOutcome): void {
    this.settle?.({ kind: 'outcome', outcome });
  }

  broken(detail: string): void {
    if (this.settle) this.settle({ kind: 'broken', detail });
    else this.kill();
  }

  private done(result: InvocationResult): InvocationResult {
    this.lastUsed = Date.now();
    if (this.state === 'busy') this.state = 'idle';
    return result;
  }

  /**
   * The result of an outcome of our own runtime whose output has been read in full (its byte counts tell) and that
   * reports its memory peak: nothing left to wait for. Undefined for every other ending.
   */
  private concludeAtOnce(requestId: string, ending: Ending, durationMs: number): InvocationResult | undefined {
    if (ending.kind !== 'outcome' || !this.ownRuntime) return undefined;
    const { outcome } = ending;
    if (outcome.kind === 'too-large' || outcome.requestId !== requestId || outcome.maxRssBytes === undefined) return undefined;
    if (outcome.stdoutBytes === undefined || !this.process.hasOutput(outcome.stdoutBytes, outcome.stderrBytes ?? 0)) return undefined;
    this.process.flushPartialLines();
    const initDurationMs = this.pendingInitDurationMs;
    this.pendingInitDurationMs = undefined;
    this.log(
      endLine(requestId) +
        reportLine({ requestId, durationMs, memorySizeMb: this.settings.memorySizeMb, maxMemoryUsedBytes: outcome.maxRssBytes, initDurationMs }),
    );
    const log = this.invocationLog ?? '';
    this.invocationLog = undefined;
    return { requestId, kind: outcome.kind, payload: outcome.payload, durationMs, log };
  }

  private async conclude(requestId: string, ending: Ending, durationMs: number): Promise<InvocationResult> {
    const { kind, payload, status, maxRssBytes } = await this.interpret(requestId, ending);
    const initDurationMs = this.pendingInitDurationMs;
    this.pendingInitDurationMs = undefined;
    this.log(endLine(requestId));
    this.log(
      reportLine({
        requestId,
        durationMs,
        memorySizeMb: this.settings.memorySizeMb,
        maxMemoryUsedBytes: maxRssBytes ?? (await this.measureMaxRss()),
        initDurationMs,
        status,
      }),
    );
    const log = this.invocationLog ?? '';
    this.invocationLog = undefined;
    return { requestId, kind, payload, durationMs, log };
  }

  private async interpret(
    requestId: string,
    ending: Ending,
  ): Promise<{ kind: 'response' | 'error'; payload: string; status?: 'timeout' | 'error'; maxRssBytes?: number }> {
    switch (ending.kind) {
      case 'outcome':
        return this.interpretOutcome(requestId, ending.outcome);
      case 'timeout':
        this.kill();
        this.log(timeoutLine(requestId, this.settings.timeoutSeconds));
        return failure(timedOut(requestId, this.settings.timeoutSeconds), 'timeout');
      case 'exit':
        return this.platformFailure(runtimeExited(requestId, ending.status.code, ending.status.signal));
      case 'broken':
        this.kill();
        return this.platformFailure(invalidRuntimeResponse(requestId, ending.detail));
    }
  }

  private async interpretOutcome(requestId: string, outcome: RuntimeOutcome) {
    if (outcome.requestId !== requestId) {
      this.kill();
      return this.platformFailure(invalidRuntimeResponse(requestId, `response for unknown request ${outcome.requestId}`));
    }
    if (outcome.kind === 'too-large') {
      await this.drainOutput(undefined, undefined);
      return { ...failure(responseTooLarge()), maxRssBytes: undefined };
    }
    await this.drainOutput(outcome.stdoutBytes, outcome.stderrBytes);
    return { kind: outcome.kind, payload: outcome.payload, maxRssBytes: outcome.maxRssBytes };
  }

  private async platformFailure(error: FunctionErrorDocument) {
    await this.process.exited;
    this.process.flushPartialLines();
    this.log(`${error.errorMessage}\n${error.errorType}\n`);
    return failure(error, 'error');
  }

  /**
   * Waits until the log lines the invocation wrote have arrived. Portico's runtimes say how many bytes they wrote;
   * a third-party runtime cannot, so its output gets one more turn of the event loop.
   */
  private async drainOutput(stdoutBytes: number | undefined, stderrBytes: number | undefined): Promise<void> {
    if (this.ownRuntime && stdoutBytes !== undefined) {
      await withinGrace(this.process.waitForOutput(stdoutBytes, stderrBytes ?? 0));
    } else {
      await nextTurn();
      await nextTurn();
    }
    this.process.flushPartialLines();
  }

  private async measureMaxRss(): Promise<number> {
    const pid = this.process.pid;
    if (pid === undefined || this.process.hasExited) return 0;
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const match = /VmHWM:\s+(\d+) kB/.exec(status);
      return match ? Number(match[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  }

  private output(text: string): void {
    this.log(text);
  }

  private log(text: string): void {
    if (this.invocationLog !== undefined) this.invocationLog = keepTail(this.invocationLog + text);
    this.logs.write(text);
  }

  private processExited(status: ExitStatus): void {
    if (this.settle) this.settle({ kind: 'exit', status });
    if (this.initWaiter) {
      const waiter = this.initWaiter;
      this.initWaiter = undefined;
      waiter.reject({ exit: status });
    }
    this.markDead();
    this.channel.close();
  }

  private markDead(): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    for (const listener of this.deathListeners.splice(0)) listener();
  }
}

/**
 * How long an invocation that has its outcome waits for log bytes its runtime counted but that never arrive (a
 * handler that destroyed process.stdout, a write that failed): the answer must not wait for a log line forever.
 */
const OUTPUT_GRACE_MS = 2_000;

async function withinGrace(output: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, OUTPUT_GRACE_MS);
  });
  try {
    await Promise.race([output, grace]);
  } finally {
    clearTimeout(timer);
  }
}

/** Characters of log kept per invocation: enough for the 4 KB Tail even when every character takes 4 bytes. */
const TAIL_CHARS = 16_384;

function keepTail(text: string): string {
  return text.length > 2 * TAIL_CHARS ? text.slice(-TAIL_CHARS) : text;
}

function failure(error: FunctionErrorDocument, status?: 'timeout' | 'error') {
  return { kind: 'error' as const, payload: JSON.stringify(error), status };
}
