import type { FunctionSpec } from '../app/model.js';

export type ThrottleReason = 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded';

/**
 * Lambda's concurrency accounting: an account-wide limit, of which each function's `ReservedConcurrentExecutions`
 * is set aside for that function alone; the other functions share what is left (the unreserved pool).
 */
export class ConcurrencyLimiter {
  private readonly inFlight = new Map<string, number>();
  /**
   * Per function, how many of its invocations in flight were charged to the unreserved pool. A redeploy can add or
   * remove a function's reservation while it runs; each slot goes back to the pool it was taken from.
   */
  private readonly unreservedByFunction = new Map<string, number>();
  private unreservedInFlight = 0;
  private reserved = new Map<string, number>();
  private unreservedCapacity: number;

  constructor(private readonly accountLimit: number) {
    this.unreservedCapacity = accountLimit;
  }

  /** Applies the reservations of a new deployment; invocations in flight keep counting. */
  configure(functions: readonly FunctionSpec[]): void {
    this.reserved = new Map(
      functions.filter((f) => f.reservedConcurrency !== undefined).map((f) => [f.name, f.reservedConcurrency as number]),
    );
    const totalReserved = [...this.reserved.values()].reduce((sum, n) => sum + n, 0);
    this.unreservedCapacity = Math.max(0, this.accountLimit - totalReserved);
  }

  /** Takes a slot for `functionName`, or says why it cannot. */
  tryAcquire(functionName: string): ThrottleReason | undefined {
    const reservation = this.reserved.get(functionName);
    const current = this.inFlight.get(functionName) ?? 0;
    if (reservation !== undefined) {
      if (current >= reservation) return 'ReservedFunctionConcurrentInvocationLimitExceeded';
    } else {
      if (this.unreservedInFlight >= this.unreservedCapacity) return 'ConcurrentInvocationLimitExceeded';
      this.unreservedInFlight++;
      this.unreservedByFunction.set(functionName, (this.unreservedByFunction.get(functionName) ?? 0) + 1);
    }
    this.inFlight.set(functionName, current + 1);
    return undefined;
  }

  release(functionName: string): void {
    const current = this.inFlight.get(functionName) ?? 0;
    if (current <= 1) this.inFlight.delete(functionName);
    else this.inFlight.set(functionName, current - 1);
    const unreserved = this.unreservedByFunction.get(functionName) ?? 0;
    if (unreserved === 0) return;
    if (unreserved === 1) this.unreservedByFunction.delete(functionName);
    else this.unreservedByFunction.set(functionName, unreserved - 1);
    this.unreservedInFlight--;
  }

  /** Reserved concurrency 0 means the function is switched off: event invocations go straight to the failure path. */
  isDisabled(functionName: string): boolean {
    return this.reserved.get(functionName) === 0;
  }
}
