/**
 * API keys and usage plans as Portico keeps them, and the narrow durable store behind them. The store is written
 * by the management API and template deploys (rare) and read once at start; the request path only reads the
 * in-memory registry built from it. A later, several-node installation puts the same interface on Redis.
 */
import type { UsagePlanSpec } from '../../app/model.js';

/** Where a record came from: a template's resources (replaced on each deploy) or the management API (kept). */
export type RecordSource = 'template' | 'api';

export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly customerId: string | undefined;
  readonly stageKeys: readonly string[];
  /** HMAC-SHA256 of the value (KeyCrypto.hash). */
  readonly hash: Buffer;
  /** The value sealed with AES-256-GCM (KeyCrypto.seal). */
  readonly sealed: Buffer;
  /** Epoch seconds. */
  readonly createdDate: number;
  readonly lastUpdatedDate: number;
  readonly source: RecordSource;
  /** Template keys: the logical id, so a redeploy finds the key (and its generated value) again. */
  readonly logicalId: string | undefined;
}

/** A usage plan as stored: the template's shape without its template-only fields, and where it came from. */
export type UsagePlanRecord = Omit<UsagePlanSpec, 'logicalId' | 'keyIds'> & { readonly source: RecordSource };

export interface PlanKeyRecord {
  readonly planId: string;
  readonly keyId: string;
}

/** Requests counted for one key under one plan on one UTC day (`YYYY-MM-DD`). */
export interface DailyUsage {
  readonly planId: string;
  readonly keyId: string;
  readonly day: string;
  readonly used: number;
}

/**
 * An `UpdateUsage` grant: within the quota period starting at `periodStart` (epoch ms), `delta` requests are added
 * to (negative: taken from) what the daily counts say was used.
 */
export interface UsageAdjustment {
  readonly planId: string;
  readonly keyId: string;
  readonly periodStart: number;
  readonly delta: number;
}

export interface UsagePlanSnapshot {
  readonly keys: readonly ApiKeyRecord[];
  readonly plans: readonly UsagePlanRecord[];
  readonly planKeys: readonly PlanKeyRecord[];
  readonly usage: readonly DailyUsage[];
  readonly adjustments: readonly UsageAdjustment[];
}

export interface UsagePlanStore {
  /** Everything, at start. */
  load(): UsagePlanSnapshot;
  putKey(key: ApiKeyRecord): void;
  deleteKey(id: string): void;
  putPlan(plan: UsagePlanRecord): void;
  deletePlan(id: string): void;
  putPlanKey(link: PlanKeyRecord): void;
  deletePlanKey(link: PlanKeyRecord): void;
  /** Daily counts to write (each row replaces the stored count for its plan, key and day). */
  saveUsage(rows: readonly DailyUsage[]): void;
  putAdjustment(adjustment: UsageAdjustment): void;
  close(): void;
}
