/**
 * Where a function's code lives: a local folder (`CodeUri`, plain `Code` path) or inline source (`InlineCode`,
 * `Code.ZipFile`) written to `<appDir>/.portico/inline/<logicalId>/` — the only file the loader writes.
 */

import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve as resolvePath } from 'node:path';
import { TemplateError, type RuntimeFamily } from '../model.js';
import { describe, isRecord } from './values.js';

/** A local code path, relative to the template's folder; S3 locations and archives are refused. */
export async function localCodeDir(codeUri: unknown, templateDir: string, path: string): Promise<string> {
  if (isRecord(codeUri) || (typeof codeUri === 'string' && /^s3:\/\//i.test(codeUri))) {
    throw new TemplateError(`code in S3 (${describe(codeUri)}) is not supported; point it at a local folder`, path);
  }
  if (typeof codeUri !== 'string' || codeUri === '') throw new TemplateError(`must be a local folder path, got ${describe(codeUri)}`, path);
  const dir = isAbsolute(codeUri) ? codeUri : resolvePath(templateDir, codeUri);
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new TemplateError(`folder ${describe(codeUri)} does not exist (looked for ${dir})`, path);
  if (!info.isDirectory()) throw new TemplateError(`${describe(codeUri)} is a file; Portico needs the unpacked code folder`, path);
  return dir;
}

const EXTENSIONS: Readonly<Record<RuntimeFamily, string | undefined>> = { node: '.js', python: '.py', provided: undefined };

export interface InlineSource {
  readonly appDir: string;
  readonly logicalId: string;
  readonly code: string;
  readonly handler: string | undefined;
  readonly family: RuntimeFamily;
  readonly path: string;
}

/** Writes inline source as the module its `Handler` names (`index.handler` -> `index.js`); returns the folder. */
export async function writeInlineCode(source: InlineSource): Promise<{ dir: string; moduleName: string }> {
  const extension = EXTENSIONS[source.family];
  if (!extension) throw new TemplateError('inline code needs a nodejs or python runtime', source.path);
  const handler = source.handler ?? '';
  const moduleName = handler.includes('.') ? handler.slice(0, handler.lastIndexOf('.')) : 'index';
  if (!/^[A-Za-z0-9_-]+$/.test(moduleName)) {
    throw new TemplateError(`Handler ${describe(handler)} must name a module in the inline code's folder`, source.path);
  }
  const dir = join(source.appDir, '.portico', 'inline', source.logicalId);
  const file = join(dir, `${moduleName}${extension}`);
  // Rewrite only on change so file watchers and module caches do not see spurious updates.
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current !== source.code) {
    await mkdir(dir, { recursive: true });
    await writeFile(file, source.code, 'utf8');
  }
  return { dir, moduleName };
}
