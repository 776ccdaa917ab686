/**
 * Loads the function's handler from a handler string, following the RIC's UserFunction.js step for step so that the
 * same code loads (or fails to load, with the same error) as on Lambda: `dir/file.fn`, `file.nested.fn`; files tried
 * as `<taskRoot>/<module>`, `.js` (CommonJS unless the nearest package.json says `"type": "module"`), `.mjs`, `.cjs`,
 * then Node's own resolution from the task root.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HandlerNotFound, ImportModuleError, MalformedHandlerName, UserCodeSyntaxError } from './errors.js';

// Like the RIC's require, ours lives outside the task root: "Require stack" in a not-found message names this file
// where Lambda's names /var/runtime/index.mjs.
const require = createRequire(import.meta.url);

export type Handler = (event: unknown, context: unknown, callback?: unknown) => unknown;

export interface HandlerMetadata {
  readonly isAsync: boolean;
  readonly argsNum: number;
}

export interface LoadOptions {
  /** nodejs24.x and later: the RIC rewrite's behaviour (original syntax-error stack, handler looked up in `default`). */
  readonly promiseOnly: boolean;
  /** Called once before the first ES module import, so the provided-SDK resolve hook can be registered just in time. */
  readonly beforeEsmImport?: () => void;
}

const FUNCTION_EXPR = /^([^.]*)\.(.*)$/;

export async function loadHandler(appRoot: string, fullHandler: string, options: LoadOptions): Promise<Handler> {
  if (fullHandler.includes('..')) {
    throw new MalformedHandlerName(
      `'${fullHandler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const handlerString = basename(fullHandler);
  const moduleRoot = fullHandler.substring(0, fullHandler.indexOf(handlerString));
  const match = handlerString.match(FUNCTION_EXPR);
  if (!match) throw new MalformedHandlerName('Bad handler');
  const [, moduleName, handlerPath] = match;

  const app = await loadUserApp(appRoot, moduleRoot, moduleName, options);
  let handler = findIn(app, handlerPath);
  if (!handler && options.promiseOnly && app && typeof app === 'object' && 'default' in app) {
    handler = findIn((app as { default: unknown }).default, handlerPath);
  }
  if (!handler) throw new HandlerNotFound(`${fullHandler} is undefined or not exported`);
  if (typeof handler !== 'function') throw new HandlerNotFound(`${fullHandler} is not a function`);
  return handler as Handler;
}

export function handlerMetadata(handler: Handler): HandlerMetadata {
  return { isAsync: handler.constructor?.name === 'AsyncFunction', argsNum: handler.length };
}

function findIn(root: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((nested, key) => (nested ? (nested as Record<string, unknown>)[key] : nested), root);
}

/** Maps load failures to Lambda's types; anything else a module throws at top level keeps its own type. */
async function loadUserApp(appRoot: string, moduleRoot: string, moduleName: string, options: LoadOptions): Promise<unknown> {
  try {
    return await tryLoad(appRoot, moduleRoot, moduleName, options);
  } catch (err) {
    if (err instanceof SyntaxError) throw new UserCodeSyntaxError(err, options.promiseOnly);
    if ((err as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND') throw new ImportModuleError(err as Error);
    throw err;
  }
}

async function tryLoad(appRoot: string, moduleRoot: string, moduleName: string, options: LoadOptions): Promise<unknown> {
  const file = resolve(appRoot, moduleRoot, moduleName);
  const extensionless = requireIfExists(file);
  if (extensionless) return extensionless;

  const typeModule = hasPackageJsonTypeModule(file);
  if (!typeModule) {
    const cjs = requireIfExists(file + '.js');
    if (cjs) return cjs;
  }
  const loaded =
    (typeModule && (await importIfExists(file + '.js', options))) ||
    (await importIfExists(file + '.mjs', options)) ||
    requireIfExists(file + '.cjs');
  if (loaded) return loaded;

  // Last resort, as in the RIC: Node's own resolution (node_modules, NODE_PATH) from the task root. Its failure is the
  // "Cannot find module '<name>'" that becomes Runtime.ImportModuleError.
  return require(require.resolve(moduleName, { paths: [appRoot, moduleRoot] }));
}

function requireIfExists(path: string): unknown {
  return existsSync(path) ? require(path) : undefined;
}

async function importIfExists(path: string, options: LoadOptions): Promise<unknown> {
  if (!existsSync(path)) return undefined;
  options.beforeEsmImport?.();
  return import(pathToFileURL(path).href);
}

/** `.js` is an ES module when the nearest package.json (stopping at node_modules) has `"type": "module"`. */
function hasPackageJsonTypeModule(file: string): boolean {
  return existsSync(file + '.js') ? folderIsTypeModule(dirname(file + '.js')) : false;
}

function folderIsTypeModule(folder: string): boolean {
  if (folder.endsWith('/node_modules')) return false;
  const pj = join(folder, 'package.json');
  if (existsSync(pj)) {
    try {
      const pkg = JSON.parse(readFileSync(pj, 'utf8')) as { type?: unknown } | null;
      if (pkg) return pkg.type === 'module';
    } catch (e) {
      console.warn(`${pj} cannot be read, it will be ignored for ES module detection purposes.`, e);
      return false;
    }
  }
  if (folder === '/') return false;
  return folderIsTypeModule(resolve(folder, '..'));
}
