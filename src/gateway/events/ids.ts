/**
 * Request identifiers in the formats API Gateway uses, generated cheaply.
 *
 * - REST `requestId` (= `x-amzn-RequestId`): a UUID v4 (`crypto.randomUUID`, which draws from a cached entropy pool).
 * - REST `extendedRequestId` (= `x-amz-apigw-id`) and HTTP API `requestId` (= `apigw-requestid`): 16 characters,
 *   URL-safe base64 of 11 bytes with one `=` of padding, e.g. `D4VJDGZOoAMFRmQ=`, `BFaT_fALIAMCKug=` (real captures).
 * - X-Ray trace ids: `Root=1-<8 hex epoch seconds>-<24 hex>`; response headers add `;Parent=<16 hex>;Sampled=<0|1>`.
 *
 * Uniqueness: each generator combines a per-process random part with a counter that starts at a random value, so ids
 * never repeat within a process (until a 32/48-bit counter wraps) and collide across processes only by chance.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { rawHeader } from './common.js';
import type { RequestIds } from './request.js';

/** REST API request id, e.g. `782a1e20-a1e4-4abe-87d5-2ffd64d27dab`. */
export function newRequestId(): string {
  return randomUUID();
}

// ---- short ids: [4 bytes epoch seconds][3 bytes per-process random][4 bytes counter] → base64url (15 chars) + '='
const shortBuf = Buffer.alloc(11);
randomBytes(3).copy(shortBuf, 4);
let shortCounter = randomBytes(4).readUInt32BE(0);

/** Extended request id (REST) / request id (HTTP API): 16 chars ending in `=`, e.g. `D4VJDGZOoAMFRmQ=`. */
export function newShortId(nowMs: number = Date.now()): string {
  shortBuf.writeUInt32BE(Math.floor(nowMs / 1000) >>> 0, 0);
  shortCounter = (shortCounter + 1) >>> 0;
  shortBuf.writeUInt32BE(shortCounter, 7);
  return shortBuf.toString('base64url') + '=';
}

// ---- trace ids
const HEX12_PROCESS = randomBytes(6).toString('hex');
let traceCounter = randomBytes(6).readUIntBE(0, 6);
const TRACE_COUNTER_MOD = 2 ** 48;
const HEX8_PROCESS = randomBytes(4).toString('hex');
let parentCounter = randomBytes(4).readUInt32BE(0);

/** A new X-Ray root as API Gateway writes it into the event: `Root=1-5d850900-5fe0dae6dbe79b6fe388e95e`. */
export function newTraceRoot(nowMs: number = Date.now()): string {
  traceCounter = (traceCounter + 1) % TRACE_COUNTER_MOD;
  return (
    'Root=1-' +
    Math.floor(nowMs / 1000).toString(16).padStart(8, '0') +
    '-' +
    HEX12_PROCESS +
    traceCounter.toString(16).padStart(12, '0')
  );
}

/** A new 16-hex-digit X-Ray parent (segment) id. */
export function newTraceParent(): string {
  parentCounter = (parentCounter + 1) >>> 0;
  return HEX8_PROCESS + parentCounter.toString(16).padStart(8, '0');
}

/**
 * The `X-Amzn-Trace-Id` value the function sees: the client's header when it sent one (kept as sent), else a new
 * root. The server calls this once per request and stores the result in `RequestIds.traceId`.
 */
export function traceIdFor(rawHeaders: readonly string[], nowMs?: number): string {
  return rawHeader(rawHeaders, 'x-amzn-trace-id') ?? newTraceRoot(nowMs);
}

/**
 * The `X-Amzn-Trace-Id` response header of a Lambda (AWS_PROXY) integration, from the request's trace value.
 * Recorded against AWS (aws-behaviour.md §2, `test_invocation_trace_id`): a full `Root=…;Parent=…;Sampled=1` sent by
 * the client is echoed; with only `Root=…` AWS adds a generated `Parent`. `Sampled` defaults to `1` when the client
 * sent a parent, else `0` (LocalStack's reading of the same recording).
 */
export function responseTraceId(requestTraceId: string | undefined): string {
  let root: string | undefined;
  let parent: string | undefined;
  let sampled: string | undefined;
  if (requestTraceId) {
    for (const part of requestTraceId.split(';')) {
      const eq = part.indexOf('=');
      if (eq <= 0) continue;
      const key = part.slice(0, eq).trim().toLowerCase();
      const value = part.slice(eq + 1).trim();
      if (key === 'root') root = value;
      else if (key === 'parent') parent = value;
      else if (key === 'sampled') sampled = value;
    }
  }
  if (root === undefined) root = newTraceRoot().slice(5);
  if (sampled === undefined) sampled = parent === undefined ? '0' : '1';
  if (parent === undefined) parent = newTraceParent();
  return 'Root=' + root + ';Parent=' + parent + ';Sampled=' + sampled;
}

/**
 * All identifiers of one request. REST: `requestId` is a UUID and `extendedRequestId` a short id; HTTP API: both are
 * the same short id (`requestContext.requestId` = `apigw-requestid`, e.g. `WSg1ihmdliAEJXA=`). `domainPrefix` is the
 * first label of the domain name (the API id on `execute-api` hosts). Pass `traceId` (from `traceIdFor`) so the event
 * and the response share one trace.
 */
export function newRequestIds(
  accountId: string,
  deploymentId: string,
  domainName: string,
  apiId: string,
  kind: 'REST' | 'HTTP' = 'REST',
  traceId?: string,
): RequestIds {
  let end = domainName.indexOf('.');
  if (end === -1) end = domainName.indexOf(':');
  const domainPrefix = end > 0 ? domainName.slice(0, end) : domainName || apiId;
  const shortId = newShortId();
  return {
    requestId: kind === 'REST' ? newRequestId() : shortId,
    extendedRequestId: shortId,
    accountId,
    deploymentId,
    domainName,
    domainPrefix,
    ...(traceId === undefined ? {} : { traceId }),
  };
}
