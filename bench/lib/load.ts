import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { descendants } from './memory.js';
import { Samples, summarize, type Summary } from './stats.js';

/** A load target: its URL and the pid of the server process (whose descendants are its environments). */
export interface Target {
  readonly url: string;
  readonly pid: number;
  /** The request to replay (default: GET `url`); the same bytes are sent every time. */
  readonly request?: { readonly method: string; readonly headers: Readonly<Record<string, string>>; readonly body: string };
}

/** CPU used during a run, in percent of one core. */
export interface LoadCpu {
  /** This process: autocannon. */
  readonly loadGenPct: number;
  /** The server process itself (portico, or the bare server). */
  readonly serverPct: number;
  /** The server's descendants (portico's environments and stem cells). */
  readonly childrenPct: number;
}

/** utime + stime of one process, in clock ticks (1/100 s); 0 when it has gone. */
function ticks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function cpuSnapshot(pid: number): { self: NodeJS.CpuUsage; server: number; children: Map<number, number> } {
  return { self: process.cpuUsage(), server: ticks(pid), children: new Map(descendants(pid).map((p) => [p, ticks(p)])) };
}

function cpuSince(pid: number, before: ReturnType<typeof cpuSnapshot>, seconds: number): LoadCpu {
  const after = cpuSnapshot(pid);
  const self = process.cpuUsage(before.self);
  let children = 0;
  for (const [p, t] of after.children) children += t - (before.children.get(p) ?? 0);
  const pct = (tickCount: number): number => (tickCount / 100 / seconds) * 100;
  return { loadGenPct: ((self.user + self.system) / 1e6 / seconds) * 100, serverPct: pct(after.server - before.server), childrenPct: pct(children) };
}

export interface LoadRun {
  readonly url: string;
  readonly connections: number;
  /** Wall-clock seconds the run took. */
  readonly seconds: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Latencies (ms, float) of the 2xx answers, as autocannon's response event reports them. */
  readonly latencies: Samples;
  readonly cpu: LoadCpu;
}

export interface LoadSummary {
  readonly connections: number;
  readonly seconds: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly rps: number;
  readonly latencyMs: Summary;
  /** Time-weighted over the runs. */
  readonly cpu: LoadCpu;
}

/**
 * One autocannon run against `url`, in this process. Latencies are taken from autocannon's `response` event
 * (float milliseconds) rather than its histogram, which rounds to whole milliseconds.
 */
export async function runLoad(target: Target, connections: number, durationS: number): Promise<LoadRun> {
  const { url, pid } = target;
  const latencies = new Samples();
  let ok = 0;
  let non2xx = 0;
  const cpuBefore = cpuSnapshot(pid);
  const started = performance.now();
  const request = target.request ? { method: target.request.method, headers: { ...target.request.headers }, body: target.request.body } : {};
  const instance = autocannon({ url, connections, duration: durationS, timeout: 10, ...request });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
    if (statusCode >= 200 && statusCode < 300) {
      ok++;
      latencies.push(responseTimeMs);
    } else non2xx++;
  });
  const result = await instance;
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSince(pid, cpuBefore, seconds);
  return { url, connections, seconds, ok, non2xx, errors: result.errors, timeouts: result.timeouts, latencies, cpu };
}

/** Merges runs against the same target (segments of an interleaved schedule). */
export function summarizeRuns(runs: readonly LoadRun[]): LoadSummary {
  const latencies = new Samples();
  for (const run of runs) latencies.append(run.latencies);
  const seconds = runs.reduce((s, r) => s + r.seconds, 0);
  const ok = runs.reduce((s, r) => s + r.ok, 0);
  const weighted = (pick: (c: LoadCpu) => number): number => (seconds > 0 ? runs.reduce((s, r) => s + pick(r.cpu) * r.seconds, 0) / seconds : 0);
  return {
    connections: runs[0]?.connections ?? 0,
    seconds,
    ok,
    non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    timeouts: runs.reduce((s, r) => s + r.timeouts, 0),
    rps: seconds > 0 ? ok / seconds : 0,
    latencyMs: summarize(latencies.values()),
    cpu: { loadGenPct: weighted((c) => c.loadGenPct), serverPct: weighted((c) => c.serverPct), childrenPct: weighted((c) => c.childrenPct) },
  };
}

/**
 * Measures targets side by side: after a warm-up of each, runs `segmentsPerTarget` segments per target in an
 * ABBA… order, so that drift (thermal, other load on the machine) falls on both alike.
 */
export async function interleaved(
  targets: Readonly<Record<string, Target>>,
  connections: number,
  options: { warmupS: number; segmentS: number; segmentsPerTarget: number },
): Promise<Record<string, LoadSummary>> {
  const names = Object.keys(targets);
  for (const name of names) await runLoad(targets[name]!, connections, options.warmupS);
  const runs: Record<string, LoadRun[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < options.segmentsPerTarget; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) runs[name]!.push(await runLoad(targets[name]!, connections, options.segmentS));
  }
  return Object.fromEntries(names.map((n) => [n, summarizeRuns(runs[n]!)]));
}
