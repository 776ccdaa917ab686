/**
 * The installation's API keys and usage plans in memory, written through to the durable store. The gateway's
 * api-key policy asks it one question per request (`authenticate`: which key and plan, if any, may call this API
 * stage) and gets the plan's token bucket and quota counters; the management API and template deploys
 * (template-sync.ts) change it.
 *
 * Keys are indexed by the keyed hash of their value, so finding a key never compares values; the hash found is
 * still compared with the stored one in constant time. A key is accepted on a stage only when it is enabled and
 * attached to a usage plan that lists that stage, as API Gateway requires (api-gateway-api-usage-plans.md).
 */
import { randomBytes } from 'node:crypto';
import { badRequest, conflict, notFound } from '../management/errors.js';
import type { ThrottleLimits, TokenBucket, TokenBucketStore } from '../policies/token-bucket-store.js';
import { METHOD_SETTING_DEFAULTS } from '../policies/throttle.js';
import type { KeyCrypto } from './key-crypto.js';
import type { ApiKeyRecord, RecordSource, UsagePlanRecord, UsagePlanSnapshot, UsagePlanStore } from './records.js';
import type { UsageCounters } from './usage-counters.js';

export interface NewApiKey {
  readonly name: string | undefined;
  readonly description: string | undefined;
  readonly enabled: boolean;
  readonly value: string | undefined;
  readonly customerId: string | undefined;
  readonly stageKeys: readonly string[];
}

export type NewUsagePlan = Omit<UsagePlanRecord, 'id' | 'source'>;

/** A method of an API stage, as the api-key policy compiles it: ids built once, so a request builds no string. */
export interface MethodTarget {
  /** `apiId/stage/method`. */
  readonly id: string;
  /** `apiId/stage`. */
  readonly stageId: string;
  readonly apiId: string;
  readonly stage: string;
  /** `/path/METHOD`, as usage plans name methods in per-method throttles. */
  readonly method: string;
}

/** A key allowed on a stage, with the plan that admits it there. */
export interface Admission {
  readonly key: ApiKeyRecord;
  readonly plan: UsagePlanRecord;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export class UsagePlanRegistry {
  private readonly keys = new Map<string, ApiKeyRecord>();
  /** Hex hash → key. */
  private readonly byHash = new Map<string, ApiKeyRecord>();
  private readonly plans = new Map<string, UsagePlanRecord>();
  private readonly planKeys = new Map<string, Set<string>>();
  /** `apiId/stage` → key id → the plan that admits the key there. Rebuilt on every change (changes are rare). */
  private byStage = new Map<string, Map<string, UsagePlanRecord>>();
  /** Per-key throttle buckets: `apiId/stage/method` → key id → bucket (null: none). Emptied when plans change. */
  private readonly buckets = new Map<string, Map<string, TokenBucket | null>>();

  constructor(
    private readonly store: UsagePlanStore,
    snapshot: UsagePlanSnapshot,
    private readonly crypto: KeyCrypto,
    readonly counters: UsageCounters,
    private readonly bucketStore: TokenBucketStore,
  ) {
    for (const key of snapshot.keys) this.index(key);
    for (const plan of snapshot.plans) this.plans.set(plan.id, plan);
    for (const link of snapshot.planKeys) this.linkedKeys(link.planId).add(link.keyId);
    this.reindex();
  }

  /** Writes the last counts and closes the store (on shutdown). */
  close(): void {
    this.counters.close();
    this.store.close();
  }

  // ---- request path ----------------------------------------------------------------------------------------------

  /** The key with this value and the plan admitting it on the stage; undefined when unknown, disabled or not admitted. */
  authenticate(value: string, target: MethodTarget): Admission | undefined {
    const hash = this.crypto.hash(value);
    const key = this.byHash.get(hash.toString('hex'));
    if (key === undefined || !this.crypto.sameHash(key.hash, hash) || !key.enabled) return undefined;
    const plan = this.byStage.get(target.stageId)?.get(key.id);
    return plan === undefined ? undefined : { key, plan };
  }

  /**
   * The plan's bucket for this key on a method, or null when the plan does not throttle it. `target` is the
   * method's deploy-time config (its `apiId/stage/method` string is the cache key), so after a key's first request
   * on a method, finding its bucket allocates nothing.
   */
  throttleBucket(admission: Admission, target: MethodTarget): TokenBucket | null {
    let byKey = this.buckets.get(target.id);
    if (byKey === undefined) this.buckets.set(target.id, (byKey = new Map()));
    let bucket = byKey.get(admission.key.id);
    if (bucket === undefined) {
      bucket = this.planBucket(admission, target);
      byKey.set(admission.key.id, bucket);
    }
    return bucket;
  }

  /**
   * A per-method throttle (`ApiStages[].Throttle`) gives the key a bucket for that method; the plan's `Throttle`
   * gives it one bucket shared by every method and stage of the plan.
   */
  private planBucket({ plan, key }: Admission, target: MethodTarget): TokenBucket | null {
    const perMethod = plan.apiStages.find((s) => s.apiId === target.apiId && s.stage === target.stage)?.throttle[target.method];
    const setting = perMethod ?? plan.throttle;
    if (setting === undefined) return null;
    const limits: ThrottleLimits = {
      rateLimit: setting.rateLimit ?? METHOD_SETTING_DEFAULTS.rateLimit,
      burstLimit: setting.burstLimit ?? METHOD_SETTING_DEFAULTS.burstLimit,
    };
    return this.bucketStore.bucket(`usage-plan/${plan.id}/${key.id}${perMethod ? `/${target.id}` : ''}`, limits);
  }

  // ---- keys ------------------------------------------------------------------------------------------------------

  createKey(input: NewApiKey, source: RecordSource = 'api', id = newId(10), logicalId?: string): { key: ApiKeyRecord; value: string } {
    const value = input.value ?? this.crypto.generateValue();
    if (value.length < 20) throw badRequest('API Key value should be at least 20 characters');
    if (value.length > 128) throw badRequest('API Key value exceeds maximum size of 128 characters');
    const hash = this.crypto.hash(value);
    if (this.byHash.has(hash.toString('hex'))) throw conflict('API Key already exists');
    const now = Math.floor(Date.now() / 1000);
    const key: ApiKeyRecord = {
      id,
      name: input.name ?? id,
      description: input.description ?? '',
      enabled: input.enabled,
      customerId: input.customerId,
      stageKeys: input.stageKeys,
      hash,
      sealed: this.crypto.seal(value),
      createdDate: now,
      lastUpdatedDate: now,
      source,
      logicalId,
    };
    this.store.putKey(key);
    this.index(key);
    return { key, value };
  }

  getKey(id: string): ApiKeyRecord {
    const key = this.keys.get(id);
    if (key === undefined) throw notFound('Invalid API Key identifier specified');
    return key;
  }

  listKeys(): ApiKeyRecord[] {
    return [...this.keys.values()].sort((a, b) => a.createdDate - b.createdDate || a.id.localeCompare(b.id));
  }

  /** The plain value, for `includeValues` and the console banner only. */
  valueOf(key: ApiKeyRecord): string {
    return this.crypto.open(key.sealed);
  }

  updateKey(id: string, changes: Partial<Pick<ApiKeyRecord, 'enabled' | 'name' | 'description' | 'customerId' | 'stageKeys'>>): ApiKeyRecord {
    const key: ApiKeyRecord = { ...this.getKey(id), ...changes, lastUpdatedDate: Math.floor(Date.now() / 1000) };
    this.store.putKey(key);
    this.index(key);
    this.reindex();
    return key;
  }

  deleteKey(id: string): void {
    const key = this.getKey(id);
    this.store.deleteKey(id);
    this.keys.delete(id);
    this.byHash.delete(key.hash.toString('hex'));
    for (const linked of this.planKeys.values()) linked.delete(id);
    this.reindex();
  }

  // ---- plans -----------------------------------------------------------------------------------------------------

  createPlan(input: NewUsagePlan, source: RecordSource = 'api', id = newId(6)): UsagePlanRecord {
    const plan: UsagePlanRecord = { ...input, id, source };
    this.store.putPlan(plan);
    this.plans.set(id, plan);
    this.reindex();
    return plan;
  }

  /** Replaces a plan's settings (`UpdateUsagePlan`); its keys and usage stay. */
  updatePlan(plan: UsagePlanRecord): UsagePlanRecord {
    this.getPlan(plan.id);
    this.store.putPlan(plan);
    this.plans.set(plan.id, plan);
    this.reindex();
    return plan;
  }

  getPlan(id: string): UsagePlanRecord {
    const plan = this.plans.get(id);
    if (plan === undefined) throw notFound('Invalid Usage Plan ID specified');
    return plan;
  }

  listPlans(keyId?: string): UsagePlanRecord[] {
    const all = [...this.plans.values()];
    return keyId === undefined ? all : all.filter((plan) => this.planKeys.get(plan.id)?.has(keyId));
  }

  deletePlan(id: string): void {
    this.getPlan(id);
    this.store.deletePlan(id);
    this.plans.delete(id);
    this.planKeys.delete(id);
    this.reindex();
  }

  /** `CreateUsagePlanKey`: a key may belong to one plan per API stage. */
  addPlanKey(planId: string, keyId: string): ApiKeyRecord {
    const plan = this.getPlan(planId);
    const key = this.keys.get(keyId);
    if (key === undefined) throw notFound(`Invalid API Key identifier specified`);
    if (this.planKeys.get(planId)?.has(keyId)) throw conflict(`Usage Plan ${planId} already contains API Key ${keyId}`);
    for (const stage of plan.apiStages) {
      const other = this.byStage.get(`${stage.apiId}/${stage.stage}`)?.get(keyId);
      if (other !== undefined) {
        throw conflict(`Usage Plan ${planId} cannot be added because API Key ${keyId} cannot reference multiple Usage Plans with the same API Stage: ${stage.apiId}:${stage.stage}`);
      }
    }
    this.store.putPlanKey({ planId, keyId });
    this.linkedKeys(planId).add(keyId);
    this.reindex();
    return key;
  }

  planKeyIds(planId: string): string[] {
    this.getPlan(planId);
    return [...(this.planKeys.get(planId) ?? [])];
  }

  removePlanKey(planId: string, keyId: string): void {
    if (!this.planKeyIds(planId).includes(keyId)) throw notFound('Invalid API Key identifier specified');
    this.store.deletePlanKey({ planId, keyId });
    this.planKeys.get(planId)?.delete(keyId);
    this.reindex();
  }

  // ---- primitives for template deploys (template-sync.ts) --------------------------------------------------------

  findKey(id: string): ApiKeyRecord | undefined {
    return this.keys.get(id);
  }

  /** Replaces a key's value (a template's changed `Value`); the value may not be another key's. */
  setValue(id: string, value: string): void {
    const key = this.getKey(id);
    const hash = this.crypto.hash(value);
    if (this.crypto.sameHash(key.hash, hash)) return;
    const holder = this.byHash.get(hash.toString('hex'));
    if (holder !== undefined) throw conflict(`API Key ${key.logicalId ?? id}: its value is already the value of key ${holder.id}`);
    this.byHash.delete(key.hash.toString('hex'));
    const updated: ApiKeyRecord = { ...key, hash, sealed: this.crypto.seal(value), lastUpdatedDate: Math.floor(Date.now() / 1000) };
    this.store.putKey(updated);
    this.index(updated);
    this.reindex();
  }

  /** Creates or replaces a plan as given (a template's). */
  putPlan(plan: UsagePlanRecord): void {
    this.store.putPlan(plan);
    this.plans.set(plan.id, plan);
    this.reindex();
  }

  /** Makes `keyIds` the plan's keys. */
  setPlanKeys(planId: string, keyIds: ReadonlySet<string>): void {
    const before = this.planKeys.get(planId) ?? new Set<string>();
    for (const keyId of before) if (!keyIds.has(keyId)) this.store.deletePlanKey({ planId, keyId });
    for (const keyId of keyIds) if (!before.has(keyId)) this.store.putPlanKey({ planId, keyId });
    this.planKeys.set(planId, new Set(keyIds));
    this.reindex();
  }

  // ---- indexes ---------------------------------------------------------------------------------------------------

  private index(key: ApiKeyRecord): void {
    this.keys.set(key.id, key);
    this.byHash.set(key.hash.toString('hex'), key);
  }

  private linkedKeys(planId: string): Set<string> {
    let linked = this.planKeys.get(planId);
    if (linked === undefined) {
      linked = new Set();
      this.planKeys.set(planId, linked);
    }
    return linked;
  }

  private reindex(): void {
    const byStage = new Map<string, Map<string, UsagePlanRecord>>();
    for (const [planId, keyIds] of this.planKeys) {
      const plan = this.plans.get(planId);
      if (plan === undefined) continue;
      for (const stage of plan.apiStages) {
        const id = `${stage.apiId}/${stage.stage}`;
        let keys = byStage.get(id);
        if (keys === undefined) byStage.set(id, (keys = new Map()));
        for (const keyId of keyIds) if (this.keys.has(keyId)) keys.set(keyId, plan);
      }
    }
    this.byStage = byStage;
    this.buckets.clear();
  }
}

/** A random lower-case id, the shape of API Gateway's (10 characters for keys, 6 for plans). */
function newId(length: number): string {
  const bytes = randomBytes(length);
  let id = '';
  for (let i = 0; i < length; i++) id += ID_ALPHABET[bytes[i]! % ID_ALPHABET.length];
  return id;
}
