// 3. Memory of the whole process tree — `portico up` plus every environment and stem-cell process it started —
// right after the c=50 run of measurement 1; baseline: the bare server process.
import { MB, processMemory, treeMemory } from './lib/memory.js';
import type { Bare, Portico } from './lib/proc.js';
import { ratio, verdict, type MeasurementResult } from './lib/results.js';

const TARGET_MB = 400;

export function measureTreeMemory(portico: Portico, bare: Bare): MeasurementResult {
  const tree = treeMemory(portico.pid);
  const main = tree.processes.find((p) => p.pid === portico.pid);
  const baseline = processMemory(bare.pid);
  if (!main || !baseline) throw new Error('portico or the bare server is gone');
  const mb = (bytes: number): number => bytes / MB;
  return {
    id: '3',
    title: `Memory of the portico process tree after the c=50 run (${tree.pids.length} processes)`,
    rows: [
      { id: '3', metric: 'tree RSS, sum', unit: 'MB', portico: mb(tree.rss), baseline: mb(baseline.rss), baselineLabel: 'bare server', ratio: ratio(tree.rss, baseline.rss), note: 'sum of RSS counts shared pages (node binary, libraries) once per process; PSS is the tree\'s real footprint' },
      { id: '3', metric: 'tree USS, sum', unit: 'MB', portico: mb(tree.uss), baseline: mb(baseline.uss), baselineLabel: 'bare server', ratio: ratio(tree.uss, baseline.uss), target: `≤ ${TARGET_MB} MB`, verdict: verdict(mb(tree.uss) <= TARGET_MB) },
      { id: '3', metric: 'tree PSS, sum', unit: 'MB', portico: mb(tree.pss), baseline: mb(baseline.pss), baselineLabel: 'bare server', ratio: ratio(tree.pss, baseline.pss), target: `≤ ${TARGET_MB} MB`, verdict: verdict(mb(tree.pss) <= TARGET_MB) },
      { id: '3', metric: 'portico process alone, RSS', unit: 'MB', portico: mb(main.rss), baseline: mb(baseline.rss), baselineLabel: 'bare server', ratio: ratio(main.rss, baseline.rss) },
      { id: '3', metric: 'processes in the tree', unit: '', portico: tree.pids.length, baseline: 1, baselineLabel: 'bare server' },
    ],
    details: { tree, bare: baseline },
  };
}
