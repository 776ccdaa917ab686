/**
 * Token buckets behind a narrow store interface, as Kong keeps its rate-limiting counters interchangeable
 * (`kong/plugins/rate-limiting/policies/init.lua`: local, cluster, redis). Buckets are obtained at deploy time, once
 * per key; the request path only calls `take()`, which for the in-memory store is a few arithmetic operations and
 * no allocation. A shared store (Redis) answers asynchronously, so `take()` may return a promise.
 *
 * Token bucket as API Gateway describes it (api-gateway-request-throttling.md): the rate is the number of tokens
 * added per second, the burst the bucket's capacity; a request takes one token; a bucket starts full.
 */

export interface ThrottleLimits {
  /** Tokens added per second (steady-state requests per second). */
  readonly rateLimit: number;
  /** Bucket capacity (the largest burst). */
  readonly burstLimit: number;
}

export interface TokenBucket {
  /** Takes one token: true when the request may go on, false when it is throttled. */
  take(): boolean | Promise<boolean>;
}

export interface TokenBucketStore {
  /**
   * The bucket for `key` with these limits. The same key returns the same bucket, so a redeploy keeps its state;
   * changed limits apply from then on (the tokens held are capped at the new capacity).
   */
  bucket(key: string, limits: ThrottleLimits): TokenBucket;
}

/** Milliseconds from a monotonic origin. */
export type Clock = () => number;

const monotonic: Clock = () => performance.now();

/** One bucket of the in-memory store. Fields only; `take` allocates nothing. */
export class LocalTokenBucket implements TokenBucket {
  private tokens: number;
  private last: number;
  private perMs: number;
  private capacity: number;

  constructor(limits: ThrottleLimits, private readonly clock: Clock) {
    this.capacity = limits.burstLimit;
    this.perMs = limits.rateLimit / 1000;
    this.tokens = limits.burstLimit;
    this.last = clock();
  }

  take(): boolean {
    const now = this.clock();
    const elapsed = now - this.last;
    this.last = now;
    let tokens = this.tokens + (elapsed > 0 ? elapsed * this.perMs : 0);
    if (tokens > this.capacity) tokens = this.capacity;
    if (tokens < 1) {
      this.tokens = tokens;
      return false;
    }
    this.tokens = tokens - 1;
    return true;
  }

  /** Tokens held now (tests, diagnostics). */
  available(): number {
    const tokens = this.tokens + Math.max(0, this.clock() - this.last) * this.perMs;
    return tokens > this.capacity ? this.capacity : tokens;
  }

  reconfigure(limits: ThrottleLimits): void {
    this.tokens = this.available();
    this.last = this.clock();
    this.capacity = limits.burstLimit;
    this.perMs = limits.rateLimit / 1000;
    if (this.tokens > this.capacity) this.tokens = this.capacity;
  }
}

/** Buckets in this process: today's default, right for one node. */
export class InMemoryTokenBucketStore implements TokenBucketStore {
  private readonly buckets = new Map<string, LocalTokenBucket>();

  constructor(private readonly clock: Clock = monotonic) {}

  bucket(key: string, limits: ThrottleLimits): LocalTokenBucket {
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = new LocalTokenBucket(limits, this.clock);
      this.buckets.set(key, bucket);
    } else bucket.reconfigure(limits);
    return bucket;
  }

  get size(): number {
    return this.buckets.size;
  }
}
