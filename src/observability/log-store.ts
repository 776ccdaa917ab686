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
 * Log groups stored as newline-delimited JSON files under the data directory, one event per line. Lines are
 * gathered per group and appended every few milliseconds through a write stream, so that nothing on the
 * invocation path waits for the disk and a busy gateway makes one write per group per interval, not one per line.
 * Subscribers (the console view of `portico up`) get every event as it is written.
 */
export class LogStore extends EventEmitter<{ event: [LogEvent] }> {
  private readonly files = new Map<string, WriteStream>();
  private readonly pending = new Map<string, string[]>();
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
    let lines = this.pending.get(logGroupName);
    if (!lines) this.pending.set(logGroupName, (lines = []));
    const timestamp = Date.now();
    // The record is written by hand around the one value that needs escaping: this runs for every log line.
    const prefix = `{"timestamp":${timestamp},"logStreamName":${JSON.stringify(logStreamName)},"message":`;
    const subscribed = this.listenerCount('event') > 0;
    let start = 0;
    while (start < text.length) {
      const newline = text.indexOf('\n', start);
      const end = newline === -1 ? text.length : newline + 1;
      const message = text.slice(start, end);
      lines.push(`${prefix}${JSON.stringify(message)}}\n`);
      if (subscribed) this.emit('event', { timestamp, logGroupName, logStreamName, message });
      start = end;
    }
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setTimeout(() => this.flush(), FLUSH_INTERVAL_MS).unref();
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const [group, lines] of this.pending) this.file(group).write(lines.join(''));
    this.pending.clear();
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
