/**
 * The usage-plan store on SQLite (`<data-dir>/gateway/usage-plans.sqlite`, apart from the data service's file).
 * better-sqlite3 is synchronous: it is called at start, by the management API and template deploys, and by the
 * usage counters' periodic flush — never once per gateway request.
 */
import Database from 'better-sqlite3';
import type { ApiKeyRecord, DailyUsage, PlanKeyRecord, UsageAdjustment, UsagePlanRecord, UsagePlanSnapshot, UsagePlanStore } from './records.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS api_keys (id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, enabled INTEGER NOT NULL,
  customer_id TEXT, stage_keys TEXT NOT NULL, hash BLOB NOT NULL UNIQUE, sealed BLOB NOT NULL, created INTEGER NOT NULL,
  updated INTEGER NOT NULL, source TEXT NOT NULL, logical_id TEXT);
CREATE TABLE IF NOT EXISTS usage_plans (id TEXT PRIMARY KEY, body TEXT NOT NULL, source TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS usage_plan_keys (plan_id TEXT NOT NULL, key_id TEXT NOT NULL, PRIMARY KEY (plan_id, key_id));
CREATE TABLE IF NOT EXISTS daily_usage (plan_id TEXT NOT NULL, key_id TEXT NOT NULL, day TEXT NOT NULL, used INTEGER NOT NULL,
  PRIMARY KEY (plan_id, key_id, day));
CREATE TABLE IF NOT EXISTS usage_adjustments (plan_id TEXT NOT NULL, key_id TEXT NOT NULL, period_start INTEGER NOT NULL,
  delta INTEGER NOT NULL, PRIMARY KEY (plan_id, key_id, period_start));
`;

interface KeyRow {
  id: string;
  name: string;
  description: string;
  enabled: number;
  customer_id: string | null;
  stage_keys: string;
  hash: Buffer;
  sealed: Buffer;
  created: number;
  updated: number;
  source: 'template' | 'api';
  logical_id: string | null;
}

export class SqliteUsagePlanStore implements UsagePlanStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives a crash of Portico (not of the machine) without an fsync per flush.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
  }

  load(): UsagePlanSnapshot {
    const keys = (this.db.prepare('SELECT * FROM api_keys').all() as KeyRow[]).map(keyOf);
    const plans = (this.db.prepare('SELECT body, source FROM usage_plans').all() as { body: string; source: 'template' | 'api' }[]).map(
      (row) => ({ ...(JSON.parse(row.body) as Omit<UsagePlanRecord, 'source'>), source: row.source }),
    );
    const planKeys = this.db.prepare('SELECT plan_id AS planId, key_id AS keyId FROM usage_plan_keys').all() as PlanKeyRecord[];
    const usage = this.db.prepare('SELECT plan_id AS planId, key_id AS keyId, day, used FROM daily_usage').all() as DailyUsage[];
    const adjustments = this.db
      .prepare('SELECT plan_id AS planId, key_id AS keyId, period_start AS periodStart, delta FROM usage_adjustments')
      .all() as UsageAdjustment[];
    return { keys, plans, planKeys, usage, adjustments };
  }

  putKey(key: ApiKeyRecord): void {
    this.db
      .prepare('INSERT OR REPLACE INTO api_keys VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(key.id, key.name, key.description, key.enabled ? 1 : 0, key.customerId ?? null, JSON.stringify(key.stageKeys), key.hash, key.sealed,
        key.createdDate, key.lastUpdatedDate, key.source, key.logicalId ?? null);
  }

  deleteKey(id: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM api_keys WHERE id = ?').run(id);
      this.db.prepare('DELETE FROM usage_plan_keys WHERE key_id = ?').run(id);
    })();
  }

  putPlan(plan: UsagePlanRecord): void {
    const { source, ...body } = plan;
    this.db.prepare('INSERT OR REPLACE INTO usage_plans VALUES (?, ?, ?)').run(plan.id, JSON.stringify(body), source);
  }

  deletePlan(id: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM usage_plans WHERE id = ?').run(id);
      this.db.prepare('DELETE FROM usage_plan_keys WHERE plan_id = ?').run(id);
    })();
  }

  putPlanKey(link: PlanKeyRecord): void {
    this.db.prepare('INSERT OR IGNORE INTO usage_plan_keys VALUES (?, ?)').run(link.planId, link.keyId);
  }

  deletePlanKey(link: PlanKeyRecord): void {
    this.db.prepare('DELETE FROM usage_plan_keys WHERE plan_id = ? AND key_id = ?').run(link.planId, link.keyId);
  }

  saveUsage(rows: readonly DailyUsage[]): void {
    const put = this.db.prepare('INSERT OR REPLACE INTO daily_usage VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const row of rows) put.run(row.planId, row.keyId, row.day, row.used);
    })();
  }

  putAdjustment(a: UsageAdjustment): void {
    this.db.prepare('INSERT OR REPLACE INTO usage_adjustments VALUES (?, ?, ?, ?)').run(a.planId, a.keyId, a.periodStart, a.delta);
  }

  close(): void {
    this.db.close();
  }
}

function keyOf(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    enabled: row.enabled === 1,
    customerId: row.customer_id ?? undefined,
    stageKeys: JSON.parse(row.stage_keys) as string[],
    hash: row.hash,
    sealed: row.sealed,
    createdDate: row.created,
    lastUpdatedDate: row.updated,
    source: row.source,
    logicalId: row.logical_id ?? undefined,
  };
}
