// 1. Gateway throughput and latency: GET /hello on a warm Node function through the real `portico up`, against
// a bare Node `http` server process answering the same bytes; autocannon at 10 and 50 connections, targets
// interleaved (ABBA) after a warm-up of each.
import type { BenchConfig } from './lib/config.js';
import { get, parallelAgent } from './lib/http.js';
import { interleaved, type LoadSummary } from './lib/load.js';
import { descendants } from './lib/memory.js';
import type { Bare, Portico } from './lib/proc.js';
import { ratio, verdict, type MeasurementResult, type Row } from './lib/results.js';

export const RATIO_TARGET = 0.3;
export const RATIO_NEXT_GOAL = 0.5;
const ADDED_P99_TARGET_MS = 1;

/**
 * Fires `n` requests at once so that `n` environments exist before autocannon starts (each environment serves
 * one invocation at a time, so `n` connections need `n` environments): their cold starts stay out of the figures.
 */
export async function prewarm(url: string, n: number): Promise<{ ms: number; failed: number }> {
  const agent = parallelAgent();
  const started = performance.now();
  const replies = await Promise.allSettled(Array.from({ length: n }, () => get(url, agent, 30_000)));
  agent.destroy();
  return { ms: performance.now() - started, failed: replies.filter((r) => r.status === 'rejected' || r.value.status !== 200).length };
}

/** Checks both targets answer 200 with the same body before measuring; returns what each answered. */
export async function sameAnswer(portico: string, bare: string): Promise<Record<string, unknown>> {
  const [p, b] = await Promise.all([get(portico), get(bare)]);
  if (p.status !== 200) throw new Error(`portico answered ${p.status} on ${portico}: ${p.body.slice(0, 300)}`);
  if (b.status !== 200) throw new Error(`bare server answered ${b.status}`);
  if (p.body !== b.body) throw new Error(`bodies differ: portico ${JSON.stringify(p.body)} vs bare ${JSON.stringify(b.body)}`);
  return {
    portico: { headers: p.headers, headerCount: p.rawHeaderCount, bodyBytes: Buffer.byteLength(p.body) },
    bare: { headers: b.headers, headerCount: b.rawHeaderCount, bodyBytes: Buffer.byteLength(b.body) },
  };
}

/** Where the CPU went: autocannon shares the machine's cores with the server under test. */
export function cpuNote(p: LoadSummary, b: LoadSummary, names = ['portico', 'bare']): string {
  const f = (x: number): string => `${x.toFixed(0)}%`;
  return (
    `CPU (% of one core) while measuring ${names[0]}: autocannon ${f(p.cpu.loadGenPct)}, ${names[0]} ${f(p.cpu.serverPct)}, its environments ${f(p.cpu.childrenPct)}; ` +
    `while measuring ${names[1]}: autocannon ${f(b.cpu.loadGenPct)}, ${names[1]} ${f(b.cpu.serverPct)}${b.cpu.childrenPct >= 0.5 ? `, its environments ${f(b.cpu.childrenPct)}` : ''}`
  );
}

export function loadRows(id: string, c: number, p: LoadSummary, b: LoadSummary, withTargets: boolean): Row[] {
  const r = ratio(p.rps, b.rps);
  const added = p.latencyMs.p99 - b.latencyMs.p99;
  const failures = p.non2xx + p.errors + p.timeouts;
  const rows: Row[] = [
    {
      id,
      metric: `req/s, c=${c}`,
      unit: 'req/s',
      portico: p.rps,
      baseline: b.rps,
      baselineLabel: 'bare',
      ratio: r,
      target: withTargets ? `≥ ${RATIO_TARGET}× (next ${RATIO_NEXT_GOAL}×)` : undefined,
      verdict: withTargets ? verdict((r ?? 0) >= RATIO_TARGET) : undefined,
      note: `${cpuNote(p, b)}${failures ? `; portico: ${p.non2xx} non-2xx, ${p.errors} errors, ${p.timeouts} timeouts` : ''}`,
    },
    { id, metric: `latency p50, c=${c}`, unit: 'ms', portico: p.latencyMs.p50, baseline: b.latencyMs.p50, baselineLabel: 'bare', ratio: ratio(p.latencyMs.p50, b.latencyMs.p50) },
    { id, metric: `latency p99, c=${c}`, unit: 'ms', portico: p.latencyMs.p99, baseline: b.latencyMs.p99, baselineLabel: 'bare', ratio: ratio(p.latencyMs.p99, b.latencyMs.p99) },
  ];
  if (withTargets && c === 10) {
    rows.push({ id, metric: `added p99 (portico − bare), c=${c}`, unit: 'ms', portico: added, target: `≤ ${ADDED_P99_TARGET_MS} ms`, verdict: verdict(added <= ADDED_P99_TARGET_MS) });
  }
  return rows;
}

export async function measureGateway(portico: Portico, bare: Bare, cfg: BenchConfig, afterC50: () => Promise<void>): Promise<MeasurementResult> {
  const targets = { portico: { url: `${portico.gateway}/hello`, pid: portico.pid }, bare: { url: `${bare.url}/hello`, pid: bare.pid } };
  const answers = await sameAnswer(targets.portico.url, targets.bare.url);
  const rows: Row[] = [];
  const details: Record<string, unknown> = { answers };
  for (const c of [10, 50]) {
    const warm = await prewarm(targets.portico.url, c);
    const summaries = await interleaved(targets, c, { warmupS: cfg.warmupS, segmentS: cfg.segmentS, segmentsPerTarget: cfg.segmentsPerTarget });
    const environments = descendants(portico.pid).length;
    details[`c${c}`] = { prewarm: warm, ...summaries, porticoDescendantProcesses: environments };
    rows.push(...loadRows('1', c, summaries.portico!, summaries.bare!, true));
    if (c === 50) await afterC50();
  }
  return {
    id: '1',
    title: `Gateway throughput & latency, GET /hello, ${cfg.segmentsPerTarget}×${cfg.segmentS} s per target after ${cfg.warmupS} s warm-up`,
    rows,
    details,
  };
}

