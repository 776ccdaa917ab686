import { randomUUID } from 'node:crypto';
import type { FunctionSpec } from '../app/model.js';
import type { LogStore } from '../observability/log-store.js';
import { ConcurrencyLimiter, type ThrottleReason } from './concurrency.js';
import type { Environment, InvocationResult } from './environment.js';
import { EnvironmentFactory, EnvironmentStartError, type FactoryOptions } from './environment-factory.js';
import { FunctionPool } from './function-pool.js';
import { logGroupName } from './lambda-environment.js';
import { endLine, reportLine, startLine } from './log-lines.js';
import { runtimeExited, timedOut } from './platform-errors.js';
import { traceHeader } from './trace.js';

export interface FunctionServiceOptions extends FactoryOptions {
  readonly accountConcurrency: number;
  /** Idle environments are reclaimed after this long. */
  readonly idleTimeoutMs: number;
}

export interface InvokeOptions {
  readonly clientContext?: string | null;
  /** `Root=…` from the caller (API Gateway), propagated as Lambda does. */
  readonly traceId?: string;
  readonly qualifier?: string;
  /** The payload is JSON text Portico built (a gateway event): known to be valid, it need not be escaped again. */
  readonly payloadIsJson?: boolean;
}

/** Thrown when an invocation is refused before it reaches an environment (the Invoke API answers 429). */
export class ThrottledError extends Error {
  constructor(readonly reason: ThrottleReason) {
    super('Rate Exceeded.');
  }
}

export interface FunctionInvocation extends InvocationResult {
  readonly functionName: string;
  readonly executedVersion: string;
}

/**
 * Functions of the current deployment and the environments that run them: routes each invocation to a warm
 * environment or starts one, within Lambda's concurrency limits.
 */
export class FunctionService {
  private pools = new Map<string, FunctionPool>();
  /** Pools of earlier deployments still finishing invocations: close() must kill those environments too. */
  private readonly retiredPools = new Set<FunctionPool>();
  private readonly factory: EnvironmentFactory;
  private readonly limiter: ConcurrencyLimiter;
  private readonly reaper: NodeJS.Timeout;
  private readonly releaseListeners: Array<(functionName: string) => void> = [];

  constructor(
    private readonly options: FunctionServiceOptions,
    private readonly logs: LogStore,
  ) {
    this.factory = new EnvironmentFactory(options);
    this.limiter = new ConcurrencyLimiter(options.accountConcurrency);
    const sweepEvery = Math.max(50, Math.min(1000, options.idleTimeoutMs / 4));
    this.reaper = setInterval(() => this.reap(), sweepEvery);
    this.reaper.unref();
  }

  /** Replaces the set of functions. Environments of the old set finish what they are doing, then go. */
  deploy(functions: readonly FunctionSpec[]): void {
    const previous = this.pools;
    this.pools = new Map(functions.map((fn) => [fn.name, new FunctionPool(fn, this.factory)]));
    this.limiter.configure(functions);
    for (const fn of functions) this.logs.prepareGroup(logGroupName(fn.name));
    for (const pool of previous.values()) this.retire(pool);
  }

  /** Looks a function up by name, partial ARN or full ARN, as the Invoke API accepts it. */
  find(nameOrArn: string): FunctionSpec | undefined {
    return this.pools.get(functionNameOf(nameOrArn))?.fn;
  }

  list(): FunctionSpec[] {
    return [...this.pools.values()].map((pool) => pool.fn);
  }

  isDisabled(functionName: string): boolean {
    return this.limiter.isDisabled(functionName);
  }

  /** Called whenever a concurrency slot frees up (the event queue listens to start waiting invocations). */
  onSlotReleased(listener: (functionName: string) => void): void {
    this.releaseListeners.push(listener);
  }

  /** Runs one invocation; throws ThrottledError when no concurrency is left. */
  invoke(fn: FunctionSpec, payload: string, options: InvokeOptions = {}, requestId: string = randomUUID()): Promise<FunctionInvocation> {
    const running = this.tryInvoke(fn, payload, options, requestId);
    return typeof running === 'string' ? Promise.reject(new ThrottledError(running)) : running;
  }

  /** Starts an invocation if a concurrency slot is free; otherwise says, synchronously, why not. */
  tryInvoke(fn: FunctionSpec, payload: string, options: InvokeOptions, requestId: string): Promise<FunctionInvocation> | ThrottleReason {
    const throttled = this.limiter.tryAcquire(fn.name);
    if (throttled) return throttled;
    return this.runWithSlot(fn, payload, options, requestId);
  }

  private async runWithSlot(fn: FunctionSpec, payload: string, options: InvokeOptions, requestId: string): Promise<FunctionInvocation> {
    try {
      const pool = this.pools.get(fn.name) ?? this.retiredPool(fn);
      // A warm environment is taken at once; only a wait for one (or a cold start) costs a turn.
      const environment = pool.takeWarm() ?? (await this.acquire(pool, requestId));
      let result: InvocationResult;
      if ('invoke' in environment) {
        result = await environment.invoke({
          requestId,
          deadlineMs: Date.now() + fn.timeout * 1000,
          invokedFunctionArn: options.qualifier ? `${fn.arn}:${options.qualifier}` : fn.arn,
          traceId: traceHeader(options.traceId),
          clientContext: options.clientContext ?? null,
          cognitoIdentity: null,
          payload,
          payloadIsJson: options.payloadIsJson === true,
        });
        pool.release(environment);
      } else {
        result = environment;
      }
      const { kind, durationMs, log } = result;
      return { requestId: result.requestId, kind, payload: result.payload, durationMs, log, functionName: fn.name, executedVersion: '$LATEST' };
    } finally {
      this.limiter.release(fn.name);
      for (const listener of this.releaseListeners) listener(fn.name);
    }
  }

  /** Process ids of every live environment of a function (tests and `portico` status use them). */
  pids(functionName: string): number[] {
    return this.pools.get(functionName)?.pids() ?? [];
  }

  close(): void {
    clearInterval(this.reaper);
    for (const pool of [...this.pools.values(), ...this.retiredPools]) pool.killAll();
    this.retiredPools.clear();
    this.options.stemCells.node.close();
    this.options.stemCells.python.close();
  }

  /** An environment for the invocation, or the result of one that failed to start. */
  private async acquire(pool: FunctionPool, requestId: string): Promise<Environment | InvocationResult> {
    try {
      return await pool.acquire(requestId);
    } catch (error) {
      if (error instanceof EnvironmentStartError) return this.initFailed(pool.fn, requestId, error);
      throw error;
    }
  }

  /** An environment that never became ready: its init error is the invocation's function error. */
  private initFailed(fn: FunctionSpec, requestId: string, error: EnvironmentStartError): InvocationResult {
    const { payload, exit, timedOut: initTimedOut } = error.failure;
    const document =
      payload ??
      JSON.stringify(initTimedOut ? timedOut(requestId, fn.timeout) : runtimeExited(requestId, exit?.code ?? null, exit?.signal ?? null));
    const log =
      startLine(requestId, '$LATEST') +
      endLine(requestId) +
      reportLine({ requestId, durationMs: 0, memorySizeMb: fn.memorySize, maxMemoryUsedBytes: 0, status: 'error' });
    this.logs.write(logGroupName(fn.name), 'init', log);
    return { requestId, kind: 'error', payload: document, durationMs: 0, log };
  }

  /** For an invocation that raced a redeploy removing its function: served once, then let go. */
  private retiredPool(fn: FunctionSpec): FunctionPool {
    const pool = new FunctionPool(fn, this.factory);
    this.retire(pool);
    return pool;
  }

  /** Retires a pool and keeps it until its last environment is gone (checked at each retirement). */
  private retire(pool: FunctionPool): void {
    pool.retire();
    this.retiredPools.add(pool);
    for (const retired of this.retiredPools) {
      if (retired.size === 0 && retired !== pool) this.retiredPools.delete(retired);
    }
  }

  private reap(): void {
    const now = Date.now();
    for (const pool of this.pools.values()) pool.reap(now, this.options.idleTimeoutMs);
  }
}

/** `my-fn`, `123456789012:function:my-fn`, `arn:aws:lambda:…:function:my-fn[:qualifier]` → `my-fn`. */
function functionNameOf(nameOrArn: string): string {
  const marker = nameOrArn.indexOf('function:');
  if (marker === -1) return nameOrArn.split(':')[0] ?? nameOrArn;
  return nameOrArn.slice(marker + 'function:'.length).split(':')[0] ?? '';
}
