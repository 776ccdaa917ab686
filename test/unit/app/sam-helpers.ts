/**
 * Shared helpers for the SAM loader tests: fixture paths (read from the source tree, tests run from the repo
 * root), throw-away app folders for templates written inline, and a matcher for TemplateErrors.
 */

import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { TemplateError, type AppModel, type LoadOptions } from '../../../src/app/model.js';
import { loadSamApp } from '../../../src/app/sam/load.js';

export function fixturePath(name: string): string {
  return resolve(process.cwd(), 'test/fixtures/sam', name);
}

/** Copies a fixture into a temp folder (same folder name, so the derived stack name is unchanged). */
export async function copyFixture(name: string): Promise<string> {
  const target = join(await mkdtemp(join(tmpdir(), 'portico-sam-')), name);
  await cp(fixturePath(name), target, { recursive: true });
  return target;
}

/** A temp app folder holding the given files (paths relative to the folder). */
export async function tempApp(files: Readonly<Record<string, string>>, folderName = 'app'): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'portico-sam-')), folderName);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** Loads a template given as text, with a `src/` code folder so `CodeUri: src/` works. */
export async function loadTemplate(template: string, options: LoadOptions = {}, files: Readonly<Record<string, string>> = {}): Promise<AppModel> {
  const dir = await tempApp({ 'template.yaml': template, 'src/app.js': 'exports.handler = async () => ({});\n', ...files });
  return loadSamApp(dir, options);
}

/** Asserts that loading fails with a TemplateError whose message matches every pattern (and has no stack frames). */
export async function assertTemplateError(load: Promise<unknown>, ...patterns: (RegExp | string)[]): Promise<TemplateError> {
  try {
    await load;
  } catch (err) {
    assert.ok(err instanceof TemplateError, `expected a TemplateError, got ${String(err)}`);
    for (const pattern of patterns) {
      if (typeof pattern === 'string') assert.ok(err.message.includes(pattern), `message ${JSON.stringify(err.message)} lacks ${JSON.stringify(pattern)}`);
      else assert.match(err.message, pattern);
    }
    assert.doesNotMatch(err.message, /\n\s+at /, 'a TemplateError message must not carry a stack trace');
    return err;
  }
  assert.fail('expected the template to be rejected');
}

/** A minimal SAM template around the given Resources block (indented by the caller as YAML under `Resources:`). */
export function samTemplate(resources: string, head = ''): string {
  return `AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n${head}\nResources:\n${resources}`;
}

export function findFunction(model: AppModel, logicalId: string) {
  const fn = model.functions.find((f) => f.logicalId === logicalId);
  assert.ok(fn, `function ${logicalId} missing; have ${model.functions.map((f) => f.logicalId).join(', ')}`);
  return fn;
}

export function findApi(model: AppModel, logicalId: string) {
  const api = model.apis.find((a) => a.logicalId === logicalId);
  assert.ok(api, `api ${logicalId} missing; have ${model.apis.map((a) => a.logicalId).join(', ')}`);
  return api;
}

/** The head of a Node function `Fn` whose `Events:` entries follow (indented by 8 spaces). */
export const FUNCTION_EVENTS_HEAD = `  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs20.x
      Events:
`;

/** A function with an HttpApi event (GET /h) and an Api event (GET /r), so both implicit APIs exist next to the tested ones. */
export const FUNCTION_WITH_HTTP_AND_REST_EVENTS = `${FUNCTION_EVENTS_HEAD}        Http: { Type: HttpApi, Properties: { Path: /h, Method: get } }
        Rest: { Type: Api, Properties: { Path: /r, Method: get } }
`;

/** Loads a template holding FUNCTION_WITH_HTTP_AND_REST_EVENTS plus the given API resources (and optional head sections). */
export function loadWithApis(apis: string, head = ''): Promise<AppModel> {
  return loadTemplate(samTemplate(`${FUNCTION_WITH_HTTP_AND_REST_EVENTS}${apis}`, head));
}
