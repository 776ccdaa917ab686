// 2. Start to first 200: from spawning `portico up bench/apps/hello --port 0 …` until GET /hello first answers
// 200 (the printed Gateway URL is parsed, then the port polled); baseline: the same for the bare server process.
import type { BenchConfig } from './lib/config.js';
import { get } from './lib/http.js';
import { app } from './lib/paths.js';
import { sleep, startBare, startPortico, type Spawned } from './lib/proc.js';
import { ratio, verdict, type MeasurementResult } from './lib/results.js';
import { summarize } from './lib/stats.js';

const TARGET_MS = 300;

interface StartSample {
  /** Spawn → URL printed. */
  readonly printedMs: number;
  /** Spawn → first 200 on GET /hello. */
  readonly first200Ms: number;
  /** Answers other than 200 (and refused connections) seen while polling. */
  readonly misses: number;
}

async function firstOk(started: Spawned, printedAt: number, url: string): Promise<StartSample> {
  const deadline = performance.now() + 20_000;
  let misses = 0;
  while (performance.now() < deadline) {
    try {
      const reply = await get(url, false, 10_000);
      if (reply.status === 200) {
        return { printedMs: printedAt - started.spawnedAt, first200Ms: performance.now() - started.spawnedAt, misses };
      }
    } catch {
      // not listening yet
    }
    misses++;
    await sleep(1);
  }
  throw new Error(`no 200 from ${url} within 20 s of the URL being printed`);
}

async function startPorticoOnce(): Promise<StartSample> {
  const portico = await startPortico(app('hello'), { label: 'portico-start' });
  try {
    return await firstOk(portico, portico.bannerAt, `${portico.gateway}/hello`);
  } finally {
    await portico.stop();
  }
}

async function startBareOnce(): Promise<StartSample> {
  const bare = await startBare();
  const printedAt = performance.now();
  try {
    return await firstOk(bare, printedAt, `${bare.url}/hello`);
  } finally {
    await bare.stop();
  }
}

export async function measureStartTime(cfg: BenchConfig): Promise<MeasurementResult> {
  // One unrecorded start of each first: the first start after a build pays for a cold page cache.
  await startPorticoOnce();
  await startBareOnce();
  const portico: StartSample[] = [];
  const bare: StartSample[] = [];
  for (let i = 0; i < cfg.startReps; i++) {
    if (i % 2 === 0) {
      portico.push(await startPorticoOnce());
      bare.push(await startBareOnce());
    } else {
      bare.push(await startBareOnce());
      portico.push(await startPorticoOnce());
    }
    await sleep(200);
  }
  const p = summarize(portico.map((s) => s.first200Ms));
  const b = summarize(bare.map((s) => s.first200Ms));
  const printed = summarize(portico.map((s) => s.printedMs));
  const bPrinted = summarize(bare.map((s) => s.printedMs));
  return {
    id: '2',
    title: `Start to first 200 (portico up → GET /hello), ${cfg.startReps} starts each`,
    rows: [
      { id: '2', metric: 'spawn → first 200, p50', unit: 'ms', portico: p.p50, baseline: b.p50, baselineLabel: 'bare server', ratio: ratio(p.p50, b.p50), target: `≤ ${TARGET_MS} ms`, verdict: verdict(p.p50 <= TARGET_MS) },
      { id: '2', metric: 'spawn → first 200, max', unit: 'ms', portico: p.max, baseline: b.max, baselineLabel: 'bare server', ratio: ratio(p.max, b.max) },
      { id: '2', metric: 'spawn → URL printed, p50', unit: 'ms', portico: printed.p50, baseline: bPrinted.p50, baselineLabel: 'bare server', ratio: ratio(printed.p50, bPrinted.p50) },
    ],
    details: { portico, bare, summary: { portico: p, bare: b, porticoPrinted: printed, barePrinted: bPrinted } },
  };
}
