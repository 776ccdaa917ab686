/**
 * Entry point of the SAM loader: find and parse the template, resolve parameters, Globals, includes, conditions
 * and intrinsics, and build the AppModel. Files are only read, except inline function code, which is written
 * under `<appDir>/.portico/inline/`.
 */

import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { TemplateError, type AppModel, type LoadOptions } from '../model.js';
import { assemble } from './assemble.js';
import { findTemplate } from './discover.js';
import { applyGlobals, readGlobals } from './globals.js';
import { expandIncludes } from './include.js';
import { isValidStackName, stackNameFromDir } from './naming.js';
import { resolveOutputs } from './outputs.js';
import { resolveParameters } from './parameters.js';
import { createScope } from './scope.js';
import { makeStackEnv } from './stack.js';
import { parseTemplateText } from './yaml.js';
import { describe, requireRecord, type JsonRecord } from './values.js';

export { TemplateError } from '../model.js';
export type { AppModel, LoadOptions } from '../model.js';

const DEFAULT_REGION = 'us-east-1';
const DEFAULT_ACCOUNT = '123456789012';

const SECTIONS = new Set([
  'AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings',
  'Conditions', 'Transform', 'Globals', 'Resources', 'Outputs',
]);

async function readTemplate(path: string): Promise<JsonRecord> {
  const name = basename(path);
  const text = await readFile(path, 'utf8');
  const template = parseTemplateText(text, name);
  if (template === null || template === undefined) throw new TemplateError('the template is empty', name);
  return requireRecord(template, name, 'a mapping of template sections');
}

/** CloudFormation rejects unknown top-level sections; a typo such as `Resource:` would otherwise load nothing. */
function checkSections(template: JsonRecord): JsonRecord {
  const unknown = Object.keys(template).find((key) => !SECTIONS.has(key));
  if (unknown) throw new TemplateError(`not a template section (expected one of ${[...SECTIONS].join(', ')})`, unknown);
  const resources = template.Resources;
  const count = typeof resources === 'object' && resources !== null ? Object.keys(resources).length : 0;
  if (count === 0) throw new TemplateError(`at least one resource is required, got ${describe(resources)}`, 'Resources');
  return requireRecord(resources, 'Resources');
}

function stackNameOf(appDir: string, options: LoadOptions): string {
  if (options.stackName === undefined) return stackNameFromDir(appDir);
  if (!isValidStackName(options.stackName)) {
    const problem = `must start with a letter and contain only letters, digits and "-", got ${describe(options.stackName)}`;
    throw new TemplateError(problem, 'stackName');
  }
  return options.stackName;
}

export async function loadSamApp(appDir: string, options: LoadOptions = {}): Promise<AppModel> {
  const root = resolvePath(appDir);
  const templatePath = await findTemplate(root, options.template);
  const templateDir = dirname(templatePath);
  const template = await readTemplate(templatePath);
  const declared = checkSections(template);
  const env = makeStackEnv(stackNameOf(root, options), options.region ?? DEFAULT_REGION, options.accountId ?? DEFAULT_ACCOUNT);
  const parameters = resolveParameters(template.Parameters, options.parameterOverrides ?? {});
  const globals = readGlobals(template.Globals);
  const base = { template, env, parameters: parameters.values, importValues: options.importValues ?? {} };

  // Include Locations may use parameters (`!Sub ${Prefix}/api.yaml`), so includes are expanded with a first scope
  // over the unexpanded resources, then everything is resolved against the expanded ones.
  const merged = applyGlobals(globals, declared);
  const boot = createScope({ ...base, resources: merged });
  const resources = (await expandIncludes(merged, templateDir, (v, p) => boot.resolver.resolve(v, p), 'Resources')) as JsonRecord;
  const scope = createScope({ ...base, resources });
  for (const name of scope.conditions.names()) scope.conditions.get(name, `Conditions.${name}`);

  const warnings = [...parameters.warnings];
  const { functions, apis, tables, eventSourceMappings, usagePlans } = await assemble(scope, { env, appDir: root, templateDir, warnings, globals });
  return {
    appDir: root,
    templatePath,
    stackName: env.stackName,
    region: env.region,
    accountId: env.accountId,
    functions,
    apis,
    tables,
    eventSourceMappings,
    ...(usagePlans ? { usagePlans } : {}),
    outputs: resolveOutputs(template.Outputs, scope.resolver),
    warnings,
  };
}
