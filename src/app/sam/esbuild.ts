/**
 * `Metadata.BuildMethod: esbuild` → EsbuildSpec, with SAM's documented defaults (serverless-sam-cli-using-build-
 * typescript): the handler's file as the entry point, `Minify` true, `Sourcemap` false, `MainFields` "main,module",
 * CommonJS output; `Target` es2020 as `sam init`'s templates set it.
 */
import type { EsbuildSpec } from '../model.js';
import { TemplateError } from '../model.js';
import { child, describe, optionalList, optionalRecord, optionalText, scalarText, type JsonRecord } from './values.js';

const FORMATS = new Set(['cjs', 'esm']);

export function esbuildSpec(id: string, metadata: JsonRecord, handler: string | undefined): EsbuildSpec {
  const path = `Resources.${id}.Metadata.BuildProperties`;
  const props = optionalRecord(metadata.BuildProperties, path);
  const format = (optionalText(props.Format, child(path, 'Format')) ?? 'cjs').toLowerCase();
  if (!FORMATS.has(format)) throw new TemplateError(`must be cjs or esm, got ${describe(props.Format)}`, child(path, 'Format'));
  return {
    method: 'esbuild',
    entryPoints: entryPoints(props, handler, path),
    format: format as 'cjs' | 'esm',
    target: optionalText(props.Target, child(path, 'Target')) ?? 'es2020',
    minify: flag(props.Minify, child(path, 'Minify'), true),
    sourcemap: flag(props.Sourcemap, child(path, 'Sourcemap'), false),
    external: texts(props.External, child(path, 'External')),
    loader: pairs(props.Loader, child(path, 'Loader')),
    mainFields: (optionalText(props.MainFields, child(path, 'MainFields')) ?? 'main,module').split(',').map((f) => f.trim()),
    outExtension: props.OutExtension === undefined ? undefined : pairs(props.OutExtension, child(path, 'OutExtension')),
    banner: optionalText(props.Banner, child(path, 'Banner')),
    footer: optionalText(props.Footer, child(path, 'Footer')),
  };
}

/** Without EntryPoints SAM builds the handler's module: `src/app.handler` → `src/app` (esbuild finds `.ts`/`.js`). */
function entryPoints(props: JsonRecord, handler: string | undefined, path: string): string[] {
  const listed = texts(props.EntryPoints, child(path, 'EntryPoints'));
  if (listed.length > 0) return listed;
  if (!handler) throw new TemplateError('EntryPoints is required when the function has no Handler', child(path, 'EntryPoints'));
  return [handler.slice(0, handler.lastIndexOf('.'))];
}

function texts(value: unknown, path: string): string[] {
  return optionalList(value, path).map((item, i) => scalarText(item, child(path, i)));
}

/** SAM writes `Loader` and `OutExtension` as `".png=file"` strings. */
function pairs(value: unknown, path: string): Record<string, string> {
  const result: Record<string, string> = {};
  texts(value, path).forEach((item, i) => {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new TemplateError(`expects ".ext=value", got ${describe(item)}`, child(path, i));
    result[item.slice(0, eq)] = item.slice(eq + 1);
  });
  return result;
}

function flag(value: unknown, path: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new TemplateError(`must be true or false, got ${describe(value)}`, path);
}
