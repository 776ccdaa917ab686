import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildOptions, Format } from 'esbuild';
import type { EsbuildSpec, FunctionSpec } from '../app/model.js';

/** A function whose `Metadata.BuildMethod: esbuild` build failed; the message names the function and the cause. */
export class FunctionBuildError extends Error {
  constructor(logicalId: string, detail: string) {
    super(`${logicalId}: esbuild build failed: ${detail}`);
    this.name = 'FunctionBuildError';
  }
}

/**
 * Builds the functions whose template asks for `BuildMethod: esbuild`, as `sam build` does, into
 * `<outRoot>/<logicalId>/`, and returns the specs with their code folder pointing there. Runs at deploy time only;
 * every redeploy builds again, so editing a TypeScript source redeploys it.
 */
export async function buildFunctions(functions: readonly FunctionSpec[], outRoot: string): Promise<FunctionSpec[]> {
  return Promise.all(functions.map((fn) => (fn.build ? buildOne(fn, fn.build, join(outRoot, fn.logicalId)) : fn)));
}

async function buildOne(fn: FunctionSpec, spec: EsbuildSpec, outdir: string): Promise<FunctionSpec> {
  await rm(outdir, { recursive: true, force: true });
  try {
    // Imported here: esbuild costs ~40 ms of start-up that only apps with esbuild-built functions need.
    const { build } = await import('esbuild');
    await build(esbuildOptions(fn.codeDir, spec, outdir));
  } catch (error) {
    throw new FunctionBuildError(fn.logicalId, firstError(error));
  }
  return { ...fn, codeDir: outdir };
}

/** SAM's esbuild defaults: bundle for Node, CommonJS, entry points relative to CodeUri. */
function esbuildOptions(codeDir: string, spec: EsbuildSpec, outdir: string): BuildOptions {
  return {
    absWorkingDir: codeDir,
    // Relative to the code folder; `./` makes esbuild resolve them as paths, trying .ts/.js when no extension is given.
    entryPoints: spec.entryPoints.map((entry) => (entry.startsWith('.') || entry.startsWith('/') ? entry : `./${entry}`)),
    outdir,
    // Keep each entry point's path below the code folder, so `Handler: src/app.handler` finds `src/app.js`.
    outbase: '.',
    bundle: true,
    platform: 'node',
    format: spec.format as Format,
    target: spec.target,
    minify: spec.minify,
    sourcemap: spec.sourcemap,
    external: [...spec.external],
    loader: { ...spec.loader } as BuildOptions['loader'],
    mainFields: spec.mainFields ? [...spec.mainFields] : undefined,
    outExtension: spec.outExtension ? { ...spec.outExtension } : undefined,
    banner: spec.banner ? { js: spec.banner } : undefined,
    footer: spec.footer ? { js: spec.footer } : undefined,
    logLevel: 'silent',
  };
}

function firstError(error: unknown): string {
  const errors = (error as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors;
  const first = errors?.[0];
  if (!first) return error instanceof Error ? error.message : String(error);
  return first.location ? `${first.location.file}:${first.location.line}: ${first.text}` : first.text;
}
