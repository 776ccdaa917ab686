import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file runs as dist/bench/lib/paths.js). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const PORTICO_BIN = join(REPO_ROOT, 'bin/portico.js');
/** Benchmark fixture apps (source files, not compiled). */
export const APPS_DIR = join(REPO_ROOT, 'bench/apps');
/** The compiled bench/lib folder: helper programs the benchmarks spawn live here. */
export const LIB_DIR = fileURLToPath(new URL('./', import.meta.url));
/** Portico's Node.js runtime client, without which no Node function can run. */
export const NODE_BOOTSTRAP = join(REPO_ROOT, 'dist/src/functions/runtimes/node/bootstrap.js');
export const RESULTS_FILE = join(REPO_ROOT, 'dist/bench-results.json');

export function app(name: string): string {
  return join(APPS_DIR, name);
}
