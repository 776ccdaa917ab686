// The SigV4 canonical request, built from the request exactly as it arrived on
// the wire. Every client computes this same string before signing, so any
// normalisation here must match what AWS (and therefore the SDKs) do for
// non-S3 services; see
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
import { createHash, createHmac } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** RFC 3986 encoding: everything but A-Z a-z 0-9 - _ . ~ becomes %XX (upper-case hex). */
export function uriEncode(value: string): string {
  // encodeURIComponent leaves !'()* alone; SigV4 wants them encoded too.
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Percent-decoding that never throws: a malformed escape is kept verbatim. */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Canonical URI for non-S3 services: dot segments and empty segments removed,
 * then the path *as sent* (already percent-encoded by the client) is encoded
 * once more, so `%3A` on the wire becomes `%253A` here.
 */
export function canonicalUri(rawPath: string): string {
  const kept: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') kept.pop();
    else kept.push(segment);
  }
  const trailing = kept.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `/${kept.map(uriEncode).join('/')}${trailing}`;
}

export interface QueryPair {
  key: string;
  value: string;
}

/** Splits a raw query string into decoded pairs; `+` stays a literal plus. */
export function parseRawQuery(rawQuery: string): QueryPair[] {
  if (rawQuery === '') return [];
  return rawQuery
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const key = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? '' : part.slice(eq + 1);
      return { key: safeDecode(key), value: safeDecode(value) };
    });
}

/** Canonical query: every pair re-encoded, sorted by key then value; X-Amz-Signature left out. */
export function canonicalQuery(pairs: readonly QueryPair[]): string {
  return pairs
    .filter((pair) => pair.key !== 'X-Amz-Signature')
    .map((pair) => [uriEncode(pair.key), uriEncode(pair.value)] as const)
    .sort(([ka, va], [kb, vb]) => compareAscii(ka, kb) || compareAscii(va, vb))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function compareAscii(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Lower-cased header name → every value received for it, in arrival order. */
export type HeaderValues = ReadonlyMap<string, readonly string[]>;

export function collectHeaders(rawHeaders: readonly string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const values = map.get(name);
    if (values) values.push(rawHeaders[i + 1]);
    else map.set(name, [rawHeaders[i + 1]]);
  }
  return map;
}

export function firstHeader(headers: HeaderValues, name: string): string | undefined {
  return headers.get(name)?.[0];
}

/** Values trimmed and inner runs of whitespace collapsed; repeated headers joined with commas. */
function canonicalHeaderValue(values: readonly string[] | undefined): string {
  return (values ?? []).map((v) => v.replace(/[ \t]+/g, ' ').trim()).join(',');
}

export interface CanonicalRequestParts {
  method: string;
  rawPath: string;
  query: readonly QueryPair[];
  headers: HeaderValues;
  signedHeaders: readonly string[];
  payloadHash: string;
}

export function canonicalRequest(parts: CanonicalRequestParts): string {
  const headerLines = parts.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(parts.headers.get(name))}\n`);
  return [
    parts.method,
    canonicalUri(parts.rawPath),
    canonicalQuery(parts.query),
    headerLines.join(''),
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

export function signatureHex(signingKey: Buffer, toSign: string): string {
  return createHmac('sha256', signingKey).update(toSign, 'utf8').digest('hex');
}

/**
 * Derived keys change once a day per scope, so caching them saves four HMACs
 * per request. The secret is kept beside each key so a rotated secret for the
 * same access key id can never be answered with a stale key.
 */
export class SigningKeyCache {
  private readonly entries = new Map<string, { secret: string; key: Buffer }>();

  constructor(private readonly maxEntries = 64) {}

  get(accessKeyId: string, secret: string, date: string, region: string, service: string): Buffer {
    const id = `${accessKeyId}/${date}/${region}/${service}`;
    const hit = this.entries.get(id);
    if (hit && hit.secret === secret) return hit.key;
    const key = deriveSigningKey(secret, date, region, service);
    this.entries.delete(id);
    this.entries.set(id, { secret, key });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return key;
  }

  get size(): number {
    return this.entries.size;
  }
}
