import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { descendants, isAlive } from './memory.js';
import { LIB_DIR, PORTICO_BIN } from './paths.js';

/** Every child the harness started and has not yet seen exit: killed if the harness stops early. */
const live = new Set<ChildProcess>();
/** Things worth reporting that are not figures (processes left behind, stderr output …). */
export const warnings: string[] = [];

process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface Spawned {
  readonly child: ChildProcess;
  readonly pid: number;
  /** performance.now() just before spawn(). */
  readonly spawnedAt: number;
  readonly dir: string;
  stdout(): string;
  stderr(): string;
  /** Polls stdout (a file) every 2 ms until `pattern` matches; returns the match. Bounded by `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** SIGTERM, then SIGKILL after `graceMs`; reports (and kills) descendants still alive 2 s after the exit. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns a program with stdout and stderr going to files (not pipes): a process that logs a line per request
 * must never block on, or compete for CPU with, the harness draining a pipe while autocannon runs here.
 */
export function spawnLogged(label: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Spawned {
  const dir = mkdtempSync(join(tmpdir(), `portico-bench-${label}-`));
  const outFile = join(dir, 'stdout.log');
  const errFile = join(dir, 'stderr.log');
  const out = openSync(outFile, 'w');
  const err = openSync(errFile, 'w');
  const spawnedAt = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', out, err], env });
  closeSync(out);
  closeSync(err);
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  live.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      live.delete(child);
      resolve();
    }),
  );
  const read = (file: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  };
  let stopped = false;
  return {
    child,
    pid: child.pid,
    spawnedAt,
    dir,
    stdout: () => read(outFile),
    stderr: () => read(errFile),
    async waitFor(pattern, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (true) {
        const match = pattern.exec(read(outFile));
        if (match) return match;
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`${label} exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}\nstdout:\n${tail(read(outFile))}\nstderr:\n${tail(read(errFile))}`);
        }
        if (performance.now() > deadline) {
          throw new Error(`${label} did not print ${pattern} within ${timeoutMs} ms\nstdout:\n${tail(read(outFile))}\nstderr:\n${tail(read(errFile))}`);
        }
        await sleep(2);
      }
    },
    async stop(graceMs = 5000) {
      if (stopped) return;
      stopped = true;
      const pid = child.pid!;
      const family = child.exitCode === null ? descendants(pid) : [];
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          warnings.push(`${label} (pid ${pid}) did not exit within ${graceMs} ms of SIGTERM; killed`);
          child.kill('SIGKILL');
        }, graceMs);
        await exited;
        clearTimeout(timer);
      }
      for (let i = 0; i < 100 && family.some(isAlive); i++) await sleep(20);
      const left = family.filter(isAlive);
      if (left.length > 0) {
        warnings.push(`${label}: ${left.length} descendant process(es) still alive 2 s after it exited (${left.join(' ')}); killed`);
        for (const p of left) {
          try {
            process.kill(p, 'SIGKILL');
          } catch {
            // gone meanwhile
          }
        }
      }
      const errors = read(errFile).trim();
      if (errors) warnings.push(`${label} wrote to stderr: ${tail(errors, 600)}`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function tail(text: string, chars = 2000): string {
  return text.length > chars ? `…${text.slice(-chars)}` : text;
}

export interface Portico extends Spawned {
  readonly gateway: string;
  readonly awsEndpoint: string;
  readonly dataDir: string;
  readonly functions: readonly string[];
  /** performance.now() when the banner was seen. */
  readonly bannerAt: number;
}

/**
 * Starts the real `portico up <app>` as a user would (default options but ephemeral ports and a temporary data
 * directory) and waits for its banner.
 */
export async function startPortico(appDir: string, options: { env?: NodeJS.ProcessEnv; args?: readonly string[]; label?: string } = {}): Promise<Portico> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portico-bench-data-'));
  const spawned = spawnLogged(
    options.label ?? 'portico',
    process.execPath,
    [PORTICO_BIN, 'up', appDir, '--port', '0', '--aws-port', '0', '--data-dir', dataDir, ...(options.args ?? [])],
    { ...process.env, ...options.env },
  );
  try {
    const match = await spawned.waitFor(/Gateway\s+(http:\/\/\S+)[\s\S]*AWS endpoint (http:\/\/\S+)[\s\S]*\nFunctions\s+(.*)\n/, 20_000);
    const bannerAt = performance.now();
    return {
      ...spawned,
      gateway: match[1]!,
      awsEndpoint: match[2]!,
      dataDir,
      functions: match[3]!.split(', '),
      bannerAt,
      async stop(graceMs?: number) {
        await spawned.stop(graceMs);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await spawned.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

export interface Bare extends Spawned {
  readonly url: string;
}

/**
 * Starts the baseline: a bare Node `http` server in its own process (bench/lib/bare-server.ts, or another script of
 * bench/lib that prints `Listening <url>`, with its arguments).
 */
export async function startBare(script = 'bare-server.js', args: readonly string[] = []): Promise<Bare> {
  const spawned = spawnLogged(script.replace(/\.js$/, ''), process.execPath, [join(LIB_DIR, script), ...args]);
  try {
    const match = await spawned.waitFor(/Listening (http:\/\/\S+)/, 10_000);
    return { ...spawned, url: match[1]! };
  } catch (error) {
    await spawned.stop();
    throw error;
  }
}
