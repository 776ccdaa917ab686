// 6. Idle environment memory: K concurrent requests to a function that sleeps 300 ms force K environments of
// it to exist; once they are idle, each environment process's USS and RSS. Baseline: a bare idle `node`.
import type { BenchConfig } from './lib/config.js';
import { get, parallelAgent } from './lib/http.js';
import { MB, processMemory, treeMemory, type ProcessMemory } from './lib/memory.js';
import { app } from './lib/paths.js';
import { sleep, spawnLogged, startPortico } from './lib/proc.js';
import { ratio, verdict, type MeasurementResult } from './lib/results.js';
import { median } from './lib/stats.js';

const TARGET_USS_MB = 15;

/** Fires `n` requests at once; returns the pid each answer names and the statuses. */
export async function concurrentPids(
  url: string,
  n: number,
): Promise<{ pids: number[]; statuses: number[]; failures: string[]; latenciesMs: number[]; answers: Array<{ pid: number; ms: number }>; wallMs: number }> {
  const agent = parallelAgent();
  const started = performance.now();
  const settled = await Promise.allSettled(Array.from({ length: n }, () => get(url, agent, 60_000)));
  const wallMs = performance.now() - started;
  agent.destroy();
  const pids: number[] = [];
  const statuses: number[] = [];
  const failures: string[] = [];
  const latenciesMs: number[] = [];
  const answers: Array<{ pid: number; ms: number }> = [];
  for (const s of settled) {
    if (s.status === 'rejected') {
      failures.push(String(s.reason));
      continue;
    }
    statuses.push(s.value.status);
    latenciesMs.push(s.value.ms);
    if (s.value.status === 200) {
      const pid = (JSON.parse(s.value.body) as { pid: number }).pid;
      pids.push(pid);
      answers.push({ pid, ms: s.value.ms });
    } else failures.push(`${s.value.status} ${s.value.body.slice(0, 200)}`);
  }
  return { pids, statuses, failures, latenciesMs, answers, wallMs };
}

interface VariantMemory {
  readonly name: string;
  readonly path: string;
  batch?: Awaited<ReturnType<typeof concurrentPids>>;
  environments: ProcessMemory[];
  treeGrowth: number;
}

export async function measureIdleMemory(cfg: BenchConfig): Promise<MeasurementResult> {
  const k = cfg.idleEnvs;
  const variants: VariantMemory[] = [
    { name: 'ESM', path: '/sleep', environments: [], treeGrowth: 0 },
    { name: 'CJS', path: '/sleep-cjs', environments: [], treeGrowth: 0 },
  ];
  const portico = await startPortico(app('sleepy'), { label: 'portico-idle' });
  const trees: number[] = [];
  try {
    await sleep(cfg.idleWaitMs); // stem cells started and settled
    let before = treeMemory(portico.pid);
    trees.push(before.uss);
    for (const v of variants) {
      v.batch = await concurrentPids(`${portico.gateway}${v.path}?ms=300`, k);
      if (v.batch.failures.length) throw new Error(`${v.name}: ${v.batch.failures.length} of ${k} requests failed: ${v.batch.failures.slice(0, 3).join('; ')}`);
      await sleep(cfg.idleWaitMs); // idle
      v.environments = [...new Set(v.batch.pids)].map(processMemory).filter((m): m is ProcessMemory => m !== undefined);
      const after = treeMemory(portico.pid);
      trees.push(after.uss);
      v.treeGrowth = (after.uss - before.uss) / Math.max(1, v.environments.length);
      before = after;
    }
  } finally {
    await portico.stop();
  }

  const idleNode = spawnLogged('idle-node', process.execPath, ['-e', 'setInterval(()=>{},1e6)']);
  let baseline: ProcessMemory | undefined;
  try {
    await sleep(cfg.idleWaitMs);
    baseline = processMemory(idleNode.pid);
  } finally {
    await idleNode.stop();
  }
  if (!baseline) throw new Error('the idle node baseline process is gone');

  const bUss = baseline.uss / MB;
  const bRss = baseline.rss / MB;
  const label = 'idle bare node';
  const rows: MeasurementResult['rows'] = [];
  for (const v of variants) {
    const distinct = new Set(v.batch!.pids).size;
    const uss = v.environments.map((e) => e.uss / MB);
    const rss = v.environments.map((e) => e.rss / MB);
    const maxUss = Math.max(...uss);
    const growth = v.treeGrowth / MB;
    rows.push(
      { id: '6', metric: `${v.name}: distinct environments`, unit: '', portico: `${distinct} of ${k}`, target: `${k}`, verdict: verdict(distinct === k) },
      { id: '6', metric: `${v.name}: idle environment USS, median`, unit: 'MB', portico: median(uss), baseline: bUss, baselineLabel: label, ratio: ratio(median(uss), bUss) },
      { id: '6', metric: `${v.name}: idle environment USS, max`, unit: 'MB', portico: maxUss, baseline: bUss, baselineLabel: label, ratio: ratio(maxUss, bUss), target: `≤ ${TARGET_USS_MB} MB each`, verdict: verdict(maxUss <= TARGET_USS_MB) },
      { id: '6', metric: `${v.name}: idle environment RSS, median`, unit: 'MB', portico: median(rss), baseline: bRss, baselineLabel: label, ratio: ratio(median(rss), bRss) },
      {
        id: '6',
        metric: `${v.name}: tree USS growth per environment`,
        unit: 'MB',
        portico: growth,
        baseline: bUss,
        baselineLabel: label,
        ratio: ratio(growth, bUss),
        note: 'whole-tree USS after the batch minus before it, divided by the environments added (includes what portico itself grew)',
      },
    );
  }
  return {
    id: '6',
    title: `Idle environment memory: ${k} environments of one function (${k} concurrent requests, 300 ms sleep), ES module and CommonJS`,
    rows,
    details: { variants, baseline, treeUss: trees },
  };
}
