import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';

export interface ProcessSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Give the child Portico's private channel on fd 3 (own runtimes only). */
  readonly controlPipe: boolean;
}

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: string | null;
}

export type OutputListener = (text: string) => void;

/**
 * `setpriv --pdeathsig` makes the kernel kill an environment when Portico dies, even by SIGKILL, so a crashed
 * Portico leaves no orphans behind. Checked once at start-up, never on the request path.
 */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

/**
 * One OS process of an execution environment: started in its own process group (so that killing it also kills
 * whatever it started), its stdout and stderr read line by line and counted.
 */
export class EnvironmentProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<ExitStatus>;
  hasExited = false;
  private outputListener: OutputListener | undefined;
  private received = { stdout: 0, stderr: 0 };
  private partial = { stdout: '', stderr: '' };
  /** Decoders keep a multi-byte character split across two reads whole. */
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private waiter: { marks: { stdout: number; stderr: number }; resolve: () => void } | undefined;

  constructor(spec: ProcessSpec) {
    const [command, args] = SETPRIV
      ? [SETPRIV, ['--pdeathsig', 'SIGKILL', '--', spec.command, ...spec.args]]
      : [spec.command, [...spec.args]];
    this.child = spawn(command, args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: spec.controlPipe ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.hasExited = true;
        resolve({ code, signal });
        this.releaseWaiter();
      });
      this.child.once('error', () => {
        this.hasExited = true;
        resolve({ code: 127, signal: null });
        this.releaseWaiter();
      });
    });
    this.child.stdout?.on('data', (chunk: Buffer) => this.receive('stdout', chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => this.receive('stderr', chunk));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get controlSocket(): Socket {
    return this.child.stdio[3] as Socket;
  }

  set onOutput(listener: OutputListener | undefined) {
    this.outputListener = listener;
  }

  /** Whether at least the given byte counts have been read from stdout and stderr. */
  hasOutput(stdoutBytes: number, stderrBytes: number): boolean {
    return this.received.stdout >= stdoutBytes && this.received.stderr >= stderrBytes;
  }

  /** Resolves once at least the given byte counts have been read from stdout and stderr (or the process exits). */
  waitForOutput(stdoutBytes = 0, stderrBytes = 0): Promise<void> {
    if (this.hasExited || (this.received.stdout >= stdoutBytes && this.received.stderr >= stderrBytes)) {
      return Promise.resolve();
    }
    // Released by receive() or by the exit handlers: no reaction is added to `exited` per call, which a long-lived
    // environment would otherwise collect one of per invocation.
    return new Promise((resolve) => {
      this.waiter = { marks: { stdout: stdoutBytes, stderr: stderrBytes }, resolve };
    });
  }

  /** Emits output that has no trailing newline yet, at the end of an invocation. */
  flushPartialLines(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) {
        this.outputListener?.(`${this.partial[stream]}\n`);
        this.partial[stream] = '';
      }
    }
  }

  kill(): void {
    if (this.hasExited || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
  }

  private receive(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    this.received[stream] += chunk.length;
    const text = this.partial[stream] + this.decoders[stream].write(chunk);
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline === -1) {
      this.partial[stream] = text;
    } else {
      this.partial[stream] = text.slice(lastNewline + 1);
      this.outputListener?.(text.slice(0, lastNewline + 1));
    }
    this.releaseWaiter();
  }

  private releaseWaiter(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    if (this.hasExited || (this.received.stdout >= waiter.marks.stdout && this.received.stderr >= waiter.marks.stderr)) {
      this.waiter = undefined;
      waiter.resolve();
    }
  }
}
