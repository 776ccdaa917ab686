/**
 * Shared helpers of the gateway end-to-end tests (test/e2e/gateway-*.test.ts): fixture apps, an HTTP client with
 * exact control over header names, order and repeats, a raw-socket client, the API ids `portico up` prints, and a
 * `portico up` that watches the app folder (the shared harness always passes `--no-watch`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PORTICO_BIN, REPO_ROOT } from '../helpers/portico.js';

/** Path of a fixture app, relative to the repository root (what `startPortico` expects). */
export function fixture(name: string): string {
  return `test/fixtures/apps/${name}`;
}

export interface ApiInfo {
  readonly logicalId: string;
  readonly kind: 'REST' | 'HTTP';
  readonly stage: string;
  readonly apiId: string;
}

/** The APIs `portico up` printed, by logical id, from its `<Id> (REST API, stage Prod)` / `by host` lines. */
export function apisFrom(output: string): Map<string, ApiInfo> {
  const apis = new Map<string, ApiInfo>();
  const pattern = /^(\S+) \((REST|HTTP) API, stage (\S+)\)\n {2}by host {2}http:\/\/([a-z0-9]+)\.execute-api\.localhost:\d+/gm;
  for (const m of output.matchAll(pattern)) {
    // An API's main stage is printed first; its other stages follow under the same logical id.
    if (!apis.has(m[1]!)) apis.set(m[1]!, { logicalId: m[1]!, kind: m[2] as 'REST' | 'HTTP', stage: m[3]!, apiId: m[4]! });
  }
  return apis;
}

export function apiId(output: string, logicalId: string): string {
  const api = apisFrom(output).get(logicalId);
  if (!api) throw new Error(`portico up did not print ${logicalId}:\n${output}`);
  return api.apiId;
}

export interface Reply {
  readonly status: number;
  /** Node's view: lower-case names, repeated headers joined with `, ` (`set-cookie` kept as an array). */
  readonly headers: IncomingHttpHeaders;
  /** Names as sent by the server, one entry per header line: [name, value, name, value …]. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly text: string;
}

export interface RequestOptions {
  readonly method?: string;
  /** Header lines in order, exactly as written (a name may repeat). `Host` is added from the URL when missing. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: string | Buffer;
  readonly timeoutMs?: number;
}

/**
 * One request on its own connection (closed once the answer is in). `path` is written to the request line as given (no normalisation), so `//a`,
 * `..%2f` and `/a/` reach the server as sent.
 */
export function send(base: string, path: string, options: RequestOptions = {}): Promise<Reply> {
  const url = new URL(base);
  const lines: string[] = [];
  const given = options.headers ?? [];
  if (!given.some(([name]) => name.toLowerCase() === 'host')) lines.push('Host', url.host);
  for (const [name, value] of given) lines.push(name, value);
  // keep-alive (closed by us once answered): a server that answers before reading the whole body (413) then reads
  // the rest instead of closing on a client still writing.
  if (!given.some(([name]) => name.toLowerCase() === 'connection')) lines.push('Connection', 'keep-alive');
  const framed = given.some(([name]) => ['content-length', 'transfer-encoding'].includes(name.toLowerCase()));
  if (options.body !== undefined && !framed) {
    lines.push('Content-Length', String(Buffer.byteLength(options.body)));
  }
  return new Promise((done, fail) => {
    let answered = false;
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: options.method ?? 'GET', path, headers: lines, agent: false },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          req.destroy();
          const body = Buffer.concat(chunks);
          done({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body, text: body.toString('utf8') });
        });
        res.on('error', fail);
      },
    );
    req.setTimeout(options.timeoutMs ?? 15_000, () => req.destroy(new Error(`no answer to ${options.method ?? 'GET'} ${path}`)));
    // A server may answer before it has read the whole body (413) and then close: the answer is what counts.
    req.on('error', (error) => {
      if (!answered) fail(error);
    });
    req.end(options.body);
  });
}

/** Sends `text` as is over a new TCP connection and resolves with everything the server wrote until it closed. */
export function sendRaw(base: string, text: string | Buffer, timeoutMs = 5000): Promise<string> {
  const url = new URL(base);
  return new Promise((done, fail) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      fail(new Error(`the server did not close the connection; received: ${Buffer.concat(chunks).toString()}`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      done(Buffer.concat(chunks).toString('utf8'));
    });
    socket.write(text);
  });
}

/** The response's status code from a raw HTTP response text. */
export function rawStatus(response: string): number {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(response);
  if (!match) throw new Error(`not an HTTP response: ${JSON.stringify(response)}`);
  return Number(match[1]);
}

/** Parses a JSON body, with the text in the error when it is not JSON. */
export function json(reply: Reply): Record<string, unknown> {
  try {
    return JSON.parse(reply.text) as Record<string, unknown>;
  } catch {
    throw new Error(`status ${reply.status}, body is not JSON: ${reply.text.slice(0, 500)}`);
  }
}

/** All values of a response header, one per header line, in order (case-insensitive name). */
export function headerLines(reply: Reply, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < reply.rawHeaders.length; i += 2) {
    if (reply.rawHeaders[i]!.toLowerCase() === name.toLowerCase()) out.push(reply.rawHeaders[i + 1]!);
  }
  return out;
}

/** Polls `probe` until it returns a value other than undefined (rejects after `timeoutMs`). */
export async function waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const started = Date.now();
  while (true) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Process ids of the direct children of `pid`. */
export function childPids(pid: number): number[] {
  try {
    const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
    return out
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

/** Whether a process is still running (a zombie waiting to be reaped by a non-reaping init counts as gone). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Copies a fixture app to a fresh folder under the OS temp dir; returns the copy's path. */
export function copyFixture(name: string): string {
  const root = mkdtempSync(join(tmpdir(), 'portico-gw-'));
  const dir = join(root, name);
  cpSync(resolve(REPO_ROOT, fixture(name)), dir, { recursive: true });
  return dir;
}

export interface WatchingPortico {
  readonly pid: number;
  readonly gateway: string;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout+stderr together contain `text` `times` times (rejects after `timeoutMs`). */
  waitFor(text: string, times?: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<number | null>;
}

/** `portico up` with the watcher on (as a user runs it), on ephemeral ports and a temp data dir. */
export async function startWatching(appDir: string): Promise<WatchingPortico> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portico-test-'));
  const child = spawn(process.execPath, [PORTICO_BIN, 'up', appDir, '--port', '0', '--aws-port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const count = (text: string): number => (out + err).split(text).length - 1;
  const waitForText = async (text: string, times = 1, timeoutMs = 10_000): Promise<void> => {
    await waitFor(() => (count(text) >= times ? true : child.exitCode !== null ? false : undefined), timeoutMs, `"${text}" ×${times}`).then(
      (ok) => {
        if (!ok) throw new Error(`portico exited\nstdout:\n${out}\nstderr:\n${err}`);
      },
      (error: Error) => {
        throw new Error(`${error.message}\nstdout:\n${out}\nstderr:\n${err}`);
      },
    );
  };
  await waitForText('AWS endpoint http://', 1, 20_000);
  return {
    pid: child.pid!,
    gateway: /Gateway\s+(http:\/\/\S+)/.exec(out)![1]!,
    stdout: () => out,
    stderr: () => err,
    waitFor: waitForText,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
