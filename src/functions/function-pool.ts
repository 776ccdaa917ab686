import type { FunctionSpec } from '../app/model.js';
import type { Environment } from './environment.js';
import type { EnvironmentFactory } from './environment-factory.js';

/**
 * The execution environments of one function: warm ones waiting (most recently used first, so that the others
 * age out), reclaimed after `idleTimeoutMs`. A retired pool (its deployment was replaced) keeps serving the
 * invocations already running and then lets its environments go.
 */
export class FunctionPool {
  private readonly idle: Environment[] = [];
  private readonly all = new Set<Environment>();
  private retired = false;

  constructor(
    readonly fn: FunctionSpec,
    private readonly factory: EnvironmentFactory,
  ) {}

  get size(): number {
    return this.all.size;
  }

  /** A warm environment, or a new one (cold start). Rejects with EnvironmentStartError when init fails. */
  async acquire(requestId: string): Promise<{ environment: Environment; cold: boolean }> {
    let warm = this.idle.pop();
    while (warm && warm.state !== 'idle') warm = this.idle.pop();
    if (warm) {
      warm.state = 'busy';
      return { environment: warm, cold: false };
    }
    const environment = await this.factory.create(this.fn, requestId);
    this.all.add(environment);
    environment.onDeath(() => this.forget(environment));
    return { environment, cold: true };
  }

  release(environment: Environment): void {
    if (environment.state !== 'idle') return;
    if (this.retired) environment.kill();
    else this.idle.push(environment);
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

  killAll(): void {
    this.retired = true;
    for (const environment of this.all) environment.kill();
  }

  pids(): number[] {
    return [...this.all].map((e) => e.pid).filter((pid): pid is number => pid !== undefined);
  }

  private forget(environment: Environment): void {
    this.all.delete(environment);
    const index = this.idle.indexOf(environment);
    if (index !== -1) this.idle.splice(index, 1);
  }
}
