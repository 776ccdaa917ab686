/**
 * `AWS::Serverless::Function` and `AWS::Lambda::Function` -> FunctionSpec, with Lambda's defaults and limits
 * (timeout 3 s, 1–900; memory 128 MB, 128–10240) checked here so a bad template fails before anything starts.
 */

import type { FunctionSpec, RuntimeFamily } from '../model.js';
import { TemplateError } from '../model.js';
import { localCodeDir, writeInlineCode } from './code.js';
import { esbuildSpec } from './esbuild.js';
import { physicalName } from './naming.js';
import { runtimeFamily } from './runtime.js';
import type { StackEnv } from './stack.js';
import {
  child,
  describe,
  integerIn,
  isRecord,
  optionalList,
  optionalRecord,
  optionalText,
  scalarText,
  stringMap,
  type JsonRecord,
} from './values.js';

export interface FunctionContext {
  readonly env: StackEnv;
  readonly appDir: string;
  readonly templateDir: string;
  readonly warnings: string[];
}

/** The parts of a function definition that differ between the SAM and the plain Lambda resource. */
interface CodeSource {
  readonly local?: { readonly value: unknown; readonly path: string };
  readonly inline?: { readonly code: unknown; readonly path: string };
}

const ARCHITECTURES = new Set(['x86_64', 'arm64']);

function architectures(value: unknown, path: string): string[] {
  const list = optionalList(value, path).map((a, i) => scalarText(a, child(path, i)));
  if (list.length === 0) return ['x86_64'];
  if (list.length !== 1 || !ARCHITECTURES.has(list[0]!)) {
    throw new TemplateError(`must be exactly one of x86_64, arm64; got ${describe(list)}`, path);
  }
  return list;
}

function handlerOf(props: JsonRecord, family: RuntimeFamily, path: string): string | undefined {
  const handler = optionalText(props.Handler, child(path, 'Handler'));
  // Custom runtimes (provided*) start `bootstrap` and may ignore Handler; the others cannot run without it.
  if (handler === undefined && family !== 'provided') throw new TemplateError('Handler is required for this runtime', child(path, 'Handler'));
  return handler;
}

async function codeDir(id: string, source: CodeSource, handler: string | undefined, family: RuntimeFamily, ctx: FunctionContext): Promise<string> {
  if (source.inline) {
    const code = scalarText(source.inline.code, source.inline.path);
    const inline = { appDir: ctx.appDir, logicalId: id, code, handler, family, path: source.inline.path };
    const { dir, moduleName } = await writeInlineCode(inline);
    if (moduleName !== 'index') {
      ctx.warnings.push(`${id}: AWS saves inline code as index.*, so its Handler should start with "index." (it is ${describe(handler)})`);
    }
    return dir;
  }
  // SAM CLI treats a missing CodeUri as the template's own folder.
  return localCodeDir(source.local?.value ?? '.', ctx.templateDir, source.local?.path ?? `Resources.${id}.Properties.CodeUri`);
}

async function buildSpec(id: string, props: JsonRecord, source: CodeSource, ctx: FunctionContext): Promise<FunctionSpec> {
  const path = `Resources.${id}.Properties`;
  const runtime = props.Runtime;
  const family = runtimeFamily(runtime, child(path, 'Runtime'));
  const handler = handlerOf(props, family, path);
  const name = optionalText(props.FunctionName, child(path, 'FunctionName')) ?? physicalName(ctx.env.stackName, id, 64);
  const { partition, region, accountId } = ctx.env;
  const reserved = props.ReservedConcurrentExecutions;
  const environment = optionalRecord(props.Environment, child(path, 'Environment'));
  return {
    logicalId: id,
    name,
    runtime: String(runtime),
    family,
    handler,
    codeDir: await codeDir(id, source, handler, family, ctx),
    timeout: integerIn(props.Timeout, child(path, 'Timeout'), 1, 900, 3),
    memorySize: integerIn(props.MemorySize, child(path, 'MemorySize'), 128, 10240, 128),
    reservedConcurrency: reserved === undefined ? undefined : integerIn(reserved, child(path, 'ReservedConcurrentExecutions'), 0, 100000, 0),
    environment: stringMap(environment.Variables, `${path}.Environment.Variables`),
    architectures: architectures(props.Architectures, child(path, 'Architectures')),
    description: optionalText(props.Description, child(path, 'Description')) ?? '',
    arn: `arn:${partition}:lambda:${region}:${accountId}:function:${name}`,
  };
}

function isImage(props: JsonRecord): boolean {
  return props.PackageType === 'Image' || props.ImageUri !== undefined;
}

/** `AWS::Serverless::Function`; undefined for image functions, which are skipped with a warning. */
export async function serverlessFunction(
  id: string,
  props: JsonRecord,
  metadata: JsonRecord,
  ctx: FunctionContext,
): Promise<FunctionSpec | undefined> {
  const path = `Resources.${id}.Properties`;
  if (isImage(props)) {
    ctx.warnings.push(`${id}: container image functions (PackageType: Image) are not supported yet; skipped`);
    return undefined;
  }
  if (props.InlineCode !== undefined && props.CodeUri !== undefined) {
    throw new TemplateError('set either InlineCode or CodeUri, not both', child(path, 'InlineCode'));
  }
  const esbuild = metadata.BuildMethod === 'esbuild';
  if (typeof metadata.BuildMethod === 'string' && !esbuild && metadata.BuildMethod !== props.Runtime) {
    ctx.warnings.push(
      `${id}: Metadata.BuildMethod ${metadata.BuildMethod} is not run by Portico; CodeUri is used as is (build it first if it needs building)`,
    );
  }
  const source: CodeSource =
    props.InlineCode !== undefined
      ? { inline: { code: props.InlineCode, path: child(path, 'InlineCode') } }
      : { local: { value: props.CodeUri, path: child(path, 'CodeUri') } };
  const spec = await buildSpec(id, props, source, ctx);
  return esbuild ? { ...spec, build: esbuildSpec(id, metadata, spec.handler) } : spec;
}

/** Plain `AWS::Lambda::Function`: `Code.ZipFile` inline, or `Code` as a local path (before `cloudformation package`). */
export async function lambdaFunction(id: string, props: JsonRecord, ctx: FunctionContext): Promise<FunctionSpec | undefined> {
  const path = `Resources.${id}.Properties.Code`;
  const code = props.Code;
  if (isImage(props) || (isRecord(code) && code.ImageUri !== undefined)) {
    ctx.warnings.push(`${id}: container image functions are not supported yet; skipped`);
    return undefined;
  }
  if (isRecord(code) && code.ZipFile !== undefined) {
    return buildSpec(id, props, { inline: { code: code.ZipFile, path: `${path}.ZipFile` } }, ctx);
  }
  if (typeof code === 'string' && !/^s3:\/\//i.test(code)) return buildSpec(id, props, { local: { value: code, path } }, ctx);
  ctx.warnings.push(`${id}: AWS::Lambda::Function code is in S3, which Portico cannot read; skipped`);
  return undefined;
}
