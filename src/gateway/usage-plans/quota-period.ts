/**
 * Quota periods, in UTC as API Gateway counts them (api-gateway-api-usage-plans.md): `DAY` from midnight, `WEEK`
 * from the day `offset` names (0 Sunday … 6 Saturday), `MONTH` from day `offset + 1` of the month (0–27). The
 * QuotaSettings reference reads `offset` as "the day that a time period starts" (API reference until 2023; the
 * current page words it as requests subtracted in the first period, which no SDK or console behaviour shows).
 */
import type { QuotaSpec } from '../../app/model.js';

const DAY_MS = 86_400_000;

export interface Period {
  /** Epoch ms, inclusive. */
  readonly start: number;
  /** Epoch ms, exclusive. */
  readonly end: number;
}

export function quotaPeriod(quota: QuotaSpec, now: number): Period {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  if (quota.period === 'DAY') return { start: today, end: today + DAY_MS };
  if (quota.period === 'WEEK') {
    const weekday = new Date(today).getUTCDay();
    const start = today - ((weekday - quota.offset + 7) % 7) * DAY_MS;
    return { start, end: start + 7 * DAY_MS };
  }
  const date = new Date(today);
  let year = date.getUTCFullYear();
  let month = date.getUTCMonth();
  if (date.getUTCDate() < quota.offset + 1) month -= 1;
  if (month < 0) {
    month = 11;
    year -= 1;
  }
  return { start: Date.UTC(year, month, quota.offset + 1), end: Date.UTC(year, month + 1, quota.offset + 1) };
}

/** `YYYY-MM-DD` of the UTC day holding `time`. */
export function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** The epoch ms at which the UTC day holding `time` ends. */
export function dayEnd(time: number): number {
  return (Math.floor(time / DAY_MS) + 1) * DAY_MS;
}

/** Every UTC day from `from` to `to` (both `YYYY-MM-DD`, inclusive). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += DAY_MS) days.push(utcDay(t));
  return days;
}
