/**
 * The response cache of each REST stage, behind a narrow interface so that a shared store (Redis, for several
 * nodes) can replace the in-memory one: `get` and `set` may answer with a promise. A stage's cache is kept across
 * redeploys; a changed `CacheClusterSize` replaces it, as API Gateway deletes the cached data when the capacity
 * changes (api-gateway-caching.md).
 *
 * The in-memory cache enforces its capacity in bytes (status, headers, body and key of each entry) and evicts the
 * least recently used entries when full — AWS does not document its eviction policy.
 */
import type { GatewayResponse } from '../events/request.js';

/** Hit and miss counts, as CloudWatch's CacheHitCount and CacheMissCount report them. */
export interface CacheCounters {
  hits: number;
  misses: number;
}

export interface ResponseCache {
  /** The cached response for `key`, or undefined when there is none or it expired; counts a hit or a miss. */
  get(key: string): GatewayResponse | undefined | Promise<GatewayResponse | undefined>;
  /** Stores (or replaces) the response for `key` for `ttlMs`. */
  set(key: string, response: GatewayResponse, ttlMs: number): void | Promise<void>;
  /** Counts a request that went to the integration without a lookup (`Cache-Control: max-age=0`). */
  bypass(): void;
  /** Drops every entry (FlushStageCache). */
  flush(): void | Promise<void>;
  readonly counters: Readonly<CacheCounters>;
}

export interface ResponseCacheStore {
  /** The cache of a stage, created on first use with this capacity (bytes). */
  stage(apiId: string, stageName: string, capacityBytes: number): ResponseCache;
  /** The cache of a stage, or undefined when the stage has none. */
  find(apiId: string, stageName: string): ResponseCache | undefined;
}

interface Entry {
  readonly response: GatewayResponse;
  readonly expiresAt: number;
  readonly size: number;
}

/** Milliseconds; injectable for tests. */
export type Clock = () => number;

/** One stage's cache in this process: a Map in recency order (the first entry is the least recently used). */
export class InMemoryResponseCache implements ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  readonly counters: CacheCounters = { hits: 0, misses: 0 };

  constructor(
    readonly capacityBytes: number,
    private readonly now: Clock = Date.now,
  ) {}

  get size(): number {
    return this.bytes;
  }

  get(key: string): GatewayResponse | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.expiresAt <= this.now()) {
      if (entry !== undefined) this.remove(key, entry);
      this.counters.misses++;
      return undefined;
    }
    // Re-inserting moves the entry to the most recently used end.
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.counters.hits++;
    return entry.response;
  }

  set(key: string, response: GatewayResponse, ttlMs: number): void {
    const previous = this.entries.get(key);
    if (previous !== undefined) this.remove(key, previous);
    const size = entrySize(key, response);
    if (size > this.capacityBytes) return;
    this.entries.set(key, { response, expiresAt: this.now() + ttlMs, size });
    this.bytes += size;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.capacityBytes) break;
      this.remove(oldest, entry);
    }
  }

  bypass(): void {
    this.counters.misses++;
  }

  flush(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.size;
  }
}

function entrySize(key: string, response: GatewayResponse): number {
  let size = Buffer.byteLength(key) + response.body.length + 3;
  for (const part of response.headers) size += Buffer.byteLength(part) + 2;
  return size;
}

/** Every stage's in-memory cache, by API id and stage. */
export class InMemoryResponseCacheStore implements ResponseCacheStore {
  private readonly caches = new Map<string, InMemoryResponseCache>();

  constructor(private readonly now: Clock = Date.now) {}

  stage(apiId: string, stageName: string, capacityBytes: number): ResponseCache {
    const key = `${apiId}/${stageName}`;
    let cache = this.caches.get(key);
    if (cache === undefined || cache.capacityBytes !== capacityBytes) {
      cache = new InMemoryResponseCache(capacityBytes, this.now);
      this.caches.set(key, cache);
    }
    return cache;
  }

  find(apiId: string, stageName: string): ResponseCache | undefined {
    return this.caches.get(`${apiId}/${stageName}`);
  }
}
