/**
 * Drives the real compiled Node.js runtime client the way Portico does: spawn it with a socket on fd 3, wait for
 * `ready`, send `init`, then `invoke` messages, all NDJSON. Fixtures are copied to a fresh temporary folder first, so
 * that neither the repository's package.json ("type": "module") nor its node_modules (which holds @aws-sdk) is an
 * ancestor of the function code — exactly the situation of a deployed function.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BOOTSTRAP = resolve(process.cwd(), 'dist/src/functions/runtimes/node/bootstrap.js');
export const FIXTURES = resolve(process.cwd(), 'test/fixtures/functions/node');

export type Message = Record<string, unknown> & { type: string };

export interface InitOptions {
  readonly runtime?: string;
  readonly env?: Record<string, string>;
  readonly transport?: 'pipe' | 'http';
  /** Leave `runtime` out of the init message (the runtime then reads AWS_EXECUTION_ENV). */
  readonly omitRuntimeField?: boolean;
}

/**
 * Copies test/fixtures/functions/node/<name> into a new temporary folder and returns that folder. A fixture's
 * `node_modules_` folder becomes `node_modules` (the repository's .gitignore excludes folders named node_modules).
 */
export function fixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `portico-node-${name}-`));
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  if (existsSync(join(dir, 'node_modules_'))) renameSync(join(dir, 'node_modules_'), join(dir, 'node_modules'));
  return dir;
}

export function baseEnv(taskRoot: string, handler: string, runtime: string): Record<string, string> {
  return {
    AWS_LAMBDA_FUNCTION_NAME: 'fixture-fn',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/fixture-fn',
    AWS_LAMBDA_LOG_STREAM_NAME: '2024/01/01/[$LATEST]abcdef',
    AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}`,
    LAMBDA_TASK_ROOT: taskRoot,
    _HANDLER: handler,
    TZ: ':UTC',
  };
}

export class Environment {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  private readonly control: Duplex;
  private buffered = '';
  private readonly messages: Message[] = [];
  private waiter: (() => void) | undefined;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private dirs: string[] = [];
  private hasExited = false;

  private constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, [BOOTSTRAP], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    });
    this.child.stdout!.setEncoding('utf8').on('data', (c: string) => (this.stdout += c));
    this.child.stderr!.setEncoding('utf8').on('data', (c: string) => (this.stderr += c));
    this.control = this.child.stdio[3] as Duplex;
    this.control.setEncoding('utf8');
    this.control.on('data', (c: string) => this.receive(c));
    this.control.on('error', () => {});
    this.exited = new Promise((resolveExit) =>
      // 'close' (not 'exit'): all stdio, fd 3 included, has been read by then, so no message is lost.
      this.child.on('close', (code, signal) => {
        this.hasExited = true;
        this.waiter?.();
        resolveExit({ code, signal });
      }),
    );
  }

  /** Spawns a stem cell and waits for its `ready`. */
  static async start(env: Record<string, string> = {}): Promise<Environment> {
    const e = new Environment(env);
    const ready = await e.next();
    if (ready.type !== 'ready') throw new Error(`expected ready, got ${JSON.stringify(ready)}`);
    return e;
  }

  /** Starts a stem cell and specialises it with a copy of the named fixture. */
  static async ready(name: string, handler: string, options: InitOptions = {}): Promise<{ env: Environment; init: Message }> {
    const env = await Environment.start();
    const init = await env.init(name, handler, options);
    return { env, init };
  }

  async init(name: string, handler: string, options: InitOptions = {}): Promise<Message> {
    const taskRoot = fixture(name);
    this.dirs.push(taskRoot);
    const runtime = options.runtime ?? 'nodejs20.x';
    this.send({
      type: 'init',
      transport: options.transport ?? 'pipe',
      taskRoot,
      handler,
      runtime: options.omitRuntimeField ? undefined : runtime,
      env: { ...baseEnv(taskRoot, handler, runtime), ...options.env },
    });
    return this.next();
  }

  async invoke(event: unknown, extra: Record<string, unknown> = {}): Promise<Message> {
    const requestId = randomUUID();
    this.send({
      type: 'invoke',
      requestId,
      deadlineMs: Date.now() + 30_000,
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fixture-fn',
      traceId: null,
      clientContext: null,
      cognitoIdentity: null,
      payload: JSON.stringify(event),
      ...extra,
    });
    const answer = await this.next();
    if (answer.requestId !== (extra.requestId ?? requestId)) throw new Error(`answer for another request: ${JSON.stringify(answer)}`);
    return answer;
  }

  send(message: object): void {
    this.control.write(JSON.stringify(message) + '\n');
  }

  /** The next message from fd 3; rejects after `timeoutMs`, or once the process has exited without sending one. */
  async next(timeoutMs = 10_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message within ${timeoutMs} ms; stderr: ${this.stderr}`);
      if (this.hasExited) throw new Error(`process exited (${this.child.exitCode ?? this.child.signalCode}) without answering`);
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, left);
        this.waiter = () => {
          clearTimeout(timer);
          wake();
        };
      });
    }
    return this.messages.shift()!;
  }

  /** The temporary folder the fixture of the last init was copied to. */
  taskRoot(): string {
    return this.dirs[this.dirs.length - 1];
  }

  /** Stdout lines written so far (Lambda log lines). */
  lines(): string[] {
    return this.stdout.split('\n').filter((l) => l.length > 0);
  }

  /** Resolves once stdout has received at least `bytes` bytes (what a response message announces). */
  async stdoutReaches(bytes: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Buffer.byteLength(this.stdout) < bytes) {
      if (Date.now() > deadline) throw new Error(`stdout stuck at ${Buffer.byteLength(this.stdout)} of ${bytes} bytes`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** How the process ended; rejects (and kills it) if it is still running after `timeoutMs`. */
  async exit(timeoutMs = 5000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`process still running after ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends fd 3 (Portico going away), which must make the process exit; cleans up the fixture copies. */
  async close(): Promise<void> {
    try {
      if (!this.hasExited) this.control.end();
      await this.exit();
    } finally {
      for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    }
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    let i: number;
    while ((i = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, i);
      this.buffered = this.buffered.slice(i + 1);
      this.messages.push(JSON.parse(line) as Message);
    }
    this.waiter?.();
  }
}
