// 10–12. Gateway policies (issue #6's performance figures), through the real `portico up bench/apps/policies`:
//   10. the cost of the policies: GET /Prod/guarded (API key in a usage plan with a per-key throttle and a daily quota,
//       plus a cached TOKEN Lambda authorizer, ReauthorizeEvery 300) against GET /Prod/plain (the same function, no
//       policy), autocannon c=10, interleaved (ABBA) after a warm-up of each;
//   11. a response-cache hit: GET /cached/hello (stage cache on) against a bare Node `http` server answering the same
//       status, headers and body (bench/lib/bare-replay.ts), autocannon c=10, interleaved;
//   12. the throttle: GET /throttled/hello (stage throttle 200 requests/s, burst 10) driven far above its rate by
//       10 keep-alive connections for 10 s; the admitted rate is (200s − burst) / (last arrival − first arrival), both
//       from the stage's access log (the gateway's clock), and, for comparison, from the client's counts and send times.
// Portico runs with a raised account-level throttle (--account-rate/--account-burst): the account's 10,000 requests/s
// would otherwise cap a fast cache hit, and the account limit is not what 10–12 measure.
import { closeSync, openSync, readdirSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { prewarm } from './gateway-throughput.js';
import type { BenchConfig } from './lib/config.js';
import { get, type Reply } from './lib/http.js';
import { interleaved, type LoadSummary, type Target } from './lib/load.js';
import { sleep, startBare, type Bare, type Portico } from './lib/proc.js';
import { ratio, verdict, type MeasurementResult, type Row } from './lib/results.js';

/** Arguments `portico up` gets for 10–12. */
export const POLICY_PORTICO_ARGS = ['--account-rate', '1000000', '--account-burst', '1000000'] as const;

export const API_KEY = 'bench-key-value-0123456789abcdef';
export const TOKEN = 'Bearer bench-token';
const HELLO_FN = 'bench-policies-hello';
const AUTHORIZER_FN = 'bench-policies-authorizer';
const CONNECTIONS = 10;
/** Policies may cost at most this share of the throughput (issue #6). */
const MAX_POLICY_COST = 0.15;
const CACHE_RATIO_TARGET = 0.8;
/** bench/apps/policies ThrottleApi. */
export const THROTTLE_RATE = 200;
export const THROTTLE_BURST = 10;
const THROTTLE_TOLERANCE = 0.01;

const GUARDED_HEADERS = { 'x-api-key': API_KEY, authorization: TOKEN };

/** Reads what a log group file (`<dataDir>/logs/…/*.ndjson`) gained since the reader was made. */
export class LogTail {
  private readonly offset: number;
  constructor(private readonly file: string) {
    this.offset = this.size();
  }

  private size(): number {
    try {
      return statSync(this.file).size;
    } catch {
      return 0;
    }
  }

  /** The `message` of every line written since (log lines are flushed in batches: this waits a little first). */
  async messages(): Promise<string[]> {
    await sleep(300);
    const end = this.size();
    if (end <= this.offset) return [];
    const fd = openSync(this.file, 'r');
    const out: string[] = [];
    try {
      const chunk = Buffer.alloc(1 << 20);
      let carry = '';
      const take = (line: string): void => {
        if (line) out.push((JSON.parse(line) as { message: string }).message);
      };
      for (let position = this.offset; position < end; ) {
        const n = readSync(fd, chunk, 0, Math.min(chunk.length, end - position), position);
        if (n <= 0) break;
        position += n;
        const lines = (carry + chunk.toString('utf8', 0, n)).split('\n');
        carry = lines.pop()!;
        lines.forEach(take);
      }
      take(carry);
      return out;
    } finally {
      closeSync(fd);
    }
  }
}

/** Counts the REPORT lines (one per invocation) of a function written since the counter was made. */
export class InvocationCounter {
  private constructor(private readonly tail: LogTail) {}

  static forFunction(portico: Portico, name: string): InvocationCounter {
    return new InvocationCounter(new LogTail(join(portico.dataDir, 'logs/aws/lambda', `${name}.ndjson`)));
  }

  async count(): Promise<number> {
    return (await this.tail.messages()).filter((m) => m.startsWith('REPORT RequestId')).length;
  }
}

/** The access log file of a REST stage (`<dataDir>/logs/aws/apigateway/<apiId>/<stage>/access.ndjson`). */
function accessLogFile(portico: Portico, stage: string): string {
  const root = join(portico.dataDir, 'logs/aws/apigateway');
  for (const apiId of readdirSync(root)) {
    try {
      const file = join(root, apiId, stage, 'access.ndjson');
      statSync(file);
      return file;
    } catch {
      // another API
    }
  }
  throw new Error(`no access log for stage ${stage} under ${root}`);
}

function expectStatus(reply: Reply, status: number, what: string): void {
  if (reply.status !== status) throw new Error(`${what}: expected ${status}, got ${reply.status}: ${reply.body.slice(0, 300)}`);
}

/** 10. Throughput cost of API key + usage plan + cached Lambda authorizer on one REST route. */
export async function measurePolicyCost(portico: Portico, cfg: BenchConfig): Promise<MeasurementResult> {
  const plainUrl = `${portico.gateway}/Prod/plain`;
  const guardedUrl = `${portico.gateway}/Prod/guarded`;
  // The policies are really there: no key → 403, a key but no token → 401, both → 200 with the plain route's body.
  expectStatus(await get(guardedUrl, false, 30_000, { authorization: TOKEN }), 403, 'GET /Prod/guarded without an API key');
  expectStatus(await get(guardedUrl, false, 30_000, { 'x-api-key': API_KEY }), 401, 'GET /Prod/guarded without a token');
  const plain = await get(plainUrl);
  const guarded = await get(guardedUrl, false, 30_000, GUARDED_HEADERS);
  expectStatus(plain, 200, 'GET /Prod/plain');
  expectStatus(guarded, 200, 'GET /Prod/guarded with key and token');
  if (plain.body !== guarded.body) throw new Error(`bodies differ: plain ${JSON.stringify(plain.body)} vs guarded ${JSON.stringify(guarded.body)}`);

  expectStatus(await get(`${portico.gateway}/Prod/keyed`, false, 30_000, { 'x-api-key': API_KEY }), 200, 'GET /Prod/keyed with a key');
  expectStatus(await get(`${portico.gateway}/Prod/keyed`), 403, 'GET /Prod/keyed without a key');
  expectStatus(await get(`${portico.gateway}/Prod/authorized`, false, 30_000, { authorization: TOKEN }), 200, 'GET /Prod/authorized with a token');
  expectStatus(await get(`${portico.gateway}/Prod/authorized`), 401, 'GET /Prod/authorized without a token');

  const warm = await prewarm(plainUrl, CONNECTIONS);
  await sleep(300); // log lines are flushed in batches: the authorizer's first invocation is in its file by now
  const authorizer = InvocationCounter.forFunction(portico, AUTHORIZER_FN);
  const withHeaders = (headers: Record<string, string>) => ({ method: 'GET', headers, body: '' });
  const targets: Record<string, Target> = {
    guarded: { url: guardedUrl, pid: portico.pid, request: withHeaders(GUARDED_HEADERS) },
    plain: { url: plainUrl, pid: portico.pid },
    keyed: { url: `${portico.gateway}/Prod/keyed`, pid: portico.pid, request: withHeaders({ 'x-api-key': API_KEY }) },
    authorized: { url: `${portico.gateway}/Prod/authorized`, pid: portico.pid, request: withHeaders({ authorization: TOKEN }) },
  };
  const s = await interleaved(targets, CONNECTIONS, { warmupS: cfg.warmupS, segmentS: cfg.segmentS, segmentsPerTarget: cfg.segmentsPerTarget });
  const authorizerCalls = await authorizer.count();
  const g = s.guarded!;
  const p = s.plain!;
  const r = ratio(g.rps, p.rps);
  const cost = r === undefined ? Number.NaN : (1 - r) * 100;
  const label = 'same route, no policies';
  const part = (name: 'keyed' | 'authorized', what: string): Row => {
    const x = s[name]!;
    return { id: '10', metric: `req/s, c=${CONNECTIONS}, ${what} alone`, unit: 'req/s', portico: x.rps, baseline: p.rps, baselineLabel: label, ratio: ratio(x.rps, p.rps), note: failures(x, name).slice(2) || undefined };
  };
  const rows: Row[] = [
    {
      id: '10',
      metric: `req/s, c=${CONNECTIONS}, key + plan + cached authorizer`,
      unit: 'req/s',
      portico: g.rps,
      baseline: p.rps,
      baselineLabel: label,
      ratio: r,
      note: `${cpu(g, p, ['guarded', 'plain'])}${failures(g, 'guarded')}${failures(p, 'plain')}`,
    },
    { id: '10', metric: 'throughput cost of the policies (1 − ratio)', unit: '%', portico: cost, target: `≤ ${MAX_POLICY_COST * 100}%`, verdict: verdict(cost <= MAX_POLICY_COST * 100) },
    { id: '10', metric: `latency p50, c=${CONNECTIONS}`, unit: 'ms', portico: g.latencyMs.p50, baseline: p.latencyMs.p50, baselineLabel: label, ratio: ratio(g.latencyMs.p50, p.latencyMs.p50) },
    { id: '10', metric: `latency p99, c=${CONNECTIONS}`, unit: 'ms', portico: g.latencyMs.p99, baseline: p.latencyMs.p99, baselineLabel: label, ratio: ratio(g.latencyMs.p99, p.latencyMs.p99) },
    part('keyed', 'API key + plan'),
    part('authorized', 'cached authorizer'),
    { id: '10', metric: 'authorizer invocations during the runs (cached)', unit: '', portico: authorizerCalls, target: '0', verdict: verdict(authorizerCalls === 0) },
  ];
  return {
    id: '10',
    title: `Gateway policies: REST GET with API key + usage plan (throttle, quota) + cached TOKEN authorizer vs the same route without (and each policy alone), c=${CONNECTIONS}, ${cfg.segmentsPerTarget}×${cfg.segmentS} s per target after ${cfg.warmupS} s warm-up`,
    rows,
    details: { prewarm: warm, ...s, authorizerInvocations: authorizerCalls },
  };
}

/** 11. Cache hits against a bare Node server answering the same bytes. */
export async function measureCacheHit(portico: Portico, cfg: BenchConfig): Promise<MeasurementResult> {
  const url = `${portico.gateway}/cached/hello`;
  expectStatus(await get(url), 200, 'GET /cached/hello (fills the cache)');
  await sleep(300); // log lines are flushed in batches: that invocation's REPORT line is in the file by now
  const hello = InvocationCounter.forFunction(portico, HELLO_FN);
  const hit = await get(url);
  expectStatus(hit, 200, 'GET /cached/hello (a hit)');
  if ((await hello.count()) !== 0) throw new Error('GET /cached/hello invoked the function again: the response was not served from the cache');

  const headers: Array<[string, string]> = [];
  for (let i = 0; i < hit.rawHeaders.length; i += 2) headers.push([hit.rawHeaders[i]!, hit.rawHeaders[i + 1]!]);
  const answerFile = join(portico.dir, 'cache-hit-answer.json');
  writeFileSync(answerFile, JSON.stringify({ status: hit.status, headers, body: hit.body }));
  let bare: Bare | undefined;
  try {
    bare = await startBare('bare-replay.js', [answerFile]);
    const fromBare = await get(`${bare.url}/cached/hello`);
    expectStatus(fromBare, 200, 'bare replay server');
    if (fromBare.body !== hit.body) throw new Error('the bare server does not answer the cached body');
    const names = (reply: Reply): string => reply.rawHeaders.filter((_, i) => i % 2 === 0).join(',');
    if (names(fromBare) !== names(hit)) throw new Error(`header names differ: portico ${names(hit)} vs bare ${names(fromBare)}`);

    const during = InvocationCounter.forFunction(portico, HELLO_FN);
    const s = await interleaved(
      { portico: { url, pid: portico.pid }, bare: { url: `${bare.url}/cached/hello`, pid: bare.pid } },
      CONNECTIONS,
      { warmupS: cfg.warmupS, segmentS: cfg.segmentS, segmentsPerTarget: cfg.segmentsPerTarget },
    );
    const invocations = await during.count();
    const p = s.portico!;
    const b = s.bare!;
    const r = ratio(p.rps, b.rps);
    const label = 'bare, same bytes';
    const rows: Row[] = [
      {
        id: '11',
        metric: `cache hit req/s, c=${CONNECTIONS}`,
        unit: 'req/s',
        portico: p.rps,
        baseline: b.rps,
        baselineLabel: label,
        ratio: r,
        target: `≥ ${CACHE_RATIO_TARGET}×`,
        verdict: verdict((r ?? 0) >= CACHE_RATIO_TARGET),
        note: `${cpu(p, b, ['portico', 'bare'])}${failures(p, 'portico')}`,
      },
      { id: '11', metric: `latency p50, c=${CONNECTIONS}`, unit: 'ms', portico: p.latencyMs.p50, baseline: b.latencyMs.p50, baselineLabel: label, ratio: ratio(p.latencyMs.p50, b.latencyMs.p50) },
      { id: '11', metric: `latency p99, c=${CONNECTIONS}`, unit: 'ms', portico: p.latencyMs.p99, baseline: b.latencyMs.p99, baselineLabel: label, ratio: ratio(p.latencyMs.p99, b.latencyMs.p99) },
      { id: '11', metric: 'function invocations during the runs', unit: '', portico: invocations, target: '0', verdict: verdict(invocations === 0) },
    ];
    return {
      id: '11',
      title: `Response cache: REST GET served from the stage cache vs a bare Node server answering the same status, headers and body, c=${CONNECTIONS}, ${cfg.segmentsPerTarget}×${cfg.segmentS} s per target after ${cfg.warmupS} s warm-up`,
      rows,
      details: { answer: { status: hit.status, headers, bodyBytes: Buffer.byteLength(hit.body) }, ...s, functionInvocations: invocations },
    };
  } finally {
    await bare?.stop();
  }
}

interface ThrottleRun {
  readonly seconds: number;
  readonly admitted: number;
  readonly throttled: number;
  readonly otherStatus: Record<string, number>;
  readonly errors: number;
  /** From the first request sent to the last one sent (client clock), seconds. */
  readonly windowS: number;
  readonly admittedRps: number;
}

/**
 * Drives `url` from `connections` keep-alive connections, each sending its next request as soon as the last one is
 * answered, until `durationS` has passed; then waits for every request in flight, so that every request sent is
 * counted (autocannon drops the ones in flight when it stops, and admitted requests, which invoke the function, are
 * the slow ones). Times are the client's send times.
 */
async function throttleRun(url: string, connections: number, durationS: number, burst: number): Promise<ThrottleRun> {
  let admitted = 0;
  let throttled = 0;
  let errors = 0;
  const otherStatus: Record<string, number> = {};
  let firstSent = Number.POSITIVE_INFINITY;
  let lastSent = Number.NEGATIVE_INFINITY;
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const started = performance.now();
  const deadline = started + durationS * 1000;
  const connection = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      if (sent < firstSent) firstSent = sent;
      if (sent > lastSent) lastSent = sent;
      try {
        const status = await statusOf(url, agent);
        if (status >= 200 && status < 300) admitted++;
        else if (status === 429) throttled++;
        else otherStatus[status] = (otherStatus[status] ?? 0) + 1;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, connection));
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  const windowS = (lastSent - firstSent) / 1000;
  return { seconds, admitted, throttled, otherStatus, errors, windowS, admittedRps: (admitted - burst) / windowS };
}

function statusOf(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** 12. The stage throttle's admitted rate under a load far above it. */
export async function measureThrottle(portico: Portico, cfg: BenchConfig): Promise<MeasurementResult> {
  const url = `${portico.gateway}/throttled/hello`;
  expectStatus(await get(url), 200, 'GET /throttled/hello');
  // A few environments exist before the load, so that admitted requests do not wait for cold starts.
  await prewarm(url, 3);
  await sleep(1000); // the bucket refills (10 tokens at 200/s take 50 ms)
  const durationS = cfg.quick ? 3 : 10;
  const access = new LogTail(accessLogFile(portico, 'throttled'));
  const run = await throttleRun(url, CONNECTIONS, durationS, THROTTLE_BURST);
  // The gateway's own view: its access log has every request with its arrival time (ms) and status.
  const records = (await access.messages()).map((m) => JSON.parse(m) as { requestTimeEpoch: number; status: number });
  const sorted = Float64Array.from(records, (r) => r.requestTimeEpoch).sort();
  const serverWindowS = records.length ? (sorted[sorted.length - 1]! - sorted[0]!) / 1000 : Number.NaN;
  const serverAdmitted = records.filter((r) => r.status === 200).length;
  const serverThrottled = records.filter((r) => r.status === 429).length;
  const serverRps = (serverAdmitted - THROTTLE_BURST) / serverWindowS;
  // A bucket holds at most `burst` tokens: a pause in the arrivals longer than burst / rate (the gateway's event loop
  // or the client held up — a garbage collection, a busy machine) loses the tokens beyond, as on AWS. Such pauses
  // are counted, and the rate is also given with them taken out of the window.
  const fullAfterMs = (THROTTLE_BURST / THROTTLE_RATE) * 1000;
  let pauses = 0;
  let pausedMs = 0;
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i]! - sorted[i - 1]!;
    if (gap > fullAfterMs) {
      pauses++;
      pausedMs += gap - fullAfterMs;
    }
  }
  // After a pause of g > burst / rate the bucket holds `burst` tokens, i.e. rate × (g − burst / rate) fewer than an
  // unbounded bucket would: admitted = burst + rate × (window − Σ (g − burst / rate)).
  const withoutPausesRps = (serverAdmitted - THROTTLE_BURST) / (serverWindowS - pausedMs / 1000);
  if (records.length !== run.admitted + run.throttled) {
    throw new Error(`the access log has ${records.length} requests, the client counted ${run.admitted + run.throttled}`);
  }
  const deviation = serverRps / THROTTLE_RATE - 1;
  const offered = (run.admitted + run.throttled) / run.seconds;
  const rows: Row[] = [
    {
      id: '12',
      metric: `admitted rate, (200s − burst) / ${serverWindowS.toFixed(2)} s (access log)`,
      unit: 'req/s',
      portico: serverRps,
      baseline: THROTTLE_RATE,
      baselineLabel: `configured, burst ${THROTTLE_BURST}`,
      ratio: ratio(serverRps, THROTTLE_RATE),
      target: `within ${THROTTLE_TOLERANCE * 100}%`,
      verdict: verdict(Math.abs(deviation) <= THROTTLE_TOLERANCE),
      note: `deviation ${(deviation * 100).toFixed(2)}%; other statuses ${JSON.stringify(run.otherStatus)}, errors ${run.errors}`,
    },
    {
      id: '12',
      metric: `admitted rate, client clock (${run.windowS.toFixed(2)} s)`,
      unit: 'req/s',
      portico: run.admittedRps,
      baseline: THROTTLE_RATE,
      baselineLabel: 'configured',
      ratio: ratio(run.admittedRps, THROTTLE_RATE),
    },
    {
      id: '12',
      metric: `admitted rate, arrival pauses > ${fullAfterMs} ms taken out`,
      unit: 'req/s',
      portico: withoutPausesRps,
      baseline: THROTTLE_RATE,
      baselineLabel: 'configured',
      ratio: ratio(withoutPausesRps, THROTTLE_RATE),
      note: `${pauses} pauses in the arrivals longer than ${fullAfterMs} ms (the bucket full), ${pausedMs.toFixed(0)} ms beyond that in all`,
    },
    { id: '12', metric: 'answered 200 / 429', unit: '', portico: `${serverAdmitted} / ${serverThrottled}` },
    { id: '12', metric: `offered load, ${CONNECTIONS} connections`, unit: 'req/s', portico: offered, baseline: THROTTLE_RATE, baselineLabel: 'configured rate', ratio: ratio(offered, THROTTLE_RATE) },
  ];
  const bad = Object.values(run.otherStatus).reduce((a, n) => a + n, 0);
  if (bad > 0 || run.admitted === 0) rows[0] = { ...rows[0]!, verdict: 'MISS' };
  return {
    id: '12',
    title: `Stage throttle (rate ${THROTTLE_RATE}/s, burst ${THROTTLE_BURST}) driven by ${CONNECTIONS} connections for ${durationS} s`,
    rows,
    details: { client: run, server: { admitted: serverAdmitted, throttled: serverThrottled, windowS: serverWindowS, admittedRps: serverRps, pauses, pausedMs, withoutPausesRps }, configured: { rate: THROTTLE_RATE, burst: THROTTLE_BURST }, deviation, offeredRps: offered },
  };
}

function cpu(a: LoadSummary, b: LoadSummary, names: [string, string]): string {
  const f = (x: number): string => `${x.toFixed(0)}%`;
  return (
    `CPU (% of one core) while measuring ${names[0]}: autocannon ${f(a.cpu.loadGenPct)}, server ${f(a.cpu.serverPct)}, environments ${f(a.cpu.childrenPct)}; ` +
    `${names[1]}: autocannon ${f(b.cpu.loadGenPct)}, server ${f(b.cpu.serverPct)}, environments ${f(b.cpu.childrenPct)}`
  );
}

function failures(s: LoadSummary, name: string): string {
  const n = s.non2xx + s.errors + s.timeouts;
  return n ? `; ${name}: ${s.non2xx} non-2xx, ${s.errors} errors, ${s.timeouts} timeouts` : '';
}
