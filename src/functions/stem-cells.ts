import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { RuntimeFamily } from '../app/model.js';
import { PipeChannel } from './channels/pipe-channel.js';
import { EnvironmentProcess, type ProcessSpec } from './environment-process.js';

export interface StemCell {
  readonly process: EnvironmentProcess;
  readonly channel: PipeChannel;
}

/** A runtime that has not said `ready` by then is killed: a stuck interpreter must not hold a cold start forever. */
const BOOT_LIMIT_MS = 10_000;

/** Portico's runtime clients, compiled beside this file. */
export const RUNTIMES_DIR = fileURLToPath(new URL('./runtimes/', import.meta.url));
/** Portico's own package folder: its node_modules hold the AWS SDK that Lambda's Node runtimes provide. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A stem cell's environment before it knows its function: nothing of Portico's own environment leaks in. */
function stemEnvironment(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    PORTICO_PROVIDED_SDK_DIR: PACKAGE_ROOT,
    // Lambda runs a Node the provided SDK supports; here the machine's Node 20 would make every function print
    // the SDK's "versions after January 2027 need Node 22" warning.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

export function stemCellSpec(family: Exclude<RuntimeFamily, 'provided'>): ProcessSpec {
  const common = { env: stemEnvironment(), cwd: tmpdir(), controlPipe: true };
  if (family === 'node') {
    return { ...common, command: process.execPath, args: [`${RUNTIMES_DIR}node/bootstrap.js`] };
  }
  return { ...common, command: process.env.PORTICO_PYTHON ?? 'python3', args: ['-u', `${RUNTIMES_DIR}python/bootstrap.py`] };
}

/**
 * Pre-started generic runtime processes, as OpenWhisk keeps "stem cell" containers: a cold start takes one that
 * has already paid for starting the interpreter, so it costs little more than loading the handler. Each cell
 * serves one function for its whole life; the pool refills in the background.
 */
export class StemCellPool {
  private readonly ready: StemCell[] = [];
  private starting = 0;
  private closed = false;

  constructor(
    private readonly spec: ProcessSpec,
    private readonly size: number,
    private readonly bootLimitMs = BOOT_LIMIT_MS,
  ) {}

  /** Starts cells until `size` are ready or starting. */
  fill(): void {
    while (!this.closed && this.ready.length + this.starting < this.size) void this.startOne(true);
  }

  /** A ready cell, or a freshly started one when the pool is empty. */
  async take(): Promise<StemCell> {
    let cell = this.ready.pop();
    while (cell && cell.process.hasExited) cell = this.ready.pop();
    setImmediate(() => this.fill());
    return cell ?? this.startOne(false);
  }

  close(): void {
    this.closed = true;
    for (const cell of this.ready.splice(0)) {
      cell.process.kill();
      cell.channel.close();
    }
  }

  private async startOne(forPool: boolean): Promise<StemCell> {
    if (forPool) this.starting++;
    const process = new EnvironmentProcess(this.spec);
    const channel = new PipeChannel(process.controlSocket);
    const stuck = setTimeout(() => process.kill(), this.bootLimitMs);
    const booted = await Promise.race([channel.whenReady().then(() => true), process.exited.then(() => false)]);
    clearTimeout(stuck);
    if (forPool) this.starting--;
    const cell = { process, channel };
    if (!booted) {
      if (forPool && !this.closed) setTimeout(() => this.fill(), 1000).unref();
      if (!forPool) throw new Error(`the ${this.spec.command} runtime exited while starting`);
      return cell;
    }
    if (forPool) {
      if (this.closed) process.kill();
      else {
        this.ready.push(cell);
        void process.exited.then(() => this.forget(cell));
      }
    }
    return cell;
  }

  private forget(cell: StemCell): void {
    const index = this.ready.indexOf(cell);
    if (index !== -1) this.ready.splice(index, 1);
  }
}
