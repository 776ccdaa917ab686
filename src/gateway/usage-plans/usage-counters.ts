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
  /** Counts one request; false (and nothing counted) when the quota, if any, is used up. */
  consume(planId: string, keyId: string, quota: QuotaSpec | undefined, now: number): boolean;
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

/** A mutable count, shared by the day map and the hot-path cache. */
interface Cell {
  used: number;
}

/** What the hot path caches per plan and key: valid until the day (or the quota) changes. */
interface Current {
  quota: QuotaSpec | undefined;
  periodEnd: number;
  dayEnd: number;
  /** Used in the quota period before today's count, grants included. */
  before: number;
  today: Cell;
  day: string;
}

export class LocalUsageCounters implements UsageCounters {
  private readonly days = new Map<string, Map<string, Cell>>();
  private readonly adjustments = new Map<string, number>();
  private readonly current = new Map<string, Current>();
  private readonly dirty = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly store: UsagePlanStore, rows: readonly DailyUsage[], adjustments: readonly UsageAdjustment[], flushIntervalMs = 1000) {
    for (const row of rows) this.cells(pair(row.planId, row.keyId)).set(row.day, { used: row.used });
    for (const a of adjustments) this.adjustments.set(`${pair(a.planId, a.keyId)}\0${a.periodStart}`, a.delta);
    this.timer = setInterval(() => this.flush(), flushIntervalMs);
    this.timer.unref();
  }

  consume(planId: string, keyId: string, quota: QuotaSpec | undefined, now: number): boolean {
    const id = pair(planId, keyId);
    let c = this.current.get(id);
    if (c === undefined || c.quota !== quota || now >= c.dayEnd || now >= c.periodEnd) c = this.refresh(id, quota, now);
    if (quota !== undefined && c.before + c.today.used >= quota.limit) return false;
    c.today.used++;
    this.dirty.add(`${id}\0${c.day}`);
    return true;
  }

  daily(planId: string, keyId: string, day: string): number {
    return this.days.get(pair(planId, keyId))?.get(day)?.used ?? 0;
  }

  usedInPeriod(planId: string, keyId: string, quota: QuotaSpec, now: number): number {
    const id = pair(planId, keyId);
    const period = quotaPeriod(quota, now);
    let used = this.adjustments.get(`${id}\0${period.start}`) ?? 0;
    for (const [day, cell] of this.cells(id)) {
      const t = Date.parse(`${day}T00:00:00Z`);
      if (t >= period.start && t < period.end) used += cell.used;
    }
    return used;
  }

  setRemaining(planId: string, keyId: string, quota: QuotaSpec, remaining: number, now: number): void {
    const id = pair(planId, keyId);
    const period = quotaPeriod(quota, now);
    const key = `${id}\0${period.start}`;
    const delta = (this.adjustments.get(key) ?? 0) + (quota.limit - remaining) - this.usedInPeriod(planId, keyId, quota, now);
    this.adjustments.set(key, delta);
    this.store.putAdjustment({ planId, keyId, periodStart: period.start, delta });
    this.current.delete(id);
  }

  flush(): void {
    if (this.dirty.size === 0) return;
    const rows: DailyUsage[] = [];
    for (const entry of this.dirty) {
      const [planId, keyId, day] = entry.split('\0') as [string, string, string];
      rows.push({ planId, keyId, day, used: this.daily(planId, keyId, day) });
    }
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

  private refresh(id: string, quota: QuotaSpec | undefined, now: number): Current {
    const day = utcDay(now);
    const cells = this.cells(id);
    let today = cells.get(day);
    if (today === undefined) {
      today = { used: 0 };
      cells.set(day, today);
    }
    const [planId, keyId] = id.split('\0') as [string, string];
    const before = quota === undefined ? 0 : this.usedInPeriod(planId, keyId, quota, now) - today.used;
    const c: Current = { quota, periodEnd: quota === undefined ? Infinity : quotaPeriod(quota, now).end, dayEnd: dayEnd(now), before, today, day };
    this.current.set(id, c);
    return c;
  }

  private cells(id: string): Map<string, Cell> {
    let cells = this.days.get(id);
    if (cells === undefined) {
      cells = new Map();
      this.days.set(id, cells);
    }
    return cells;
  }
}

function pair(planId: string, keyId: string): string {
  return `${planId}\0${keyId}`;
}
