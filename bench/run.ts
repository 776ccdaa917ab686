// `npm run bench`: every Portico benchmark with its baseline, side by side in the same run. Prints a table, writes
// dist/bench-results.json. Targets are reported as PASS/MISS, never enforced: the exit code is 0 unless a
// measurement could not be taken at all (harness or Portico broken — the table says which).
//
//   node dist/bench/run.js [--quick] [--only 1,4,…]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { measureColdStart } from './cold-start.js';
import { measureConcurrentEnvs } from './concurrent-envs.js';
import { measureDynamoMemory } from './dynamodb-memory.js';
import { measureDynamoDb } from './dynamodb-throughput.js';
import { measureCacheHit, measurePolicyCost, measureThrottle, POLICY_PORTICO_ARGS } from './gateway-policies.js';
import { measureGateway } from './gateway-throughput.js';
import { measureIdleMemory } from './idle-memory.js';
import { configFor } from './lib/config.js';
import { cpuMonitor } from './lib/cpu-monitor.js';
import { MB } from './lib/memory.js';
import { app, NODE_BOOTSTRAP, RESULTS_FILE } from './lib/paths.js';
import { startBare, startPortico, warnings, type Bare, type Portico } from './lib/proc.js';
import type { MeasurementResult } from './lib/results.js';
import { renderMarkdown, renderText } from './lib/table.js';
import { measureTreeMemory } from './memory-tree.js';
import { measureRuntimeChannel } from './runtime-channel.js';
import { measureStartTime } from './start-time.js';
import { measureWarmInvoke } from './warm-invoke.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex === -1 ? undefined : new Set((args[onlyIndex + 1] ?? '').split(','));
const wanted = (id: string): boolean => !only || only.has(id);
const cfg = configFor(quick);

process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

const TITLES: Record<string, string> = {
  '1': 'Gateway throughput & latency',
  '2': 'Start to first 200',
  '3': 'Memory of the process tree after c=50',
  '4': 'Cold start',
  '5': 'Warm invoke overhead',
  '6': 'Idle environment memory',
  '7': '50 concurrent environments',
  '8': 'Runtime channel comparison',
  '9': 'Data service throughput',
  '10': 'Gateway policies: API key + usage plan + cached authorizer',
  '11': 'Response cache hit vs bare Node',
  '12': 'Stage throttle accuracy',
  '13': 'Data service memory while a table grows',
};

const results: MeasurementResult[] = [];
const began = performance.now();

function progress(text: string): void {
  process.stderr.write(`[bench ${((performance.now() - began) / 1000).toFixed(0).padStart(3)} s] ${text}\n`);
}

function failed(id: string, error: unknown): MeasurementResult {
  const message = error instanceof Error ? error.message : String(error);
  progress(`measurement ${id} failed: ${message}`);
  return { id, title: TITLES[id]!, rows: [], details: { error: message, stack: error instanceof Error ? error.stack : undefined }, error: message };
}

/** Runs one measurement, recording what it cost in CPU and what other processes on the machine used meanwhile. */
async function measured(id: string, run: () => Promise<MeasurementResult>): Promise<MeasurementResult> {
  const mark = cpuMonitor.mark();
  let result: MeasurementResult;
  try {
    result = await run();
  } catch (error) {
    result = failed(id, error);
  }
  result.cpu = cpuMonitor.since(mark);
  return result;
}

async function step(id: string, run: () => Promise<MeasurementResult>): Promise<void> {
  if (!wanted(id)) return;
  progress(`${id}. ${TITLES[id]} …`);
  results.push(await measured(id, run));
}

async function main(): Promise<void> {
  if (!existsSync(NODE_BOOTSTRAP)) {
    process.stderr.write(`Portico's Node.js runtime client is not built (${NODE_BOOTSTRAP} is missing): no Node function can run.\n`);
    process.exitCode = 1;
    return;
  }
  cpuMonitor.start();
  const whole = cpuMonitor.mark();
  const loadBefore = loadavg();
  progress(`${quick ? 'quick' : 'full'} run; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);

  await step('2', () => measureStartTime(cfg));

  // 1, 3 and 5 share one portico (bench/apps/hello) and one bare server.
  if (wanted('1') || wanted('3') || wanted('5')) {
    let portico: Portico | undefined;
    let bare: Bare | undefined;
    try {
      portico = await startPortico(app('hello'));
      bare = await startBare();
      const p = portico;
      const b = bare;
      if (wanted('1') || wanted('3')) {
        progress('1. Gateway throughput & latency …');
        const m1 = await measured('1', () =>
          measureGateway(p, b, cfg, async () => {
            if (wanted('3')) {
              progress('3. Memory of the process tree after c=50 …');
              try {
                results.push(measureTreeMemory(p, b));
              } catch (error) {
                results.push(failed('3', error));
              }
            }
          }),
        );
        if (wanted('1')) results.push(m1);
        if (wanted('3') && !results.some((r) => r.id === '3')) results.push(failed('3', new Error('measurement 1 did not reach its c=50 run')));
      }
      await step('5', () => measureWarmInvoke(p, b, cfg));
    } catch (error) {
      for (const id of ['1', '3', '5']) if (wanted(id) && !results.some((r) => r.id === id)) results.push(failed(id, error));
    } finally {
      await portico?.stop();
      await bare?.stop();
    }
  }

  await step('8', () => measureRuntimeChannel(cfg));
  await step('4', () => measureColdStart(cfg));
  await step('6', () => measureIdleMemory(cfg));
  await step('7', () => measureConcurrentEnvs(cfg));
  await step('9', () => measureDynamoDb(cfg));

  // 10, 11 and 12 share one portico (bench/apps/policies).
  if (wanted('10') || wanted('11') || wanted('12')) {
    let portico: Portico | undefined;
    try {
      portico = await startPortico(app('policies'), { args: POLICY_PORTICO_ARGS, label: 'portico-policies' });
      const p = portico;
      await step('10', () => measurePolicyCost(p, cfg));
      await step('11', () => measureCacheHit(p, cfg));
      await step('12', () => measureThrottle(p, cfg));
    } catch (error) {
      for (const id of ['10', '11', '12']) if (wanted(id) && !results.some((r) => r.id === id)) results.push(failed(id, error));
    } finally {
      await portico?.stop();
    }
  }
  await step('13', () => measureDynamoMemory(cfg));

  const cpu = cpuMonitor.since(whole);
  cpuMonitor.stop();
  results.sort((a, b) => Number(a.id) - Number(b.id));
  const machine = {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryMb: Math.round(totalmem() / MB),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
  const command = `npm run bench${quick ? ' -- --quick' : ''}`;
  const date = new Date().toISOString();
  const seconds = (performance.now() - began) / 1000;
  process.stdout.write(`\nPortico benchmarks — ${date} — ${command} — ${seconds.toFixed(0)} s\n`);
  process.stdout.write(`machine: ${machine.nproc} CPUs (${machine.cpu}), ${machine.memoryMb} MB, Node ${machine.node}, ${machine.platform}\n`);
  process.stdout.write(
    `CPU over the run: bench processes ${cpu.oursPct.toFixed(0)}%, other processes on the machine ${cpu.othersPct.toFixed(0)}% of one core (of ${machine.nproc * 100}%); load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}\n\n`,
  );
  process.stdout.write(`${renderText(results)}\n`);
  if (warnings.length) process.stdout.write(`\nWarnings:\n${warnings.map((w) => `  ${w}`).join('\n')}\n`);
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify({ date, command, seconds, machine, cpu, loadBefore, config: cfg, results, warnings, markdown: renderMarkdown(results) }, null, 2)}\n`);
  process.stdout.write(`\nResults: ${RESULTS_FILE}\n`);
  if (results.some((r) => r.error)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
