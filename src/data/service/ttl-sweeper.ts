// Time to Live: deletes the expired items of the tables with TTL enabled, in the background, as DynamoDB does
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html). An item is expired when
// its TTL attribute is a Number (seconds since the epoch) earlier than now, but not more than five years earlier
// (AWS leaves such items alone). Items without the attribute or with another type stay. Until the sweeper gets to
// them, expired items still show up in reads, as on AWS.
//
// Each table is scanned in pages bounded by `maxExamined`; each candidate is deleted in a transaction that reads it
// again, so an item rewritten since the scan (a new TTL, or no TTL) is kept.
import type { Item } from '../types/attribute-value.js';
import { StorageError, type ItemKey, type Storage, type TableInfo } from '../storage/storage.js';
import { readMetadata, ttlAttribute } from './tables.js';
import { recordChange } from '../streams/change-log.js';

export const DEFAULT_TTL_SWEEP_INTERVAL_MS = 5_000;
const DEFAULT_PAGE_EXAMINED = 1_000;
/** AWS ignores expiry times more than five years in the past. */
export const TTL_MAX_AGE_SECONDS = 5 * 365 * 24 * 60 * 60;

export interface TtlSweeperOptions {
  /** Between sweeps; default 5 s. */
  readonly intervalMs?: number;
  /** Stored items examined per scan page; default 1,000. */
  readonly pageExamined?: number;
  readonly now?: () => Date;
  readonly logger?: { error(message: string): void };
}

/** Whether `item` is expired at `nowSeconds` under TTL attribute `attribute`. */
export function isExpired(item: Item, attribute: string, nowSeconds: number): boolean {
  const value = item[attribute];
  if (!value || !('N' in value)) return false;
  const expiry = Number(value.N);
  if (!Number.isFinite(expiry)) return false;
  return expiry < nowSeconds && expiry >= nowSeconds - TTL_MAX_AGE_SECONDS;
}

export class TtlSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;
  private readonly intervalMs: number;
  private readonly pageExamined: number;
  private readonly now: () => Date;
  private readonly logger: { error(message: string): void };

  constructor(
    private readonly storage: Storage,
    options: TtlSweeperOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? DEFAULT_TTL_SWEEP_INTERVAL_MS;
    this.pageExamined = options.pageExamined ?? DEFAULT_PAGE_EXAMINED;
    this.now = options.now ?? (() => new Date());
    this.logger = options.logger ?? console;
  }

  /** Sweeps every `intervalMs` until `stop`; the timer does not keep the process alive. */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      void this.sweep().catch((err: unknown) => this.logger.error(`ttl sweep: ${err instanceof Error ? err.message : String(err)}`));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a sweep under way (call before closing the storage). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => 0);
  }

  /** One pass over every table with TTL enabled; resolves to how many items were deleted. */
  sweep(): Promise<number> {
    if (this.running) return this.running;
    const run = this.sweepAll().finally(() => {
      this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async sweepAll(): Promise<number> {
    let deleted = 0;
    let startAfter: string | undefined;
    do {
      const page = await this.storage.listTables(startAfter === undefined ? {} : { startAfter });
      for (const table of page.tables) {
        if (this.stopped) return deleted;
        try {
          deleted += await this.sweepTable(table);
        } catch (err) {
          // Deleted while being swept: nothing left to do for it.
          if (!(err instanceof StorageError && err.code === 'TableNotFound')) throw err;
        }
      }
      startAfter = page.lastName;
    } while (startAfter !== undefined);
    return deleted;
  }

  private async sweepTable(table: TableInfo): Promise<number> {
    const attribute = ttlAttribute(readMetadata(table));
    if (attribute === undefined) return 0;
    let deleted = 0;
    let startAfter: ItemKey | undefined;
    do {
      if (this.stopped) return deleted;
      const nowSeconds = this.now().getTime() / 1000;
      const page = await this.storage.scan({ table: table.name, maxExamined: this.pageExamined, limit: this.pageExamined, ...(startAfter ? { startAfter } : {}) });
      for (const stored of page.items) {
        if (!isExpired(JSON.parse(stored.item) as Item, attribute, nowSeconds)) continue;
        if (await this.deleteIfExpired(table, stored, attribute, nowSeconds)) deleted++;
      }
      // Absent once the table is exhausted (the storage contract).
      startAfter = page.lastKey;
    } while (startAfter !== undefined);
    return deleted;
  }

  private async deleteIfExpired(table: TableInfo, key: ItemKey, attribute: string, nowSeconds: number): Promise<boolean> {
    return this.storage.transaction(async (tx) => {
      const text = await tx.getItem(table.name, key);
      const current = text === undefined ? undefined : (JSON.parse(text) as Item);
      if (current === undefined || !isExpired(current, attribute, nowSeconds)) return false;
      await tx.deleteItem(table.name, { pk: key.pk, sk: key.sk });
      // The REMOVE record names the DynamoDB service as its user, in this same transaction.
      await recordChange(tx, table, current, undefined, { now: this.now(), byTtl: true });
      return true;
    });
  }
}
