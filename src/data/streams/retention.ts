// 24-hour retention: stream records older than that are trimmed in the background, a bounded batch per call so the
// event loop is never held for long.
import type { Storage } from '../storage/storage.js';

export const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;
const DEFAULT_INTERVAL_MS = 60_000;
const BATCH = 1_000;

export class StreamTrimmer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly storage: Storage,
    private readonly intervalMs = DEFAULT_INTERVAL_MS,
    private readonly logger: { error(message: string): void } = console,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.trim()
        .catch((err: unknown) => this.logger.error(`stream trim: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Trims every record past retention, a batch at a time, yielding to the event loop between batches. */
  async trim(now: number = Date.now()): Promise<void> {
    while ((await this.storage.trimChanges(STREAM_RETENTION_MS, now, BATCH)) === BATCH) await new Promise((resolve) => setImmediate(resolve));
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
