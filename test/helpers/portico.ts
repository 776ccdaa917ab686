import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = process.cwd();
export const PORTICO_BIN = resolve(REPO_ROOT, 'bin/portico.js');

export interface RunningPortico {
  readonly process: ChildProcess;
  readonly gateway: string;
  readonly awsEndpoint: string;
  readonly dataDir: string;
  /** Everything printed so far on stdout. */
  output(): string;
  /** Resolves when stdout or stderr contains `text` (rejects after `timeoutMs`). */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the real `portico up` on ephemeral ports, as a user would, and waits until it prints its endpoints. */
export async function startPortico(
  appDir: string,
  extraArgs: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
  ownDataDir?: string,
): Promise<RunningPortico> {
  // A data directory the caller gives is theirs to keep across restarts; one made here goes with `stop()`.
  const dataDir = ownDataDir ?? mkdtempSync(join(tmpdir(), 'portico-test-'));
  const child = spawn(
    process.execPath,
    // Tests run without the file watcher unless they ask for it with '--watch' (not a real flag: it drops --no-watch).
    [
      PORTICO_BIN, 'up', resolve(REPO_ROOT, appDir), '--port', '0', '--aws-port', '0', '--data-dir', dataDir,
      ...(extraArgs.includes('--watch') ? [] : ['--no-watch']),
      ...extraArgs.filter((arg) => arg !== '--watch'),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const waitForOutput = (text: string | RegExp, timeoutMs = 10_000): Promise<void> =>
    new Promise<void>((done, fail) => {
      const started = Date.now();
      const check = (): void => {
        const printed = stdout + stderr;
        if (typeof text === 'string' ? printed.includes(text) : text.test(printed)) return done();
        if (Date.now() - started > timeoutMs || child.exitCode !== null) {
          return fail(new Error(`portico did not print ${String(text)}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        }
        waiters.push(check);
        setTimeout(check, 100).unref();
      };
      check();
    });

  await waitForOutput(/AWS endpoint http:\/\/\S+/, 20_000);
  const gateway = /Gateway\s+(http:\/\/\S+)/.exec(stdout)![1]!;
  const awsEndpoint = /AWS endpoint (http:\/\/\S+)/.exec(stdout)![1]!;
  return {
    process: child,
    gateway,
    awsEndpoint,
    dataDir,
    output: () => stdout,
    waitForOutput,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      const code = await exited;
      if (ownDataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/** Environment for the AWS SDK, CLI and boto3 pointed at a running Portico with the development credentials. */
export function awsEnv(endpoint: string): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_REGION: 'us-east-1',
  };
}
