// 8. Runtime channel comparison: measurement 1 at c=10, Portico with its private pipe (the default) against the
// same Portico with PORTICO_RUNTIME_TRANSPORT=http (environments take invocations from the Lambda Runtime API over
// loopback HTTP), both fresh, interleaved. Shows whether the private channel pays.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { BenchConfig } from './lib/config.js';
import { cpuNote, prewarm } from './gateway-throughput.js';
import { interleaved } from './lib/load.js';
import { descendants } from './lib/memory.js';
import { app } from './lib/paths.js';
import { startPortico, type Portico } from './lib/proc.js';
import { ratio, type MeasurementResult } from './lib/results.js';

const C = 10;

/** TCP connections held by a process (loopback included): environments on the pipe channel hold none. */
function tcpConnections(pid: number): number {
  const inodes = new Set<string>();
  for (const table of ['tcp', 'tcp6']) {
    try {
      for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
        const inode = line.trim().split(/\s+/)[9];
        if (inode) inodes.add(inode);
      }
    } catch {
      // no such table
    }
  }
  let count = 0;
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match && inodes.has(match[1]!)) count++;
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    // process gone
  }
  return count;
}

function environmentTcp(portico: Portico): number[] {
  return descendants(portico.pid).map(tcpConnections);
}

export async function measureRuntimeChannel(cfg: BenchConfig): Promise<MeasurementResult> {
  const pipe = await startPortico(app('hello'), { label: 'portico-pipe', env: { PORTICO_RUNTIME_TRANSPORT: 'pipe' } });
  let http: Portico | undefined;
  try {
    http = await startPortico(app('hello'), { label: 'portico-http', env: { PORTICO_RUNTIME_TRANSPORT: 'http' } });
    const targets = { pipe: { url: `${pipe.gateway}/hello`, pid: pipe.pid }, http: { url: `${http.gateway}/hello`, pid: http.pid } };
    const warm = { pipe: await prewarm(targets.pipe.url, C), http: await prewarm(targets.http.url, C) };
    const s = await interleaved(targets, C, { warmupS: cfg.warmupS, segmentS: cfg.segmentS, segmentsPerTarget: cfg.segmentsPerTarget });
    const tcp = { pipe: environmentTcp(pipe), http: environmentTcp(http) };
    const p = s.pipe!;
    const h = s.http!;
    const label = 'Runtime API over HTTP';
    const failures = (x: typeof p): number => x.non2xx + x.errors + x.timeouts;
    return {
      id: '8',
      title: `Runtime channel: private pipe vs Runtime API over HTTP (PORTICO_RUNTIME_TRANSPORT=http), c=${C}`,
      rows: [
        {
          id: '8',
          metric: `req/s, c=${C}, pipe`,
          unit: 'req/s',
          portico: p.rps,
          baseline: h.rps,
          baselineLabel: label,
          ratio: ratio(p.rps, h.rps),
          note: `${failures(p)} failed requests on pipe, ${failures(h)} on http; TCP connections per environment process: pipe [${tcp.pipe.join(' ')}], http [${tcp.http.join(' ')}]; ${cpuNote(p, h, ['pipe portico', 'http portico'])}`,
        },
        { id: '8', metric: `latency p50, c=${C}, pipe`, unit: 'ms', portico: p.latencyMs.p50, baseline: h.latencyMs.p50, baselineLabel: label, ratio: ratio(p.latencyMs.p50, h.latencyMs.p50) },
        { id: '8', metric: `latency p99, c=${C}, pipe`, unit: 'ms', portico: p.latencyMs.p99, baseline: h.latencyMs.p99, baselineLabel: label, ratio: ratio(p.latencyMs.p99, h.latencyMs.p99) },
      ],
      details: { prewarm: warm, pipe: p, http: h, tcpConnectionsPerDescendant: tcp },
    };
  } finally {
    await http?.stop();
    await pipe.stop();
  }
}
