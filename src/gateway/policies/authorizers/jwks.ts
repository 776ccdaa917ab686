/**
 * Issuers' signing keys: an issuer's OpenID discovery document (`{issuer}/.well-known/openid-configuration` →
 * `jwks_uri`, which jose does not do) and, per `jwks_uri`, a jose remote JSON Web Key Set. API Gateway "can cache
 * public keys for two hours" (http-api-jwt-authorizer.md); a `kid` not in the cached set triggers one refetch, at
 * most every `refetchAfterMs` (jose's cooldown), so a rotated key is picked up without letting forged `kid`s hammer
 * the issuer. Fetches have a short timeout and a size limit; concurrent lookups share one fetch; failures are not
 * cached.
 */
import type { JWTVerifyGetKey } from 'jose';
import { jose, loadJose } from './jose-module.js';

export interface JwksOptions {
  readonly timeoutMs?: number;
  readonly ttlMs?: number;
  readonly refetchAfterMs?: number;
  readonly fetch?: typeof fetch;
}

const MAX_DOCUMENT_BYTES = 1024 * 1024;

/** A fetch failure: the authorizer answers 500, as for an authorizer it cannot run. */
export class JwksUnavailableError extends Error {}

export class JwksCache {
  private readonly sets = new Map<string, JWTVerifyGetKey>();
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

  /** The key resolver of one JWKS URL, for jwt-verify.ts; one per URL, so its cache is shared by every route. */
  keysFor(jwksUri: string): JWTVerifyGetKey {
    let keys = this.sets.get(jwksUri);
    if (keys === undefined) {
      keys = this.remoteSet(jwksUri);
      this.sets.set(jwksUri, keys);
    }
    return keys;
  }

  private remoteSet(jwksUri: string): JWTVerifyGetKey {
    let url: URL;
    try {
      url = new URL(jwksUri);
    } catch {
      return () => Promise.reject(new JwksUnavailableError(`${jwksUri}: not a URL`));
    }
    let remote: JWTVerifyGetKey | undefined;
    return async (header, token) => {
      const { createRemoteJWKSet, customFetch } = await loadJose();
      remote ??= createRemoteJWKSet(url, {
        timeoutDuration: this.timeoutMs,
        cacheMaxAge: this.ttlMs,
        cooldownDuration: this.refetchAfterMs,
        [customFetch]: this.boundedFetch,
      });
      try {
        return await remote(header, token);
      } catch (error) {
        throw keyError(jwksUri, error);
      }
    };
  }

  /** jose's fetch, refusing a key set over MAX_DOCUMENT_BYTES (jose reads whatever it is sent). */
  private readonly boundedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await this.fetcher(input, init);
    const text = await response.text();
    if (text.length > MAX_DOCUMENT_BYTES) throw new JwksUnavailableError(`${String(input)}: document too large`);
    return new Response(text, { status: response.status, headers: response.headers });
  };

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

/**
 * What the token is answered with: a key the set does not have (or cannot use) stays jose's error, so the token
 * fails as an unknown `kid`; a set that cannot be fetched or read becomes JwksUnavailableError (500).
 */
function keyError(jwksUri: string, error: unknown): unknown {
  const { errors } = jose();
  if (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JWKInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return error;
  }
  return new JwksUnavailableError(`${jwksUri}: ${error instanceof Error ? error.message : String(error)}`);
}
