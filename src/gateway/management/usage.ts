/**
 * GetUsage and UpdateUsage. `Usage.values` maps each key id to one `[used, remaining]` pair per UTC day from
 * `startDate` to `endDate`. `remaining` is what the quota had left at the end of that day; for days of the current
 * period, what it has left now (so an `UpdateUsage` grant shows at once). A plan without a quota reports 0 remaining.
 */
import type { QuotaSpec } from '../../app/model.js';
import type { AwsRequestContext } from '../../aws/context.js';
import { daysBetween, quotaPeriod, utcDay } from '../usage-plans/quota-period.js';
import type { UsagePlanRegistry } from '../usage-plans/registry.js';
import { badRequest } from './errors.js';
import { jsonBody, patchOperations } from './input.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A year of days at most, so a wide range cannot make the endpoint build a huge answer. */
const MAX_DAYS = 366;

export function getUsage(ctx: AwsRequestContext, registry: UsagePlanRegistry, planId: string): void {
  const plan = registry.getPlan(planId);
  const startDate = ctx.query.get('startDate') ?? '';
  const endDate = ctx.query.get('endDate') ?? '';
  if (!DATE.test(startDate) || Number.isNaN(Date.parse(startDate))) throw badRequest('Invalid start date specified');
  if (!DATE.test(endDate) || Number.isNaN(Date.parse(endDate))) throw badRequest('Invalid end date specified');
  if (endDate < startDate) throw badRequest('The end date must be after the start date');
  const days = daysBetween(startDate, endDate);
  if (days.length > MAX_DAYS) throw badRequest(`The usage period cannot exceed ${MAX_DAYS} days`);
  const keyId = ctx.query.get('keyId');
  const keyIds = registry.planKeyIds(planId).filter((id) => keyId === null || id === keyId);
  const values = Object.fromEntries(keyIds.map((id) => [id, dailyUsage(registry, planId, id, plan.quota, days)]));
  ctx.sendJson(200, { usagePlanId: planId, startDate, endDate, values });
}

/** `replace /remaining` with the number of requests the key may still make in the current period. */
export function updateUsage(ctx: AwsRequestContext, registry: UsagePlanRegistry, planId: string, keyId: string): void {
  const plan = registry.getPlan(planId);
  if (!registry.planKeyIds(planId).includes(keyId)) throw badRequest(`API Key ${keyId} is not associated with usage plan ${planId}`);
  if (plan.quota === undefined) throw badRequest(`Usage plan ${planId} has no quota`);
  const now = Date.now();
  for (const { op, path, value } of patchOperations(jsonBody(ctx))) {
    const remaining = Number(value);
    if (op !== 'replace' || path !== '/remaining') throw badRequest(`Invalid patch path '${path}' specified for op '${op}'. Must be: replace /remaining`);
    if (!Number.isInteger(remaining) || remaining < 0) throw badRequest(`Invalid remaining value: ${String(value)}`);
    registry.counters.setRemaining(planId, keyId, plan.quota, remaining, now);
  }
  const today = utcDay(now);
  ctx.sendJson(200, { usagePlanId: planId, startDate: today, endDate: today, values: { [keyId]: dailyUsage(registry, planId, keyId, plan.quota, [today]) } });
}

function dailyUsage(registry: UsagePlanRegistry, planId: string, keyId: string, quota: QuotaSpec | undefined, days: readonly string[]): [number, number][] {
  const now = Date.now();
  const current = quota === undefined ? undefined : quotaPeriod(quota, now);
  const usedNow = quota === undefined ? 0 : registry.counters.usedInPeriod(planId, keyId, quota, now);
  return days.map((day) => {
    const used = registry.counters.daily(planId, keyId, day);
    if (quota === undefined || current === undefined) return [used, 0];
    const time = Date.parse(`${day}T00:00:00Z`);
    if (time >= current.start) return [used, Math.max(0, quota.limit - usedNow)];
    const period = quotaPeriod(quota, time);
    let cumulative = 0;
    for (const d of daysBetween(utcDay(period.start), day)) cumulative += registry.counters.daily(planId, keyId, d);
    return [used, Math.max(0, quota.limit - cumulative)];
  });
}
