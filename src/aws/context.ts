// What a service handler sees of a verified request, and the only ways it
// answers: every response goes out with x-amzn-RequestId, exactly once.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { safeDecode } from './canonical.js';
import { renderError, type AwsError, type AwsProtocol, type ErrorRenderOptions } from './errors.js';

export interface AwsRequestContext {
  readonly method: string;
  /** Path exactly as sent, still percent-encoded. */
  readonly rawPath: string;
  /** Decoded path. Prefer `segments` when a segment may contain an encoded '/'. */
  readonly path: string;
  /** Decoded non-empty path segments: `/2015-03-31/functions/a%3Ab` → ['2015-03-31', 'functions', 'a:b']. */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** X-Amz-Target, for JSON-protocol services. */
  readonly target: string | undefined;
  /** The body's first `maxBodyBytes + 1` bytes at most. */
  readonly body: Buffer;
  /** Bytes the client sent, even past the service's limit. */
  readonly bodyLength: number;
  readonly bodyTruncated: boolean;
  readonly requestId: string;
  readonly accessKeyId: string;
  readonly region: string;
  readonly responded: boolean;
  sendJson(status: number, value: unknown, headers?: Readonly<Record<string, string>>): void;
  sendRaw(status: number, headers: Readonly<Record<string, string>>, body: string | Buffer): void;
  sendError(err: AwsError): void;
}

export interface ContextInit {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  bodyLength: number;
  requestId: string;
  accessKeyId: string;
  region: string;
  protocol: AwsProtocol;
  /** Content type for sendJson (DynamoDB answers in application/x-amz-json-1.0). */
  jsonContentType: string;
  errorOptions: Omit<ErrorRenderOptions, 'requestId'>;
  res: ServerResponse;
}

export function createContext(init: ContextInit): AwsRequestContext {
  let responded = false;
  const sendRaw = (status: number, headers: Readonly<Record<string, string>>, body: string | Buffer) => {
    // A second answer cannot reach the client; dropping it beats a crash mid-response.
    if (responded || init.res.headersSent) return;
    responded = true;
    init.res.writeHead(status, { ...headers, 'x-amzn-RequestId': init.requestId });
    init.res.end(body);
  };
  // The decoded path, its segments and the query are built on first use: JSON-protocol services never read them.
  let path: string | undefined;
  let segments: readonly string[] | undefined;
  let query: URLSearchParams | undefined;
  return {
    method: init.method,
    rawPath: init.rawPath,
    get path() {
      return (path ??= safeDecode(init.rawPath));
    },
    get segments() {
      return (segments ??= init.rawPath.split('/').filter((s) => s !== '').map(safeDecode));
    },
    get query() {
      return (query ??= new URLSearchParams(init.rawQuery));
    },
    headers: init.headers,
    target: headerText(init.headers['x-amz-target']),
    body: init.body,
    bodyLength: init.bodyLength,
    bodyTruncated: init.bodyLength > init.body.length,
    requestId: init.requestId,
    accessKeyId: init.accessKeyId,
    region: init.region,
    get responded() {
      return responded;
    },
    sendRaw,
    sendJson(status, value, headers = {}) {
      sendRaw(status, { 'Content-Type': init.jsonContentType, ...headers }, JSON.stringify(value));
    },
    sendError(err) {
      const rendered = renderError(err, init.protocol, { ...init.errorOptions, requestId: init.requestId });
      sendRaw(rendered.status, rendered.headers, rendered.body);
    },
  };
}

export function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
