/**
 * Drives Portico's Python runtime client (src/functions/runtimes/python/bootstrap.py) over its control pipe, fd 3,
 * exactly as PROTOCOL.md describes. Paths are taken from process.cwd(), the repository root.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';

export const ROOT = process.cwd();
export const RUNTIME_DIR = path.join(ROOT, 'src/functions/runtimes/python');
export const BOOTSTRAP = path.join(RUNTIME_DIR, 'bootstrap.py');
export const FIXTURES = path.join(ROOT, 'test/fixtures/functions/python');

export type Message = Record<string, unknown> & { type: string };

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The test's environment without anything that would change a Lambda runtime's behaviour. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(AWS_|LAMBDA_|_HANDLER$|_X_AMZN|PYTHON)/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

export class PyRuntime {
  readonly child: ChildProcess;
  readonly pipe: Duplex;
  readonly exited: Promise<ExitInfo>;
  private stdoutChunks: Buffer[] = [];
  private stderrChunks: Buffer[] = [];
  private pending = '';
  private queue: Message[] = [];
  private waiters: Array<(m: Message | null) => void> = [];
  private pipeEnded = false;
  private stdoutClosed: Promise<void>;
  private byteWaiters: Array<() => void> = [];

  constructor() {
    this.child = spawn('python3', ['-u', BOOTSTRAP], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: cleanEnv(),
    });
    this.pipe = this.child.stdio[3] as Duplex;
    this.child.stdout!.on('data', (b: Buffer) => {
      this.stdoutChunks.push(b);
      this.wakeBytes();
    });
    this.child.stderr!.on('data', (b: Buffer) => {
      this.stderrChunks.push(b);
      this.wakeBytes();
    });
    this.stdoutClosed = new Promise((resolve) => this.child.stdout!.on('close', () => resolve()));
    this.pipe.setEncoding('utf8');
    this.pipe.on('data', (s: string) => this.onData(s));
    this.pipe.on('error', () => this.onEnd());
    this.pipe.on('end', () => this.onEnd());
    this.pipe.on('close', () => this.onEnd());
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => resolve({ code, signal }));
    });
  }

  private onData(s: string): void {
    this.pending += s;
    let i: number;
    while ((i = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, i);
      this.pending = this.pending.slice(i + 1);
      if (!line.trim()) continue;
      const message = JSON.parse(line) as Message;
      const waiter = this.waiters.shift();
      if (waiter) waiter(message);
      else this.queue.push(message);
    }
  }

  private onEnd(): void {
    this.pipeEnded = true;
    for (const w of this.waiters.splice(0)) w(null);
  }

  private wakeBytes(): void {
    for (const w of this.byteWaiters.splice(0)) w();
  }

  send(message: Record<string, unknown>): void {
    this.pipe.write(JSON.stringify(message) + '\n');
  }

  /** The next message from the runtime; null if the pipe ended first. */
  next(timeoutMs = 15000): Promise<Message | null> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.pipeEnded) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no message from the runtime within ${timeoutMs} ms; stderr: ${this.stderrText()}`));
      }, timeoutMs);
      const waiter = (m: Message | null): void => {
        clearTimeout(timer);
        resolve(m);
      };
      this.waiters.push(waiter);
    });
  }

  async expect(type: string, timeoutMs?: number): Promise<Message> {
    const m = await this.next(timeoutMs);
    if (!m) throw new Error(`pipe ended while waiting for ${type}; stderr: ${this.stderrText()}`);
    if (m.type !== type) throw new Error(`expected ${type}, got ${JSON.stringify(m)}; stderr: ${this.stderrText()}`);
    return m;
  }

  stdoutBytes(): Buffer {
    return Buffer.concat(this.stdoutChunks);
  }

  stdoutText(): string {
    return this.stdoutBytes().toString('utf8');
  }

  stderrBytes(): Buffer {
    return Buffer.concat(this.stderrChunks);
  }

  stderrText(): string {
    return this.stderrBytes().toString('utf8');
  }

  /** Waits until at least the given byte totals have arrived on stdout / stderr (what the counters promise). */
  async waitForOutput(stdout: number, stderr: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.stdoutBytes().length < stdout || this.stderrBytes().length < stderr) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`output did not arrive: have ${this.stdoutBytes().length}/${stdout}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.byteWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Ready, then init; returns the init answer. */
  async specialise(init: Record<string, unknown>): Promise<Message> {
    await this.expect('ready');
    this.send({ type: 'init', transport: 'pipe', runtime: 'python3.11', ...init });
    const answer = await this.next();
    if (!answer) throw new Error(`pipe ended during init; stderr: ${this.stderrText()}`);
    return answer;
  }

  async invoke(
    event: unknown,
    extra: Record<string, unknown> = {},
  ): Promise<Message> {
    const requestId = (extra.requestId as string | undefined) ?? randomUUID();
    this.send({
      type: 'invoke',
      requestId,
      deadlineMs: Date.now() + 30000,
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
      traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
      clientContext: null,
      cognitoIdentity: null,
      payload: JSON.stringify(event),
      ...extra,
    });
    const answer = await this.next();
    if (!answer) throw new Error(`pipe ended during invoke; stderr: ${this.stderrText()}`);
    return answer;
  }

  /** How the process ended; rejects if it is still running after timeoutMs. */
  exit(timeoutMs = 10000): Promise<ExitInfo> {
    return withTimeout(this.exited, timeoutMs, `the runtime did not exit; stderr: ${this.stderrText()}`);
  }

  /** Stdout has been read to its end (after the process exited). */
  drained(timeoutMs = 10000): Promise<void> {
    return withTimeout(this.stdoutClosed, timeoutMs, 'stdout did not close');
  }

  async close(): Promise<ExitInfo> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.pipe.destroy();
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      const info = await this.exited;
      clearTimeout(timer);
      return info;
    }
    return this.exited;
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function baseEnv(taskRoot: string, handler: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_LAMBDA_FUNCTION_NAME: 'fn',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/fn',
    AWS_LAMBDA_LOG_STREAM_NAME: '2024/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    LAMBDA_TASK_ROOT: taskRoot,
    _HANDLER: handler,
    TZ: ':UTC',
    ...extra,
  };
}

/** Starts a runtime and specialises it for a fixture; returns the runtime and the init answer. */
export async function startFunction(
  name: string,
  handler: string,
  env: Record<string, string> = {},
): Promise<{ rt: PyRuntime; init: Message }> {
  const rt = new PyRuntime();
  const taskRoot = fixture(name);
  const init = await rt.specialise({ taskRoot, handler, env: baseEnv(taskRoot, handler, env) });
  return { rt, init };
}
