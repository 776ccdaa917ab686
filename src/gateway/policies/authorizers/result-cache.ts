/**
 * Authorizer result caches (REST `authorizerResultTtlInSeconds` / SAM `ReauthorizeEvery`; HTTP API
 * `AuthorizerResultTtlInSeconds`), behind a narrow interface so that several Portico nodes can later share one
 * (Redis). Keys are hashes of the authorizer and its identity source values, so a token is never kept as a key.
 */
import { createHash } from 'node:crypto';

export interface AuthorizerResultCache {
  get(key: string): unknown | Promise<unknown>;
  set(key: string, value: unknown, ttlMs: number): void | Promise<void>;
}

/** The cache key of an authorizer's result for some identity source values. */
export function cacheKey(scope: string, values: readonly string[]): string {
  const hash = createHash('sha256').update(scope);
  for (const value of values) hash.update('\0').update(value);
  return hash.digest('base64url');
}

interface Entry {
  readonly value: unknown;
  readonly expiresAt: number;
}

/** One process's cache: entries expire after their TTL; past `maxEntries` the oldest entry goes first. */
export class InMemoryAuthorizerResultCache implements AuthorizerResultCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): unknown {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: unknown, ttlMs: number): void {
    if (ttlMs <= 0) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }
}
