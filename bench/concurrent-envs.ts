// 7. 50 concurrent environments: 50 concurrent requests to a function that sleeps 1 s must be served by 50
// distinct environment processes; all must succeed. Reports the batch's wall time against the 1 s sleep and the
// memory of the whole process tree while the 50 environments are alive.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchConfig } from './lib/config.js';
import { concurrentPids } from './idle-memory.js';
import { MB, processMemory, treeMemory, type ProcessMemory } from './lib/memory.js';
import { app } from './lib/paths.js';
import { sleep, startPortico } from './lib/proc.js';
import { ratio, verdict, type MeasurementResult } from './lib/results.js';
import { median, summarize } from './lib/stats.js';

const SLEEP_MS = 1000;

/** `requestTimeEpoch` of every request in the gateway's access logs (`<dataDir>/logs/aws/apigateway/**\/access.ndjson`). */
function accessLogStarts(dataDir: string): number[] {
  const out: number[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'access.ndjson') {
        for (const line of readFileSync(path, 'utf8').split('\n')) {
          if (!line) continue;
          try {
            const record = JSON.parse((JSON.parse(line) as { message: string }).message) as { requestTimeEpoch?: number };
            if (typeof record.requestTimeEpoch === 'number') out.push(record.requestTimeEpoch);
          } catch {
            // not an access record
          }
        }
      }
    }
  };
  walk(join(dataDir, 'logs/aws/apigateway'));
  return out.sort((a, b) => a - b);
}

export async function measureConcurrentEnvs(cfg: BenchConfig): Promise<MeasurementResult> {
  const n = cfg.concurrentEnvs;
  const portico = await startPortico(app('sleepy'), { label: 'portico-50' });
  let batch;
  let tree;
  let envs: ProcessMemory[];
  let sentAt = 0;
  let starts: number[] = [];
  try {
    await sleep(500); // stem cells ready
    sentAt = Date.now();
    batch = await concurrentPids(`${portico.gateway}/sleep?ms=${SLEEP_MS}`, n);
    envs = [...new Set(batch.pids)].map(processMemory).filter((m): m is ProcessMemory => m !== undefined);
    tree = treeMemory(portico.pid);
    for (let attempt = 0; attempt < 20 && starts.length < n; attempt++) {
      await sleep(100); // access records are written after each response, through a stream
      starts = accessLogStarts(portico.dataDir);
    }
  } finally {
    await portico.stop();
  }
  const ok = batch.statuses.filter((s) => s === 200).length;
  const distinct = new Set(batch.pids).size;
  const lat = summarize(batch.latenciesMs);
  // An environment that served two requests: the second one reached it after the first one's sleep ended.
  const perPid = new Map<number, number[]>();
  for (const a of batch.answers) perPid.set(a.pid, [...(perPid.get(a.pid) ?? []), a.ms]);
  const reused = [...perPid.values()].filter((ms) => ms.length > 1);
  const reuseNote = reused.length
    ? `${reused.length} environment(s) served more than one request; their requests took ${reused.map((ms) => ms.map((m) => m.toFixed(0)).join(' + ')).join(', ')} ms — the later one arrived at an environment already idle again`
    : undefined;
  return {
    id: '7',
    title: `${n} concurrent environments (${n} concurrent requests, ${SLEEP_MS} ms sleep)`,
    rows: [
      { id: '7', metric: 'requests answered 200', unit: '', portico: `${ok} of ${n}`, target: `all ${n}`, verdict: verdict(ok === n), note: batch.failures.length ? `failures: ${batch.failures.slice(0, 3).join('; ')}` : undefined },
      { id: '7', metric: 'distinct environment pids', unit: '', portico: `${distinct} of ${n}`, target: `${n}`, verdict: verdict(distinct === n), note: reuseNote },
      {
        id: '7',
        metric: 'gateway began the last request',
        unit: 'ms',
        portico: starts.length ? starts[starts.length - 1]! - sentAt : Number.NaN,
        note: `from the access log (requestTimeEpoch): ${starts.filter((t) => t - sentAt <= 100).length} of ${starts.length} requests began within 100 ms of the batch being sent`,
      },
      { id: '7', metric: 'batch wall time', unit: 'ms', portico: batch.wallMs, baseline: SLEEP_MS, baselineLabel: 'the sleep itself', ratio: ratio(batch.wallMs, SLEEP_MS) },
      { id: '7', metric: 'request latency, p50', unit: 'ms', portico: lat.p50, baseline: SLEEP_MS, baselineLabel: 'the sleep itself', ratio: ratio(lat.p50, SLEEP_MS) },
      { id: '7', metric: 'request latency, min', unit: 'ms', portico: lat.min, baseline: SLEEP_MS, baselineLabel: 'the sleep itself', ratio: ratio(lat.min, SLEEP_MS) },
      { id: '7', metric: 'processes in the tree', unit: '', portico: tree.pids.length },
      { id: '7', metric: 'tree RSS, sum', unit: 'MB', portico: tree.rss / MB },
      { id: '7', metric: 'tree USS, sum', unit: 'MB', portico: tree.uss / MB },
      { id: '7', metric: 'tree PSS, sum', unit: 'MB', portico: tree.pss / MB },
      { id: '7', metric: 'environment USS, median', unit: 'MB', portico: median(envs.map((e) => e.uss / MB)) },
    ],
    details: { batch, accessLogStartsMsAfterSend: starts.map((t) => t - sentAt), tree: { rss: tree.rss, uss: tree.uss, pss: tree.pss, pids: tree.pids }, environments: envs },
  };
}
