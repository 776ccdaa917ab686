import { EventEmitter } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';

/** One CloudWatch-style log event. */
export interface LogEvent {
  readonly timestamp: number;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly message: string;
}

/**
 * What was written since the last flush, in order: `texts[i]` (one or more lines) went to the log group
 * `groups[i]`, stream `streams[i]`, at `timestamps[i]`.
 */
export interface LogBatch {
  readonly groups: readonly string[];
  readonly streams: readonly string[];
  readonly timestamps: readonly number[];
  readonly texts: readonly string[];
}

/** `/aws/lambda/hello` → `<root>/aws/lambda/hello.ndjson`. */
export function logGroupFile(root: string, logGroupName: string): string {
  const safe = logGroupName
    .split('/')
    .filter((part) => part && part !== '.' && part !== '..')
    .join('/');
  return join(root, `${safe}.ndjson`);
}

/** Lines are gathered for this long before one write per group: each write wakes a libuv pool thread. */
const FLUSH_INTERVAL_MS = 25;

/**
 * Log groups stored as newline-delimited JSON files under the data directory, one event per line. What is written
 * is only kept (text, stream and time) and turned into records every few milliseconds, one write per group per
 * interval, so that nothing on the invocation path formats, escapes or waits for the disk. Subscribers (the console
 * view of `portico up`) get each interval's lines, in the order they came, as one `batch` when they are written.
 */
export class LogStore extends EventEmitter<{ batch: [LogBatch] }> {
  private readonly files = new Map<string, WriteStream>();
  private pending = emptyBatch();
  private flushScheduled = false;

  constructor(readonly root: string) {
    super();
  }

  /** Creates the group's folder; called at deploy time so that writes never touch the disk synchronously. */
  prepareGroup(logGroupName: string): void {
    mkdirSync(dirname(logGroupFile(this.root, logGroupName)), { recursive: true });
  }

  /** Appends `text` (one or more lines) as one event per line. */
  write(logGroupName: string, logStreamName: string, text: string): void {
    const pending = this.pending;
    pending.groups.push(logGroupName);
    pending.streams.push(logStreamName);
    pending.timestamps.push(Date.now());
    pending.texts.push(text);
    if (!this.flushScheduled) this.scheduleFlush();
  }

  private scheduleFlush(): void {
    this.flushScheduled = true;
    setTimeout(() => this.flush(), FLUSH_INTERVAL_MS).unref();
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    if (batch.texts.length === 0) return;
    this.pending = emptyBatch();
    for (const [group, text] of records(batch)) this.file(group).write(text);
    if (this.listenerCount('batch') > 0) this.emit('batch', batch);
  }

  async close(): Promise<void> {
    this.flush();
    const closing = [...this.files.values()].map((stream) => new Promise<void>((resolve) => stream.end(resolve)));
    this.files.clear();
    await Promise.all(closing);
  }

  private file(logGroupName: string): WriteStream {
    let stream = this.files.get(logGroupName);
    if (!stream) {
      stream = createWriteStream(logGroupFile(this.root, logGroupName), { flags: 'a' });
      stream.on('error', () => undefined);
      this.files.set(logGroupName, stream);
    }
    return stream;
  }
}

function emptyBatch(): { groups: string[]; streams: string[]; timestamps: number[]; texts: string[] } {
  return { groups: [], streams: [], timestamps: [], texts: [] };
}

/**
 * The NDJSON records of a batch by log group, one per line, written by hand around the values that need escaping
 * (a last line without its newline is a record too).
 */
function records(batch: LogBatch): Map<string, string> {
  const out = new Map<string, string>();
  let group: string | undefined;
  let text = '';
  let stream: string | undefined;
  let prefix = '';
  for (let i = 0; i < batch.texts.length; i++) {
    if (batch.groups[i] !== group) {
      if (group !== undefined) out.set(group, text);
      group = batch.groups[i]!;
      text = out.get(group) ?? '';
    }
    if (batch.streams[i] !== stream) {
      stream = batch.streams[i]!;
      prefix = `,"logStreamName":${JSON.stringify(stream)},"message":`;
    }
    const head = `{"timestamp":${batch.timestamps[i]!}${prefix}`;
    const lines = batch.texts[i]!;
    let start = 0;
    while (start < lines.length) {
      const newline = lines.indexOf('\n', start);
      const end = newline === -1 ? lines.length : newline + 1;
      text += `${head}${JSON.stringify(lines.slice(start, end))}}\n`;
      start = end;
    }
  }
  if (group !== undefined) out.set(group, text);
  return out;
}
