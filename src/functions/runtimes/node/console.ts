/**
 * Output accounting and console patching, as the AWS runtime interface client's LogPatch does for stdout.
 *
 * Every byte that goes through process.stdout / process.stderr is counted so that each response can tell Portico how
 * much output precedes it (PROTOCOL.md): Portico then knows when it has read every log line of an invocation.
 */
import { format } from 'node:util';

interface Level {
  readonly name: string;
  readonly priority: number;
}

// Priorities as in the RIC; AWS_LAMBDA_LOG_LEVEL names the lowest level that is still written.
const LEVELS = {
  TRACE: { name: 'TRACE', priority: 1 },
  DEBUG: { name: 'DEBUG', priority: 2 },
  INFO: { name: 'INFO', priority: 3 },
  WARN: { name: 'WARN', priority: 4 },
  ERROR: { name: 'ERROR', priority: 5 },
  FATAL: { name: 'FATAL', priority: 6 },
} as const satisfies Record<string, Level>;

const written = { stdout: 0, stderr: 0 };

// The RIC keeps the current request id under a global symbol so that copies of its code agree; we do the same so
// tools that read it (Powertools reads this symbol when present) keep working.
const REQUEST_ID = Symbol.for('aws.lambda.runtime.requestId');
const TENANT_ID = Symbol.for('aws.lambda.runtime.tenantId');
const store = globalThis as unknown as Record<symbol, string | undefined>;

export function setRequestContext(requestId: string | undefined, tenantId?: string | null): void {
  store[REQUEST_ID] = requestId;
  store[TENANT_ID] = tenantId ?? undefined;
}

/** Bytes written to fd 1 and fd 2 so far, plus the peak RSS, as every response message carries them. */
export function outputStats(): { stdout: number; stderr: number; maxRss: number } {
  return { stdout: written.stdout, stderr: written.stderr, maxRss: process.resourceUsage().maxRSS * 1024 };
}

type Write = typeof process.stdout.write;

/** Wraps write() of both stdio streams with a byte counter. Idempotent per stream. */
export function countOutput(): void {
  wrap(process.stdout, 'stdout');
  wrap(process.stderr, 'stderr');
}

const COUNTED = Symbol('portico.counted');

function wrap(stream: NodeJS.WriteStream, key: keyof typeof written): void {
  const tagged = stream as NodeJS.WriteStream & { [COUNTED]?: true };
  if (tagged[COUNTED]) return;
  tagged[COUNTED] = true;
  const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = function countedWrite(chunk: unknown, ...rest: unknown[]): boolean {
    written[key] += byteLength(chunk, typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8');
    return original(chunk, ...rest);
  } as Write;
}

function byteLength(chunk: unknown, encoding: BufferEncoding): number {
  if (typeof chunk === 'string') return Buffer.byteLength(chunk, Buffer.isEncoding(encoding) ? encoding : 'utf8');
  if (ArrayBuffer.isView(chunk)) return chunk.byteLength;
  return 0;
}

type LogFn = (level: Level, message: unknown, ...params: unknown[]) => void;

/**
 * Text format: `<ISO time>\t<requestId>\t<LEVEL>\t<util.format(...)>`. Like the RIC's stdout logger, newlines inside
 * a message become `\r` so one console call stays one line (one log event) for whoever splits stdout on `\n`.
 */
function logText(level: Level, message: unknown, ...params: unknown[]): void {
  const line = `${new Date().toISOString()}\t${store[REQUEST_ID]}\t${level.name}\t${format(message, ...params)}`;
  process.stdout.write(line.replace(/\n/g, '\r') + '\n');
}

/** JSON format (AWS_LAMBDA_LOG_FORMAT=JSON), field for field as the RIC's formatJsonMessage. */
function logJson(level: Level, message: unknown, ...params: unknown[]): void {
  const entry: Record<string, unknown> = {
    timestamp: new Date().toISOString(),
    level: level.name,
    requestId: store[REQUEST_ID],
  };
  if (store[TENANT_ID]) entry.tenantId = store[TENANT_ID];
  process.stdout.write(jsonLine(entry, message, params).replace(/\n/g, '\r') + '\n');
}

function jsonLine(entry: Record<string, unknown>, message: unknown, params: unknown[]): string {
  if (params.length === 0) {
    entry.message = message;
    try {
      return JSON.stringify(entry, jsonErrorReplacer);
    } catch {
      entry.message = format(message);
      return JSON.stringify(entry);
    }
  }
  entry.message = format(message, ...params);
  const error = params.find((p): p is Error => p instanceof Error);
  if (error) {
    entry.errorType = error.constructor?.name ?? 'UnknownError';
    entry.errorMessage = error.message;
    entry.stackTrace = typeof error.stack === 'string' ? error.stack.split('\n') : [];
  }
  return JSON.stringify(entry);
}

function jsonErrorReplacer(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return Object.assign(
    {
      errorType: value.constructor?.name ?? 'UnknownError',
      errorMessage: value.message,
      stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack,
    },
    value,
  );
}

let jsonFormat = false;

export function isJsonFormat(): boolean {
  return jsonFormat;
}

/**
 * Replaces console.trace/debug/info/log/warn/error (and adds console.fatal) with Lambda-format loggers. Called once at
 * specialisation, after the function's environment is merged, because the format and level come from it.
 */
export function patchConsole(): void {
  jsonFormat = process.env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON';
  const log: LogFn = jsonFormat ? logJson : logText;
  const minimum = LEVELS[process.env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase() as keyof typeof LEVELS] ?? LEVELS.TRACE;
  const make = (level: Level) =>
    level.priority >= minimum.priority ? (message?: unknown, ...params: unknown[]) => log(level, message, ...params) : () => {};
  const target = console as Console & { fatal?: (...args: unknown[]) => void };
  target.trace = make(LEVELS.TRACE);
  target.debug = make(LEVELS.DEBUG);
  target.info = make(LEVELS.INFO);
  target.log = target.info;
  target.warn = make(LEVELS.WARN);
  target.error = make(LEVELS.ERROR);
  target.fatal = make(LEVELS.FATAL);
}
