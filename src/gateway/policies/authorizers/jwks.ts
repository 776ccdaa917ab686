/**
 * Fetches and caches issuers' signing keys: an issuer's OpenID discovery document
 * (`{issuer}/.well-known/openid-configuration` → `jwks_uri`) and JSON Web Key Sets. API Gateway "can cache public
 * keys for two hours" (http-api-jwt-authorizer.md); a `kid` not in the cached set triggers one refetch, at most
 * every `refetchAfterMs`, so a rotated key is picked up without letting forged `kid`s hammer the issuer. Fetches have
 * a short timeout and a size limit; concurrent requests share one fetch. Only RSA keys are kept.
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { VerificationKey } from './jwt-verify.js';

export interface JwksOptions {
  readonly timeoutMs?: number;
  readonly ttlMs?: number;
  readonly refetchAfterMs?: number;
  readonly fetch?: typeof fetch;
}

interface KeySet {
  readonly keys: ReadonlyMap<string, VerificationKey>;
  readonly fetchedAt: number;
}

const MAX_DOCUMENT_BYTES = 1024 * 1024;

/** A fetch failure: the authorizer answers 500, as for an authorizer it cannot run. */
export class JwksUnavailableError extends Error {}

export class JwksCache {
  private readonly sets = new Map<string, Promise<KeySet>>();
  private readonly discovered = new Map<string, Promise<string>>();
  private readonly timeoutMs: number;
  private readonly ttlMs: number;
  private readonly refetchAfterMs: number;
  private readonly fetcher: typeof fetch;

  constructor(options: JwksOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.ttlMs = options.ttlMs ?? 2 * 60 * 60 * 1000;
    this.refetchAfterMs = options.refetchAfterMs ?? 10_000;
    this.fetcher = options.fetch ?? fetch;
  }

  /** The `jwks_uri` of an issuer's discovery document. */
  jwksUriFor(issuer: string): Promise<string> {
    let uri = this.discovered.get(issuer);
    if (uri === undefined) {
      uri = this.document(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`).then((doc) => {
        if (typeof doc.jwks_uri !== 'string') throw new JwksUnavailableError('the discovery document has no jwks_uri');
        return doc.jwks_uri;
      });
      this.discovered.set(issuer, uri);
      uri.catch(() => this.discovered.delete(issuer));
    }
    return uri;
  }

  async keyFor(jwksUri: string, kid: string): Promise<VerificationKey | undefined> {
    let set = await this.keySet(jwksUri, false);
    if (!set.keys.has(kid) && Date.now() - set.fetchedAt >= this.refetchAfterMs) set = await this.keySet(jwksUri, true);
    return set.keys.get(kid);
  }

  private keySet(uri: string, refresh: boolean): Promise<KeySet> {
    const current = this.sets.get(uri);
    if (current !== undefined && !refresh) {
      return current.then((set) => (Date.now() - set.fetchedAt < this.ttlMs ? set : this.keySet(uri, true)));
    }
    const next = this.document(uri).then(parseKeySet);
    this.sets.set(uri, next);
    next.catch(() => {
      if (this.sets.get(uri) === next) this.sets.delete(uri);
    });
    return next;
  }

  private async document(url: string): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await this.fetcher(url, { signal: AbortSignal.timeout(this.timeoutMs), redirect: 'follow' });
    } catch (error) {
      throw new JwksUnavailableError(`${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!response.ok) throw new JwksUnavailableError(`${url}: HTTP ${response.status}`);
    const text = await response.text();
    if (text.length > MAX_DOCUMENT_BYTES) throw new JwksUnavailableError(`${url}: document too large`);
    try {
      const doc = JSON.parse(text) as unknown;
      if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) return doc as Record<string, unknown>;
    } catch {
      // reported below
    }
    throw new JwksUnavailableError(`${url}: not a JSON object`);
  }
}

function parseKeySet(doc: Record<string, unknown>): KeySet {
  const keys = new Map<string, VerificationKey>();
  for (const jwk of Array.isArray(doc.keys) ? doc.keys : []) {
    if (typeof jwk !== 'object' || jwk === null) continue;
    const { kid, kty, use, alg } = jwk as Record<string, unknown>;
    if (typeof kid !== 'string' || kty !== 'RSA' || (use !== undefined && use !== 'sig')) continue;
    try {
      keys.set(kid, { key: createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }), alg: typeof alg === 'string' ? alg : undefined });
    } catch {
      // A key Node cannot read is left out: tokens naming it fail as an unknown kid.
    }
  }
  return { keys, fetchedAt: Date.now() };
}
