/**
 * Group commit for the WAL: makes committed transactions durable against power loss without blocking the event loop.
 *
 * SQLite's own `synchronous = FULL` fsyncs the WAL inside every COMMIT, on the thread that runs it — for
 * better-sqlite3 the event loop's, so each write stalled every request of the process for the length of an fsync,
 * and concurrent writes paid one fsync each. Instead the connection runs with `synchronous = NORMAL` (SQLite still
 * fsyncs around checkpoints, so the database can never be corrupted) and each write waits, before it is acknowledged,
 * for an `fsync` of the WAL file issued here on libuv's thread pool. fsync flushes the file (the inode), whichever
 * descriptor wrote it, so one call covers every commit made before it started: writes arriving while one runs share
 * the next one. The call is `fdatasync`, as SQLite's own WAL sync on Linux: it flushes the data and what is needed to
 * read it back (the file size), but not the modification time, which saves a journal commit of the inode per sync.
 */
import { close, fdatasync, fsync, open } from 'node:fs';
import { dirname } from 'node:path';

type FsyncFn = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => void;

interface Group {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

export class GroupCommit {
  private fd: number | undefined;
  /** The fsync to start at the end of this event-loop turn: every commit made in the turn shares it. */
  private pending: Group | undefined;
  /** The fsync running now: it covers the commits made before it started. */
  private running: Group | undefined;
  /** Commits made while `running` was already under way: they need the fsync after it. */
  private next: Group | undefined;
  private closed = false;
  /**
   * The first failed fsync. Linux reports a write-back error once per file: a later fsync could succeed without the
   * lost pages ever reaching the disk, so after one failure no write is acknowledged again until a restart (as
   * PostgreSQL does).
   */
  private failure: Error | undefined;

  /** `syncFile` is injectable so tests can hold an fsync open and see that nothing is acknowledged before it ends. */
  constructor(
    private readonly walPath: string,
    private readonly syncFile: FsyncFn = fdatasync,
  ) {}

  /** Resolves once every transaction committed before this call is on disk. */
  durable(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.next ??= group();
      return this.next.promise;
    }
    if (!this.pending) {
      // Requests read in the same turn commit before setImmediate runs: one fsync for all of them, at no latency.
      this.pending = group();
      setImmediate(() => {
        const current = this.pending!;
        this.pending = undefined;
        this.running = current;
        this.start(current);
      });
    }
    return this.pending.promise;
  }

  /** Waits for the fsyncs under way, then releases the file. */
  async close(): Promise<void> {
    await Promise.allSettled([this.pending?.promise, this.running?.promise, this.next?.promise]);
    this.closed = true;
    if (this.fd !== undefined) close(this.fd, () => undefined);
    this.fd = undefined;
  }

  private start(current: Group): void {
    if (this.failure) return this.finish(current, null);
    this.withFd((openError, fd) => {
      if (openError) return this.finish(current, openError);
      this.syncFile(fd, (error) => this.finish(current, error));
    });
  }

  private finish(current: Group, error: NodeJS.ErrnoException | null): void {
    if (error) this.failure ??= new Error(`fsync of ${this.walPath} failed: ${error.message}; writes are refused until Portico restarts`);
    if (this.failure) current.reject(this.failure);
    else current.resolve();
    this.running = this.next;
    this.next = undefined;
    if (this.running) this.start(this.running);
  }

  /**
   * The WAL exists once the first transaction committed; it is opened once and kept (SQLite reuses the file). SQLite
   * creates it afresh at each start, so its directory entry is made durable too, once, before the first sync counts.
   */
  private withFd(then: (error: NodeJS.ErrnoException | null, fd: number) => void): void {
    if (this.fd !== undefined) return then(null, this.fd);
    open(this.walPath, 'r', (error, fd) => {
      if (error) return then(error, -1);
      syncDirectory(dirname(this.walPath), (dirError) => {
        if (dirError) {
          close(fd, () => undefined);
          return then(dirError, -1);
        }
        this.fd = fd;
        then(null, fd);
      });
    });
  }
}

/** fsync of a directory: makes the names created in it durable. */
function syncDirectory(dir: string, then: (error: NodeJS.ErrnoException | null) => void): void {
  open(dir, 'r', (openError, fd) => {
    if (openError) return then(openError);
    fsync(fd, (syncError) => close(fd, () => then(syncError)));
  });
}

function group(): Group {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
