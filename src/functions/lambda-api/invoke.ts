import type { IncomingHttpHeaders } from 'node:http';
import type { AwsRequestContext } from '../../aws/context.js';
import type { EventQueue } from '../event-queue.js';
import { ThrottledError, type FunctionService } from '../function-service.js';
import { functionNotFound, invalidParameter, invalidRequestContent, requestTooLarge, tooManyRequests } from './errors.js';
import { unqualifiedArn } from './service.js';

/** Lambda's payload limits: 6 MB for synchronous invocations, 1 MB for asynchronous ones (aws-behaviour.md §11). */
const SYNC_PAYLOAD_LIMIT = 6_291_456;
const ASYNC_PAYLOAD_LIMIT = 1_048_576;
/** The last 4 KB of the execution log go back with `LogType: Tail`. */
const LOG_TAIL_BYTES = 4096;

const INVOCATION_TYPES = new Set(['RequestResponse', 'Event', 'DryRun']);

export function invokeBodyLimit(headers: IncomingHttpHeaders): number {
  return headers['x-amz-invocation-type'] === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
}

/** `Invoke` (and the legacy `InvokeAsync`): RequestResponse → 200, Event → 202, DryRun → 204. */
export async function invoke(
  ctx: AwsRequestContext,
  functions: FunctionService,
  events: EventQueue,
  name: string,
  legacyAsync: boolean,
): Promise<void> {
  const type = legacyAsync ? 'Event' : String(ctx.headers['x-amz-invocation-type'] ?? 'RequestResponse');
  if (!INVOCATION_TYPES.has(type)) {
    return ctx.sendError(invalidParameter(`1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`));
  }
  const limit = type === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
  if (ctx.bodyLength > limit) return ctx.sendError(requestTooLarge(limit));
  const qualifier = ctx.query.get('Qualifier') ?? qualifierOf(name);
  const fn = functions.find(name);
  if (!fn || (qualifier !== undefined && qualifier !== '$LATEST')) {
    const base = unqualifiedArn(ctx, name.split(':')[0] === name || name.startsWith('arn:') ? name : name.split(':')[0]!);
    return ctx.sendError(functionNotFound(qualifier !== undefined && base.endsWith(`:${qualifier}`) ? base : `${base}:${qualifier ?? '$LATEST'}`));
  }
  const payload = ctx.body.length === 0 ? '{}' : ctx.body.toString('utf8');
  const invalid = jsonError(payload);
  if (invalid) return ctx.sendError(invalidRequestContent(invalid));
  if (type === 'DryRun') return ctx.sendRaw(204, {}, '');
  const options = { clientContext: clientContext(ctx.headers), qualifier };
  if (type === 'Event') {
    await events.enqueue(fn, payload, options, ctx.requestId);
    return legacyAsync ? ctx.sendJson(202, { Status: 202 }) : ctx.sendRaw(202, {}, '');
  }
  try {
    const result = await functions.invoke(fn, payload, options, ctx.requestId);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': result.executedVersion };
    if (result.kind === 'error') headers['X-Amz-Function-Error'] = 'Unhandled';
    if (ctx.headers['x-amz-log-type'] === 'Tail') headers['X-Amz-Log-Result'] = logTail(result.log);
    ctx.sendRaw(200, headers, result.payload);
  } catch (error) {
    if (error instanceof ThrottledError) return ctx.sendError(tooManyRequests(error.reason));
    throw error;
  }
}

/** `my-fn:prod` → `prod`; full ARNs carry the qualifier after the function name. */
function qualifierOf(name: string): string | undefined {
  const afterFunction = name.includes(':function:') ? name.split(':function:')[1]! : name;
  const parts = afterFunction.split(':');
  return parts.length > 1 ? parts[1] : undefined;
}

function clientContext(headers: IncomingHttpHeaders): string | null {
  const encoded = headers['x-amz-client-context'];
  if (typeof encoded !== 'string' || encoded === '') return null;
  return Buffer.from(encoded, 'base64').toString('utf8');
}

/** Jackson-style reason when the payload is not JSON, undefined when it is. */
function jsonError(payload: string): string | undefined {
  try {
    JSON.parse(payload);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Base64 of the last 4 KB of the log, cut at a character boundary. */
function logTail(log: string): string {
  const bytes = Buffer.from(log, 'utf8');
  let tail = bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES));
  while (tail.length > 0 && (tail[0]! & 0xc0) === 0x80) tail = tail.subarray(1);
  return tail.toString('base64');
}
