/**
 * Which file is the template: `options.template` when given (it must exist), else the first of the names SAM CLI
 * and real apps use.
 */

import { stat } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { TemplateError } from '../model.js';

export const TEMPLATE_NAMES = ['template.yaml', 'template.yml', 'sam-template.yaml', 'sam-template.yml', 'template.json'] as const;

async function isFile(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() ?? false;
}

export async function findTemplate(appDir: string, template: string | undefined): Promise<string> {
  if (template !== undefined) {
    const path = isAbsolute(template) ? template : resolvePath(appDir, template);
    if (!(await isFile(path))) throw new TemplateError(`template file ${JSON.stringify(template)} not found (looked for ${path})`, 'template');
    return path;
  }
  for (const name of TEMPLATE_NAMES) {
    const path = resolvePath(appDir, name);
    if (await isFile(path)) return path;
  }
  throw new TemplateError(`no template in ${appDir}; expected one of ${TEMPLATE_NAMES.join(', ')}`, 'template');
}
