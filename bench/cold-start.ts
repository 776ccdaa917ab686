// 4. Cold start of a Node hello handler: 30 identical functions as ES modules (bench/apps/cold, GET /f1 … /f30)
// and 30 as CommonJS (GET /c1 … /c30; ESM handlers make the runtime start its loader-hooks thread), each requested
// once, sequentially with gaps so that the stem-cell pool can refill; client-side latency and the Init Duration
// Portico writes on REPORT lines. Baselines: (a) spawning a fresh `node` that loads the same handler and answers
// once over a pipe, measured here; (b) AWS Lambda's published Node.js Init Duration, a reference constant.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchConfig } from './lib/config.js';
import { get, keepAliveAgent } from './lib/http.js';
import { APPS_DIR, LIB_DIR, app } from './lib/paths.js';
import { sleep, startPortico } from './lib/proc.js';
import { ratio, verdict, type MeasurementResult } from './lib/results.js';
import { summarize } from './lib/stats.js';

const TARGET_P50_MS = 10;
/** AWS Lambda's published Init Duration for a Node.js hello handler (reference constant, not measured here). */
const LAMBDA_INIT_MS = { low: 114, high: 124 };

/** Init Duration (ms) of each REPORT line in a function's log group file. */
function initDurations(dataDir: string, functionName: string): number[] {
  let text = '';
  try {
    text = readFileSync(join(dataDir, 'logs/aws/lambda', `${functionName}.ndjson`), 'utf8');
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const message = (JSON.parse(line) as { message: string }).message;
    const match = /^REPORT .*Init Duration: ([\d.]+) ms/.exec(message);
    if (match) out.push(Number(match[1]));
  }
  return out;
}

/** Baseline (a): spawn → one answer on stdout, for a fresh `node` loading the handler. */
function naiveSpawnOnce(handlerFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(LIB_DIR, 'spawn-once.js'), handlerFile], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    let answeredAt = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!answeredAt && out.includes('\n')) answeredAt = performance.now();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0 || !answeredAt) return reject(new Error(`naive spawn exited ${code} after printing ${JSON.stringify(out)}`));
      if ((JSON.parse(out) as { statusCode: number }).statusCode !== 200) return reject(new Error(`naive spawn answered ${out}`));
      resolve(answeredAt - started);
    });
    child.stdin.end(`${JSON.stringify({ version: '2.0', rawPath: '/f1' })}\n`);
  });
}

interface Variant {
  readonly name: 'ESM' | 'CJS';
  /** Route and function-name prefix in bench/apps/cold. */
  readonly prefix: 'f' | 'c';
  readonly handlerFile: string;
}

const VARIANTS: readonly Variant[] = [
  { name: 'ESM', prefix: 'f', handlerFile: join(APPS_DIR, 'cold/src/app.mjs') },
  { name: 'CJS', prefix: 'c', handlerFile: join(APPS_DIR, 'cold/src-cjs/app.cjs') },
];

interface VariantSamples {
  cold: number[];
  warm: number[];
  init: number[];
  naive: number[];
  missingInit: string[];
}

export async function measureColdStart(cfg: BenchConfig): Promise<MeasurementResult> {
  const samples: Record<string, VariantSamples> = Object.fromEntries(VARIANTS.map((v) => [v.name, { cold: [], warm: [], init: [], naive: [], missingInit: [] }]));
  const portico = await startPortico(app('cold'), { label: 'portico-cold' });
  try {
    const agent = keepAliveAgent();
    await get(`${portico.gateway}/`, agent); // opens the connection (a 404), so that no request below pays for it
    await sleep(500); // the stem cells are ready
    // ESM and CommonJS functions alternate (f1, c1, f2, c2 …) so that drift falls on both alike.
    for (let i = 1; i <= cfg.coldFunctions; i++) {
      for (const v of VARIANTS) {
        await sleep(cfg.coldGapMs);
        const reply = await get(`${portico.gateway}/${v.prefix}${i}`, agent);
        if (reply.status !== 200) throw new Error(`GET /${v.prefix}${i} (cold) answered ${reply.status}: ${reply.body.slice(0, 300)}`);
        samples[v.name]!.cold.push(reply.ms);
      }
    }
    for (let i = 1; i <= cfg.coldFunctions; i++) {
      for (const v of VARIANTS) {
        const reply = await get(`${portico.gateway}/${v.prefix}${i}`, agent);
        if (reply.status !== 200) throw new Error(`GET /${v.prefix}${i} (warm) answered ${reply.status}`);
        samples[v.name]!.warm.push(reply.ms);
      }
    }
    agent.destroy();
    // REPORT lines are written through streams: give them a moment to reach the files.
    for (let attempt = 0; attempt < 50; attempt++) {
      let missing = 0;
      for (const v of VARIANTS) {
        const s = samples[v.name]!;
        s.init.length = 0;
        s.missingInit.length = 0;
        for (let i = 1; i <= cfg.coldFunctions; i++) {
          const found = initDurations(portico.dataDir, `bench-cold-${v.prefix}${i}`);
          if (found.length === 1) s.init.push(found[0]!);
          else s.missingInit.push(`bench-cold-${v.prefix}${i} (${found.length} REPORT lines with Init Duration)`);
        }
        missing += s.missingInit.length;
      }
      if (missing === 0) break;
      await sleep(100);
    }
  } finally {
    await portico.stop();
  }

  // Unrecorded first spawn: warms the page cache, as the portico start above did for portico.
  await naiveSpawnOnce(VARIANTS[0]!.handlerFile);
  for (let i = 0; i < cfg.naiveSpawns; i++) {
    for (const v of VARIANTS) {
      await sleep(cfg.coldGapMs);
      samples[v.name]!.naive.push(await naiveSpawnOnce(v.handlerFile));
    }
  }

  const lambdaMid = (LAMBDA_INIT_MS.low + LAMBDA_INIT_MS.high) / 2;
  const lambdaRange = `${LAMBDA_INIT_MS.low}–${LAMBDA_INIT_MS.high} ms`;
  const lambdaLabel = 'AWS Lambda published; reference constant';
  const rows: MeasurementResult['rows'] = [];
  const summaries: Record<string, unknown> = {};
  for (const v of VARIANTS) {
    const s = samples[v.name]!;
    const c = summarize(s.cold);
    const w = summarize(s.warm);
    const n = summarize(s.naive);
    const init = summarize(s.init);
    summaries[v.name] = { cold: c, warm: w, naive: n, init };
    const naiveLabel = 'fresh node per request';
    rows.push(
      { id: '4', metric: `${v.name} cold request → response, p50`, unit: 'ms', portico: c.p50, baseline: n.p50, baselineLabel: naiveLabel, ratio: ratio(c.p50, n.p50), target: `≤ ${TARGET_P50_MS} ms`, verdict: verdict(c.p50 <= TARGET_P50_MS) },
      { id: '4', metric: `${v.name} cold request → response, p99`, unit: 'ms', portico: c.p99, baseline: n.p99, baselineLabel: naiveLabel, ratio: ratio(c.p99, n.p99) },
      {
        id: '4',
        metric: `${v.name} Init Duration (REPORT), p50`,
        unit: 'ms',
        portico: init.p50,
        baseline: lambdaRange,
        baselineLabel: lambdaLabel,
        ratio: ratio(init.p50, lambdaMid),
        note: `ratio against the midpoint ${lambdaMid} ms; p99 ${init.p99.toFixed(1)} ms${s.missingInit.length ? `; missing: ${s.missingInit.join(', ')}` : ''}`,
      },
      { id: '4', metric: `${v.name} same functions warm, p50`, unit: 'ms', portico: w.p50, baseline: c.p50, baselineLabel: 'their cold start', ratio: ratio(w.p50, c.p50) },
    );
  }
  return {
    id: '4',
    title: `Cold start, Node hello handler: ${cfg.coldFunctions} ESM + ${cfg.coldFunctions} CommonJS functions, each requested once, ${cfg.coldGapMs} ms apart`,
    rows,
    details: { samples, summary: summaries, lambdaReferenceInitMs: LAMBDA_INIT_MS },
  };
}
