/**
 * Runtime identifiers -> the family of process Portico starts. Functions run on this machine's Node and Python,
 * whatever minor version they declare, so a differing Node major gets a one-line notice rather than a refusal.
 */

import type { FunctionSpec, RuntimeFamily } from '../model.js';
import { TemplateError } from '../model.js';
import { describe } from './values.js';

const FAMILIES: readonly [RegExp, RuntimeFamily][] = [
  [/^nodejs(\d+\.x)?$/, 'node'],
  [/^python\d+(\.\d+)?$/, 'python'],
  [/^provided(\.al2|\.al2023)?$/, 'provided'],
];

export function runtimeFamily(runtime: unknown, path: string): RuntimeFamily {
  if (typeof runtime !== 'string' || runtime === '') {
    throw new TemplateError(`Runtime is required for a zip-packaged function, got ${describe(runtime)}`, path);
  }
  const family = FAMILIES.find(([pattern]) => pattern.test(runtime))?.[1];
  if (!family) {
    throw new TemplateError(`unsupported runtime ${describe(runtime)}; Portico runs nodejs*, python* and provided* functions`, path);
  }
  return family;
}

/** One line per declared Node runtime whose major version differs from the Node running Portico. */
export function runtimeNotices(functions: readonly FunctionSpec[], nodeVersion = process.versions.node): string[] {
  const hostMajor = nodeVersion.split('.')[0];
  const byRuntime = new Map<string, string[]>();
  for (const fn of functions) {
    const major = /^nodejs(\d+)\.x$/.exec(fn.runtime)?.[1];
    if (fn.family === 'node' && major !== hostMajor) byRuntime.set(fn.runtime, [...(byRuntime.get(fn.runtime) ?? []), fn.logicalId]);
  }
  return [...byRuntime].map(([runtime, ids]) => `${ids.join(', ')} declare ${runtime}; Portico runs them on this machine's Node ${nodeVersion}`);
}
