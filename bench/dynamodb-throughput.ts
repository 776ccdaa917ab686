// 9. Data service throughput: the same raw DynamoDB JSON-protocol load — GetItem of a fixed key, PutItem of a fixed
// item (the same key overwritten), Query of a 10-item partition — at c=10 and c=50 against three servers, each in
// its own process, in one run:
//   - ceiling: bench/lib/bare-dynamo.ts, a bare Node `http` server answering from a Map (no validation, no
//     signature check): what this machine and load generator can do at most;
//   - peer: dynalite 4 (bench/lib/dynalite-server.ts), in memory;
//   - Portico: `portico dynamodb --port 0 --data-dir <tmp>`, durable (SQLite, synchronous=FULL: a PutItem that
//     returned has been fsynced).
// Every request is signed once with SigV4 (dev pair test/test, the AWS SDK's own signer) and the same bytes are
// replayed by autocannon (X-Amz-Date stays valid for 15 minutes, far longer than the run). The servers other than
// Portico ignore the signature. Each target's table is created and seeded before its runs.
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchConfig } from './lib/config.js';
import { interleaved, type LoadSummary, type Target } from './lib/load.js';
import { LIB_DIR, PORTICO_BIN } from './lib/paths.js';
import { spawnLogged, type Spawned } from './lib/proc.js';
import { ratio, verdict, type MeasurementResult, type Row } from './lib/results.js';

class Sha256 extends Hash {
  constructor(secret?: SourceData) {
    super('sha256', secret);
  }
}

const signer = new SignatureV4({
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  region: 'us-east-1',
  service: 'dynamodb',
  sha256: Sha256,
  uriEscapePath: true,
  applyChecksum: false,
});

const TABLE = 'bench';
const CONNECTIONS = [10, 50] as const;
const TARGET_RATIO = 0.6;
const TEXT = 'x'.repeat(100);

interface Request {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A DynamoDB JSON-protocol request to `url`, signed once (the signature covers host, date, target and body). */
async function signed(url: string, operation: string, input: unknown): Promise<Request> {
  const { hostname, port, host } = new URL(url);
  const body = JSON.stringify(input);
  const request = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname,
    port: Number(port),
    path: '/',
    query: {},
    headers: { host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}` },
    body,
  });
  return { method: 'POST', headers: request.headers, body };
}

async function call(url: string, operation: string, input: unknown): Promise<Record<string, unknown>> {
  const { headers, body } = await signed(url, operation, input);
  const { host: _host, ...rest } = headers;
  const res = await fetch(url, { method: 'POST', headers: rest, body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${operation} on ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

const item = (pk: string, sk: string, n: number): Record<string, unknown> => ({ pk: { S: pk }, sk: { S: sk }, n: { N: String(n) }, text: { S: TEXT } });

const OPERATIONS = {
  GetItem: { TableName: TABLE, Key: { pk: { S: 'p' }, sk: { S: 'sk-05' } } },
  PutItem: { TableName: TABLE, Item: item('w', 'w', 1) },
  Query: { TableName: TABLE, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': 'pk' }, ExpressionAttributeValues: { ':pk': { S: 'p' } } },
} as const;
type Operation = keyof typeof OPERATIONS;

/** Creates the table, seeds the 10-item partition, and checks every operation answers what it should. */
async function prepare(url: string): Promise<void> {
  await call(url, 'CreateTable', {
    TableName: TABLE,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  for (let i = 0; i < 10; i++) await call(url, 'PutItem', { TableName: TABLE, Item: item('p', `sk-${String(i).padStart(2, '0')}`, i) });
  await call(url, 'PutItem', OPERATIONS.PutItem);
  const got = await call(url, 'GetItem', OPERATIONS.GetItem);
  if (!got.Item) throw new Error(`GetItem on ${url} found no item`);
  const queried = await call(url, 'Query', OPERATIONS.Query);
  if (queried.Count !== 10) throw new Error(`Query on ${url} returned ${String(queried.Count)} items, not 10`);
}

async function startListening(label: string, script: string): Promise<{ proc: Spawned; url: string }> {
  const proc = spawnLogged(label, process.execPath, [join(LIB_DIR, script)]);
  try {
    return { proc, url: (await proc.waitFor(/Listening (http:\/\/\S+)/, 10_000))[1]! };
  } catch (error) {
    await proc.stop();
    throw error;
  }
}

const NAMES = ['ceiling', 'dynalite', 'portico'] as const;
type Name = (typeof NAMES)[number];

export async function measureDynamoDb(cfg: BenchConfig): Promise<MeasurementResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portico-bench-dynamodb-'));
  const procs: Spawned[] = [];
  try {
    const ceiling = await startListening('bare-dynamo', 'bare-dynamo.js');
    procs.push(ceiling.proc);
    const dynalite = await startListening('dynalite', 'dynalite-server.js');
    procs.push(dynalite.proc);
    const portico = spawnLogged('portico-dynamodb', process.execPath, [PORTICO_BIN, 'dynamodb', '--port', '0', '--data-dir', dataDir]);
    procs.push(portico);
    const porticoUrl = (await portico.waitFor(/DynamoDB endpoint (http:\/\/\S+)/, 20_000))[1]!;
    const servers: Record<Name, { url: string; pid: number }> = {
      ceiling: { url: ceiling.url, pid: ceiling.proc.pid },
      dynalite: { url: dynalite.url, pid: dynalite.proc.pid },
      portico: { url: porticoUrl, pid: portico.pid },
    };
    for (const name of NAMES) await prepare(servers[name].url);

    const segments = { warmupS: 1, segmentS: cfg.segmentS / 2, segmentsPerTarget: 2 };
    const rows: Row[] = [];
    const details: Record<string, Record<string, LoadSummary>> = {};
    for (const operation of Object.keys(OPERATIONS) as Operation[]) {
      const targets = {} as Record<Name, Target>;
      for (const name of NAMES) {
        const { url, pid } = servers[name];
        targets[name] = { url, pid, request: await signed(url, operation, OPERATIONS[operation]) };
      }
      for (const c of CONNECTIONS) {
        const s = (await interleaved(targets, c, segments)) as Record<Name, LoadSummary>;
        details[`${operation} c=${c}`] = s;
        rows.push(...operationRows(operation, c, s));
      }
    }
    return {
      id: '9',
      title: `Data service throughput: GetItem, PutItem, Query (10 items of one partition); Portico durable (SQLite synchronous=FULL, PutItem fsyncs) vs dynalite 4 in memory vs a bare Map server (ceiling), ${segments.segmentsPerTarget}×${segments.segmentS} s per target after ${segments.warmupS} s warm-up`,
      rows,
      details,
    };
  } finally {
    for (const proc of procs.reverse()) await proc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function operationRows(operation: Operation, c: number, s: Record<Name, LoadSummary>): Row[] {
  const ceiling = s.ceiling;
  const label = 'bare Map server';
  const failures = (x: LoadSummary): number => x.non2xx + x.errors + x.timeouts;
  const ms = (x: LoadSummary): string => `${x.latencyMs.p50.toFixed(2)} / ${x.latencyMs.p99.toFixed(2)} ms`;
  const pct = (x: number): string => `${x.toFixed(0)}%`;
  const cpu = NAMES.map((n) => `${n}: server ${pct(s[n].cpu.serverPct)}, autocannon ${pct(s[n].cpu.loadGenPct)}`).join('; ');
  const porticoRatio = ratio(s.portico.rps, ceiling.rps);
  return [
    {
      id: '9',
      metric: `${operation} req/s, c=${c}, portico`,
      unit: 'req/s',
      portico: s.portico.rps,
      baseline: ceiling.rps,
      baselineLabel: label,
      ratio: porticoRatio,
      target: `≥ ${TARGET_RATIO}×`,
      verdict: porticoRatio === undefined ? 'MISS' : verdict(porticoRatio >= TARGET_RATIO),
      note: `failed requests: ${NAMES.map((n) => `${n} ${failures(s[n])}`).join(', ')}; CPU (% of one core) ${cpu}`,
    },
    { id: '9', metric: `${operation} req/s, c=${c}, dynalite`, unit: 'req/s', portico: s.dynalite.rps, baseline: ceiling.rps, baselineLabel: label, ratio: ratio(s.dynalite.rps, ceiling.rps) },
    { id: '9', metric: `${operation} latency p50 / p99, c=${c}, portico`, unit: '', portico: ms(s.portico), baseline: ms(ceiling), baselineLabel: label },
    { id: '9', metric: `${operation} latency p50 / p99, c=${c}, dynalite`, unit: '', portico: ms(s.dynalite), baseline: ms(ceiling), baselineLabel: label },
  ];
}
