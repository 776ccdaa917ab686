/**
 * Requests counted per usage plan, API key and UTC day, and the quota checks made from them.
 *
 * Durability trade-off: the request path only touches memory (a map lookup and two increments); changed counts
 * are written to the store in one transaction every `flushIntervalMs` (default 1 s) and on close. A graceful stop or
 * restart therefore keeps every count, so a restart never hands out a fresh quota; a crash (`kill -9`, power loss)
 * can forget at most the last interval's requests — in the caller's favour by at most a second of traffic. Writing
 * each request synchronously would put a disk write on every request; AWS itself documents quotas as best effort.
 * Behind the same interface a several-node installation counts in Redis (INCR per request, no local batching).
 */
import type { QuotaSpec } from '../../app/model.js';
import { dayEnd, quotaPeriod, utcDay } from './quota-period.js';
import type { DailyUsage, UsageAdjustment, UsagePlanStore } from './records.js';

export interface UsageCounters {
  /**
   * Counts one request; false (and nothing counted) when the quota, if any, is used up. A shared store (Redis)
   * answers asynchronously, so the answer may be a promise; the in-memory one answers at once.
   */
  consume(planId: string, keyId: string, quota: QuotaSpec | undefined, now: number): boolean | Promise<boolean>;
  /** Requests counted on one UTC day (`YYYY-MM-DD`). */
  daily(planId: string, keyId: string, day: string): number;
  /** Requests counted in the quota period holding `now`, `UpdateUsage` grants included. */
  usedInPeriod(planId: string, keyId: string, quota: QuotaSpec, now: number): number;
  /** `UpdateUsage`: sets what remains of the quota in the period holding `now`. */
  setRemaining(planId: string, keyId: string, quota: QuotaSpec, remaining: number, now: number): void;
  /** Writes what changed since the last flush. */
  flush(): void;
  close(): void;
}

/** One plan, key and day's count; mutable, shared by the day map, the hot-path cache and the dirty set. */
interface Cell {
  readonly planId: string;
  readonly keyId: string;
  readonly day: string;
  used: number;
}

/** What the hot path caches per plan and key: valid until the day (or the quota) changes. */
interface Current {
  readonly quota: QuotaSpec | undefined;
  readonly periodEnd: number;
  readonly dayEnd: number;
  /** Used in the quota period before today, grants included. */
  readonly before: number;
  readonly today: Cell;
}

export class LocalUsageCounters implements UsageCounters {
  /** `plan\0key` → day → count. */
  private readonly days = new Map<string, Map<string, Cell>>();
  /** `plan\0key\0periodStart` → UpdateUsage delta. */
  private readonly adjustments = new Map<string, number>();
  /** plan id → key id → the hot path's cache, nested so that a request builds no string. */
  private readonly current = new Map<string, Map<string, Current>>();
  /** Counts changed since the last flush. */
  private readonly dirty = new Set<Cell>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly store: UsagePlanStore, rows: readonly DailyUsage[], adjustments: readonly UsageAdjustment[], flushIntervalMs = 1000) {
    for (const row of rows) this.cells(row.planId, row.keyId).set(row.day, { ...row });
    for (const a of adjustments) this.adjustments.set(`${pair(a.planId, a.keyId)}\0${a.periodStart}`, a.delta);
    this.timer = setInterval(() => this.flush(), flushIntervalMs);
    this.timer.unref();
  }

  consume(planId: string, keyId: string, quota: QuotaSpec | undefined, now: number): boolean {
    let c = this.current.get(planId)?.get(keyId);
    if (c === undefined || c.quota !== quota || now >= c.dayEnd || now >= c.periodEnd) c = this.refresh(planId, keyId, quota, now);
    if (quota !== undefined && c.before + c.today.used >= quota.limit) return false;
    c.today.used++;
    this.dirty.add(c.today);
    return true;
  }

  daily(planId: string, keyId: string, day: string): number {
    return this.days.get(pair(planId, keyId))?.get(day)?.used ?? 0;
  }

  usedInPeriod(planId: string, keyId: string, quota: QuotaSpec, now: number): number {
    const period = quotaPeriod(quota, now);
    let used = this.adjustments.get(`${pair(planId, keyId)}\0${period.start}`) ?? 0;
    for (const [day, cell] of this.cells(planId, keyId)) {
      const t = Date.parse(`${day}T00:00:00Z`);
      if (t >= period.start && t < period.end) used += cell.used;
    }
    return used;
  }

  setRemaining(planId: string, keyId: string, quota: QuotaSpec, remaining: number, now: number): void {
    const period = quotaPeriod(quota, now);
    const key = `${pair(planId, keyId)}\0${period.start}`;
    const delta = (this.adjustments.get(key) ?? 0) + (quota.limit - remaining) - this.usedInPeriod(planId, keyId, quota, now);
    this.adjustments.set(key, delta);
    this.store.putAdjustment({ planId, keyId, periodStart: period.start, delta });
    this.current.get(planId)?.delete(keyId);
  }

  flush(): void {
    if (this.dirty.size === 0) return;
    const rows: DailyUsage[] = [...this.dirty].map((c) => ({ planId: c.planId, keyId: c.keyId, day: c.day, used: c.used }));
    this.dirty.clear();
    try {
      this.store.saveUsage(rows);
    } catch (error) {
      process.emitWarning(`usage plans: could not save usage counts: ${(error as Error).message}`);
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }

  private refresh(planId: string, keyId: string, quota: QuotaSpec | undefined, now: number): Current {
    const day = utcDay(now);
    const cells = this.cells(planId, keyId);
    let today = cells.get(day);
    if (today === undefined) cells.set(day, (today = { planId, keyId, day, used: 0 }));
    const before = quota === undefined ? 0 : this.usedInPeriod(planId, keyId, quota, now) - today.used;
    const c: Current = { quota, periodEnd: quota === undefined ? Infinity : quotaPeriod(quota, now).end, dayEnd: dayEnd(now), before, today };
    let byKey = this.current.get(planId);
    if (byKey === undefined) this.current.set(planId, (byKey = new Map()));
    byKey.set(keyId, c);
    return c;
  }

  private cells(planId: string, keyId: string): Map<string, Cell> {
    const id = pair(planId, keyId);
    let cells = this.days.get(id);
    if (cells === undefined) this.days.set(id, (cells = new Map()));
    return cells;
  }
}

function pair(planId: string, keyId: string): string {
  return `${planId}\0${keyId}`;
}
