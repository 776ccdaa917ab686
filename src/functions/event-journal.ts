import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { InvokeOptions } from './function-service.js';

/** An accepted event invocation as the journal keeps it until it has run (or failed for good). */
export interface JournalEntry {
  readonly requestId: string;
  readonly functionName: string;
  readonly payload: string;
  readonly options: InvokeOptions;
}

type Record = ({ readonly op: 'accepted' } & JournalEntry) | { readonly op: 'done'; readonly requestId: string };

/**
 * The event queue's write-ahead journal: an event invocation is on disk, synced, before the Invoke API answers 202,
 * so that an accepted invocation survives `kill -9`; a `done` record retires it. On start the entries still pending
 * are read back and the journal is rewritten with only those.
 */
export class EventJournal {
  private handle: FileHandle | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  /** Reads what is still pending from a previous run and starts a fresh journal holding only that. */
  async open(): Promise<JournalEntry[]> {
    await mkdir(dirname(this.file), { recursive: true });
    const pending = await this.readPending();
    const fresh = `${this.file}.new`;
    const handle = await open(fresh, 'w');
    await handle.writeFile(pending.map((entry) => line({ op: 'accepted', ...entry })).join(''));
    await handle.datasync();
    await handle.close();
    await rename(fresh, this.file);
    this.handle = await open(this.file, 'a');
    return pending;
  }

  /** Resolves once the entry is durably on disk. */
  accepted(entry: JournalEntry): Promise<void> {
    return this.append(line({ op: 'accepted', ...entry }), true);
  }

  done(requestId: string): void {
    void this.append(line({ op: 'done', requestId }), false);
  }

  async close(): Promise<void> {
    await this.writing;
    await this.handle?.close();
    this.handle = undefined;
  }

  private append(text: string, sync: boolean): Promise<void> {
    const write = this.writing.then(async () => {
      if (!this.handle) return;
      await this.handle.appendFile(text);
      if (sync) await this.handle.datasync();
    });
    this.writing = write.catch(() => undefined);
    return write;
  }

  private async readPending(): Promise<JournalEntry[]> {
    const text = await readFile(this.file, 'utf8').catch(() => '');
    const pending = new Map<string, JournalEntry>();
    for (const raw of text.split('\n')) {
      const record = parse(raw);
      if (record?.op === 'accepted') pending.set(record.requestId, entryOf(record));
      else if (record?.op === 'done') pending.delete(record.requestId);
    }
    return [...pending.values()];
  }
}

function line(record: Record): string {
  return `${JSON.stringify(record)}\n`;
}

/** A torn last line (the crash happened mid-write, before the 202) is skipped. */
function parse(raw: string): Record | undefined {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Record;
  } catch {
    return undefined;
  }
}

function entryOf(record: JournalEntry): JournalEntry {
  return { requestId: record.requestId, functionName: record.functionName, payload: record.payload, options: record.options };
}
