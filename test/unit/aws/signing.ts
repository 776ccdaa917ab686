// Signs test requests with the signer the AWS SDK v3 itself uses, so the
// verifier is checked against real client behaviour, not against itself.
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest, SourceData } from '@smithy/types';
import { createHash } from 'node:crypto';
import type { SigV4Request } from '../../../src/aws/sigv4.js';

class Sha256 extends Hash {
  constructor(secret?: SourceData) {
    super('sha256', secret);
  }
}

export const HOST = '127.0.0.1:4566';

export interface SignInput {
  method?: string;
  /** Path as it goes on the wire (already percent-encoded where the client encodes). */
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  region?: string;
  service?: string;
  date?: Date;
  applyChecksum?: boolean;
  /** Host header value; defaults to HOST. */
  host?: string;
}

export interface SignedTestRequest extends SigV4Request {
  headers: Record<string, string>;
  body: string;
}

function signer(input: SignInput, applyChecksum = true): SignatureV4 {
  return new SignatureV4({
    credentials: {
      accessKeyId: input.accessKeyId ?? 'test',
      secretAccessKey: input.secretAccessKey ?? 'test',
      sessionToken: input.sessionToken,
    },
    region: input.region ?? 'us-east-1',
    service: input.service ?? 'lambda',
    sha256: Sha256,
    uriEscapePath: true,
    applyChecksum,
  });
}

function unsigned(input: SignInput): HttpRequest {
  return {
    method: input.method ?? 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4566,
    path: input.path,
    query: input.query ?? {},
    headers: { host: input.host ?? HOST, ...(input.headers ?? {}) },
    body: input.body,
  };
}

/** RFC 3986, as the SDK encodes query strings on the wire. */
export function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function wireQuery(query: Record<string, string | string[] | null>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      parts.push(item === null ? encode(key) : `${encode(key)}=${encode(item)}`);
    }
  }
  return parts.join('&');
}

function asVerifierInput(request: HttpRequest, body: string): SignedTestRequest {
  const query = wireQuery(request.query as Record<string, string | string[] | null>);
  const headers = request.headers as Record<string, string>;
  return {
    method: request.method,
    url: query ? `${request.path}?${query}` : request.path,
    rawHeaders: Object.entries(headers).flat(),
    payloadSha256: createHash('sha256').update(body).digest('hex'),
    headers,
    body,
  };
}

export async function signRequest(input: SignInput): Promise<SignedTestRequest> {
  const signed = (await signer(input, input.applyChecksum ?? true).sign(unsigned(input), {
    signingDate: input.date ?? new Date(),
  })) as HttpRequest;
  return asVerifierInput(signed, input.body ?? '');
}

export async function presignRequest(input: SignInput & { expiresIn?: number }): Promise<SignedTestRequest> {
  const presigned = await signer(input, false).presign(unsigned({ method: 'GET', ...input }), {
    signingDate: input.date ?? new Date(),
    expiresIn: input.expiresIn ?? 900,
  });
  return asVerifierInput(presigned, input.body ?? '');
}

/** Re-derives the verifier input after a test tampers with the signed request. */
export function withBody(request: SignedTestRequest, body: string): SignedTestRequest {
  return { ...request, body, payloadSha256: createHash('sha256').update(body).digest('hex') };
}

export function withHeader(request: SignedTestRequest, name: string, value: string): SignedTestRequest {
  const headers = { ...request.headers, [name]: value };
  return { ...request, headers, rawHeaders: Object.entries(headers).flat() };
}

export function withoutHeader(request: SignedTestRequest, name: string): SignedTestRequest {
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([key]) => key.toLowerCase() !== name));
  return { ...request, headers, rawHeaders: Object.entries(headers).flat() };
}
