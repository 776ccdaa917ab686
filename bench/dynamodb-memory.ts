// 13. Data service memory while a table grows (issue #5: "memory flat while the table grows past RAM-sized datasets —
// items stay on disk, not in the heap"). N items of ~1 KB are written with BatchWriteItem (25 items a request, a few
// concurrent writers, through @aws-sdk/client-dynamodb, SigV4 with the dev pair) into a fresh table of
//   - Portico: `portico dynamodb --port 0 --data-dir <tmp>` (durable: SQLite, synchronous=FULL), and
//   - the baseline, run side by side in the same run: dynalite 4 in memory (bench/lib/dynalite-server.ts), whose
//     items do live in its heap,
// one server after the other, while the server process's RSS (and its anonymous part, RssAnon: heap and other private
// memory, not file pages) is sampled every 200 ms from /proc. Reported: RSS before the first write, after the first
// WARM_ITEMS items (the reference point), at the end and at its peak; the table's size on disk (every file of
// Portico's data directory, SQLite's WAL included); and the RSS growth after the reference point against the item bytes
// those writes
// added (DynamoDB's item size: attribute names and values).
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchConfig } from './lib/config.js';
import { MB } from './lib/memory.js';
import { LIB_DIR, PORTICO_BIN } from './lib/paths.js';
import { spawnLogged, type Spawned } from './lib/proc.js';
import { ratio, verdict, type MeasurementResult, type Row } from './lib/results.js';

const TABLE = 'grow';
const BATCH = 25;
const WRITERS = 4;
const SAMPLE_MS = 200;
/** Bytes of the `data` attribute: with the key and the number, an item of ~1 KB. */
const PAYLOAD_BYTES = 1000;
/** RSS may grow by at most this share of the item bytes written after WARM_ITEMS (the heap does not hold the items). */
const GROWTH_TARGET = 0.1;
/**
 * The reference point: the first items warm up the code paths, the SQLite page cache and the V8 heap (RSS rises by
 * some 30 MB over the first ~10,000 items and then stays put); growth is measured from here on.
 */
const WARM_ITEMS = 20_000;

/** RSS and RssAnon of a process, bytes, from /proc/<pid>/status; undefined once it has gone. */
function rssOf(pid: number): { rss: number; anon: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), anon: kb('RssAnon') };
  } catch {
    return undefined;
  }
}

/** Size of every file under `dir`, by path relative to it. */
function diskFiles(dir: string): Record<string, number> {
  const files: Record<string, number> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files[path.slice(dir.length + 1)] = statSync(path).size;
    }
  }
  return files;
}

/** An item's size as DynamoDB counts it: the UTF-8 lengths of attribute names and values (numbers: digits). */
function itemBytes(i: number): number {
  const pk = `item-${String(i).padStart(9, '0')}`;
  return 'pk'.length + pk.length + 'n'.length + String(i).length + 'data'.length + PAYLOAD_BYTES;
}

/** A payload that differs per item (so that nothing could share or compress it), PAYLOAD_BYTES long. */
function payload(i: number): string {
  const seed = `${i.toString(36)}-`;
  return seed.repeat(Math.ceil(PAYLOAD_BYTES / seed.length)).slice(0, PAYLOAD_BYTES);
}

function item(i: number): WriteRequest {
  return { PutRequest: { Item: { pk: { S: `item-${String(i).padStart(9, '0')}` }, n: { N: String(i) }, data: { S: payload(i) } } } };
}

interface Sample {
  readonly atS: number;
  readonly written: number;
  readonly rss: number;
  readonly anon: number;
}

interface GrowthRun {
  readonly items: number;
  readonly seconds: number;
  readonly itemsPerS: number;
  readonly before: Sample;
  readonly atWarm: Sample;
  readonly end: Sample;
  readonly peakRss: number;
  readonly samples: readonly Sample[];
  readonly unprocessedRetries: number;
}

/** Writes `n` items into a fresh table at `url` while sampling `pid`'s memory. */
async function grow(url: string, pid: number, n: number): Promise<GrowthRun> {
  const client = new DynamoDBClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 5,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: WRITERS }) },
  });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: TABLE,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    let written = 0;
    const started = performance.now();
    const sample = (): Sample => {
      const m = rssOf(pid);
      if (!m) throw new Error(`the server (pid ${pid}) has gone`);
      return { atS: (performance.now() - started) / 1000, written, rss: m.rss, anon: m.anon };
    };
    const samples: Sample[] = [sample()];
    let atWarm: Sample | undefined;
    const timer = setInterval(() => {
      const s = sample();
      samples.push(s);
      if (!atWarm && written >= WARM_ITEMS) atWarm = s;
    }, SAMPLE_MS);
    let next = 0;
    let retries = 0;
    const writer = async (): Promise<void> => {
      while (next < n) {
        const first = next;
        next = Math.min(n, next + BATCH);
        let requests = Array.from({ length: next - first }, (_, k) => item(first + k));
        while (requests.length > 0) {
          const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: requests } }));
          const left = out.UnprocessedItems?.[TABLE] ?? [];
          written += requests.length - left.length;
          if (left.length) retries++;
          requests = left;
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: WRITERS }, writer));
    } finally {
      clearInterval(timer);
    }
    const seconds = (performance.now() - started) / 1000;
    const end = sample();
    samples.push(end);
    return {
      items: written,
      seconds,
      itemsPerS: written / seconds,
      before: samples[0]!,
      atWarm: atWarm ?? end,
      end,
      peakRss: Math.max(...samples.map((s) => s.rss)),
      samples,
      unprocessedRetries: retries,
    };
  } finally {
    client.destroy();
  }
}

async function listening(proc: Spawned, pattern: RegExp): Promise<string> {
  return (await proc.waitFor(pattern, 20_000))[1]!;
}

export async function measureDynamoMemory(cfg: BenchConfig): Promise<MeasurementResult> {
  const n = cfg.quick ? 50_000 : 200_000;
  const dataDir = mkdtempSync(join(tmpdir(), 'portico-bench-grow-'));
  const procs: Spawned[] = [];
  try {
    const portico = spawnLogged('portico-dynamodb-grow', process.execPath, [PORTICO_BIN, 'dynamodb', '--port', '0', '--data-dir', dataDir]);
    procs.push(portico);
    const porticoRun = await grow(await listening(portico, /DynamoDB endpoint (http:\/\/\S+)/), portico.pid, n);
    const files = diskFiles(dataDir);
    const disk = Object.values(files).reduce((a, b) => a + b, 0);
    await portico.stop();

    const dynalite = spawnLogged('dynalite-grow', process.execPath, [join(LIB_DIR, 'dynalite-server.js')]);
    procs.push(dynalite);
    const dynaliteRun = await grow(await listening(dynalite, /Listening (http:\/\/\S+)/), dynalite.pid, n);
    await dynalite.stop();

    let written = 0;
    for (let i = porticoRun.atWarm.written; i < porticoRun.items; i++) written += itemBytes(i);
    let total = 0;
    for (let i = 0; i < porticoRun.items; i++) total += itemBytes(i);
    const growth = (r: GrowthRun): number => r.end.rss - r.atWarm.rss;
    const share = growth(porticoRun) / written;
    const label = 'dynalite in memory';
    const mb = (x: number): number => x / MB;
    const rows: Row[] = [
      { id: '13', metric: 'RSS before the first write', unit: 'MB', portico: mb(porticoRun.before.rss), baseline: mb(dynaliteRun.before.rss), baselineLabel: label, ratio: ratio(porticoRun.before.rss, dynaliteRun.before.rss) },
      {
        id: '13',
        metric: `RSS after ${porticoRun.atWarm.written.toLocaleString('en-US')} items (the reference point)`,
        unit: 'MB',
        portico: mb(porticoRun.atWarm.rss),
        baseline: mb(dynaliteRun.atWarm.rss),
        baselineLabel: label,
        ratio: ratio(porticoRun.atWarm.rss, dynaliteRun.atWarm.rss),
      },
      { id: '13', metric: `RSS after ${porticoRun.items.toLocaleString('en-US')} items`, unit: 'MB', portico: mb(porticoRun.end.rss), baseline: mb(dynaliteRun.end.rss), baselineLabel: label, ratio: ratio(porticoRun.end.rss, dynaliteRun.end.rss) },
      { id: '13', metric: 'RSS, peak while writing', unit: 'MB', portico: mb(porticoRun.peakRss), baseline: mb(dynaliteRun.peakRss), baselineLabel: label, ratio: ratio(porticoRun.peakRss, dynaliteRun.peakRss) },
      { id: '13', metric: 'RssAnon (heap, private) at the end', unit: 'MB', portico: mb(porticoRun.end.anon), baseline: mb(dynaliteRun.end.anon), baselineLabel: label, ratio: ratio(porticoRun.end.anon, dynaliteRun.end.anon) },
      { id: '13', metric: 'table on disk (data directory, WAL included)', unit: 'MB', portico: mb(disk), baseline: mb(total), baselineLabel: 'item bytes written', ratio: ratio(disk, total) },
      {
        id: '13',
        metric: `RSS growth over the last ${(porticoRun.items - porticoRun.atWarm.written).toLocaleString('en-US')} items`,
        unit: 'MB',
        portico: mb(growth(porticoRun)),
        baseline: mb(growth(dynaliteRun)),
        baselineLabel: label,
        ratio: ratio(growth(porticoRun), growth(dynaliteRun)),
      },
      {
        id: '13',
        metric: 'that growth / the item bytes those writes added',
        unit: '%',
        portico: share * 100,
        target: `≤ ${GROWTH_TARGET * 100}%`,
        verdict: verdict(share <= GROWTH_TARGET),
        note: `Portico ${porticoRun.itemsPerS.toFixed(0)} items/s (${porticoRun.seconds.toFixed(1)} s), dynalite ${dynaliteRun.itemsPerS.toFixed(0)} items/s (${dynaliteRun.seconds.toFixed(1)} s); retries of unprocessed items: ${porticoRun.unprocessedRetries} / ${dynaliteRun.unprocessedRetries}`,
      },
      { id: '13', metric: 'write rate (BatchWriteItem of 25, 4 writers)', unit: 'items/s', portico: porticoRun.itemsPerS, baseline: dynaliteRun.itemsPerS, baselineLabel: label, ratio: ratio(porticoRun.itemsPerS, dynaliteRun.itemsPerS) },
    ];
    return {
      id: '13',
      title: `Data service memory while a table grows: ${n.toLocaleString('en-US')} items of ~1 KB by BatchWriteItem (25 per request, ${WRITERS} writers); Portico durable on disk vs dynalite 4 in memory, RSS sampled every ${SAMPLE_MS} ms`,
      rows,
      details: { items: n, itemBytes: total, diskBytes: disk, diskFiles: files, portico: porticoRun, dynalite: dynaliteRun },
    };
  } finally {
    for (const proc of procs.reverse()) await proc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
