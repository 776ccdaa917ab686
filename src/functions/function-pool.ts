import type { FunctionSpec } from '../app/model.js';
import { mayImportProvidedSdk } from './code-scan.js';
import type { Environment } from './environment.js';
import type { EnvironmentFactory } from './environment-factory.js';

/** Cold starts of one function that may run at once; more waiters queue for the next environment that frees up. */
const PARALLEL_COLD_STARTS = 4;
/** Weight of the newest sample in the running averages of invocation and cold-start durations. */
const SMOOTHING = 0.2;

interface Waiter {
  readonly requestId: string;
  readonly since: number;
  resolve(environment: Environment): void;
  reject(error: unknown): void;
}

/**
 * The execution environments of one function. An invocation takes a warm environment (most recently used first,
 * so that the others age out and are reclaimed after the idle timeout). When none is free it waits for the first
 * environment to become available: a new one is started when it is expected to be ready sooner than a busy one
 * frees up (from running averages of invocation and cold-start times), or when the wait has already lasted a cold
 * start. Every environment still serves one invocation at a time and long invocations each get their own, but a
 * stream of short invocations does not start an environment per concurrent request, which on a small machine would
 * only add processes competing for the same cores.
 *
 * A retired pool (its deployment was replaced) finishes the invocations already running and lets its environments go.
 */
export class FunctionPool {
  private readonly idle: Environment[] = [];
  private readonly all = new Set<Environment>();
  private readonly waiters: Waiter[] = [];
  private starting = 0;
  private retired = false;
  /** Killed with the whole service: nothing may wait or start any more. */
  private closed = false;
  private readonly startedAt = new Map<Environment, number>();
  /** Running averages; undefined until the first sample, so a new function starts environments freely. */
  private invocationMs: number | undefined;
  private coldStartMs = 20;
  private fallback: NodeJS.Timeout | undefined;
  /** Scanned once at deploy time: only Node code that may import the provided SDK needs its resolve hooks. */
  private readonly needsProvidedSdk: Promise<boolean>;

  constructor(
    readonly fn: FunctionSpec,
    private readonly factory: EnvironmentFactory,
  ) {
    this.needsProvidedSdk = fn.family === 'node' ? mayImportProvidedSdk(fn.codeDir) : Promise.resolve(false);
  }

  get size(): number {
    return this.all.size;
  }

  /** An environment reserved for one invocation. Rejects with EnvironmentStartError when a new one fails to start. */
  acquire(requestId: string): Promise<Environment> {
    if (this.closed) return Promise.reject(new Error(`${this.fn.name}: the function service is closing`));
    const warm = this.takeIdle();
    if (warm) return Promise.resolve(warm);
    return new Promise<Environment>((resolve, reject) => {
      this.waiters.push({ requestId, since: performance.now(), resolve, reject });
      this.startEnvironments(this.newEnvironmentPays());
    });
  }

  /** A warm environment reserved for one invocation, if one is idle (never one of a closed pool). */
  takeWarm(): Environment | undefined {
    return this.closed ? undefined : this.takeIdle();
  }

  release(environment: Environment): void {
    const started = this.startedAt.get(environment);
    this.startedAt.delete(environment);
    if (started !== undefined) this.invocationMs = average(this.invocationMs, performance.now() - started);
    if (environment.state === 'idle') this.offer(environment);
  }

  /** Kills environments idle for longer than `idleTimeoutMs`. */
  reap(now: number, idleTimeoutMs: number): void {
    for (const environment of [...this.idle]) {
      if (now - environment.lastUsed >= idleTimeoutMs) environment.kill();
    }
  }

  retire(): void {
    this.retired = true;
    for (const environment of this.idle.splice(0)) environment.kill();
  }

  /** Kills every environment, and refuses the invocations still waiting for one instead of leaving them pending. */
  killAll(): void {
    this.retired = true;
    this.closed = true;
    clearTimeout(this.fallback);
    for (const environment of this.all) environment.kill();
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error(`${this.fn.name}: the function service is closing`));
  }

  pids(): number[] {
    return [...this.all].map((e) => e.pid).filter((pid): pid is number => pid !== undefined);
  }

  private takeIdle(): Environment | undefined {
    let warm = this.idle.pop();
    while (warm && warm.state !== 'idle') warm = this.idle.pop();
    if (warm) this.hand(warm);
    return warm;
  }

  private hand(environment: Environment): void {
    environment.state = 'busy';
    this.startedAt.set(environment, performance.now());
  }

  /** Whether a new environment should serve sooner than waiting for a busy one to finish its invocation. */
  private newEnvironmentPays(): boolean {
    const busy = this.all.size - this.idle.length;
    if (this.invocationMs === undefined || busy === 0) return true;
    const expectedWait = this.invocationMs * Math.ceil(this.waiters.length / busy);
    return expectedWait >= this.coldStartMs;
  }

  /**
   * Starts environments for the waiters not already covered by a start in progress, or, when waiting looks
   * cheaper, checks again after a cold start's time so that a wait never lasts much longer than a cold start.
   */
  private startEnvironments(pays = true): void {
    if (pays) {
      while (this.starting < Math.min(this.waiters.length, PARALLEL_COLD_STARTS)) this.startOne();
    } else {
      this.checkLongestWait();
    }
  }

  /** Starts an environment once the longest-waiting invocation has waited as long as a cold start takes. */
  private checkLongestWait(): void {
    if (this.fallback || this.waiters.length === 0) return;
    const waited = performance.now() - this.waiters[0]!.since;
    if (waited >= this.coldStartMs) return this.startEnvironments();
    this.fallback = setTimeout(() => {
      this.fallback = undefined;
      this.checkLongestWait();
    }, this.coldStartMs - waited);
  }

  private startOne(): void {
    this.starting++;
    const requestId = this.waiters[this.starting - 1]?.requestId ?? this.waiters[0]!.requestId;
    const began = performance.now();
    this.needsProvidedSdk.then((providedSdk) => this.factory.create(this.fn, requestId, { providedSdk })).then(
      (environment) => {
        this.starting--;
        // A start that finishes after killAll() must not leave a process behind.
        if (this.closed) return environment.kill();
        this.coldStartMs = average(this.coldStartMs, performance.now() - began) ?? this.coldStartMs;
        this.all.add(environment);
        environment.onDeath(() => this.forget(environment));
        this.offer(environment);
        if (this.waiters.length > 0) this.startEnvironments(this.newEnvironmentPays());
      },
      (error: unknown) => {
        this.starting--;
        // The invocation that triggered the cold start gets its init error (the message names its request id);
        // when another environment has served that one meanwhile, the longest-waiting invocation gets it.
        const own = this.waiters.findIndex((waiter) => waiter.requestId === requestId);
        this.waiters.splice(Math.max(own, 0), 1)[0]?.reject(error);
        if (this.waiters.length > 0) this.startEnvironments();
      },
    );
  }

  /** Hands an idle environment to the longest-waiting invocation, or keeps it warm (a retired pool lets it go). */
  private offer(environment: Environment): void {
    // One that died on its way here was already forgotten, and its death re-planned the waiters.
    if (environment.state === 'dead') return;
    const waiter = this.waiters.shift();
    if (waiter) {
      this.hand(environment);
      waiter.resolve(environment);
    } else if (this.retired) {
      environment.kill();
    } else {
      this.idle.push(environment);
    }
  }

  private forget(environment: Environment): void {
    this.all.delete(environment);
    this.startedAt.delete(environment);
    const index = this.idle.indexOf(environment);
    if (index !== -1) this.idle.splice(index, 1);
    // Invocations waiting for this environment to free up must not wait for nothing.
    if (this.waiters.length > 0) this.startEnvironments(this.newEnvironmentPays());
  }
}

function average(current: number | undefined, sample: number): number {
  return current === undefined ? sample : current + SMOOTHING * (sample - current);
}
