/**
 * Lambda's nodejs18.x+ runtimes provide AWS SDK v3, and many apps import `@aws-sdk/*` without declaring it. Portico
 * ships those packages in its own node_modules; this module makes them resolvable from function code, for require()
 * and for import, but only as a fallback: a copy the app declares itself always wins, and only the `@aws-sdk/` scope
 * is served (an app must not silently run on Portico's other dependencies).
 *
 * The folder is `$PORTICO_PROVIDED_SDK_DIR` (the parent of a node_modules folder), read when a resolution fails, so
 * it may arrive with the init message's env as well as with the stem cell's own environment.
 */
import Module, { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SCOPE = '@aws-sdk/';

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: { paths?: string[] }) => string;
const CJS = Module as unknown as { _resolveFilename: ResolveFilename };

export function providedSdkDir(): string | undefined {
  return process.env.PORTICO_PROVIDED_SDK_DIR || undefined;
}

/**
 * CommonJS: retry a failed `@aws-sdk/…` resolution from the provided folder. Patching Module._resolveFilename covers
 * require(), require.resolve() and createRequire() alike. Costs nothing until a resolution fails, so it is installed
 * at stem-cell boot.
 */
export function installCjsFallback(): void {
  const original = CJS._resolveFilename;
  CJS._resolveFilename = function resolveWithProvidedSdk(request, parent, isMain, options) {
    try {
      return original.call(this, request, parent, isMain, options);
    } catch (err) {
      const dir = providedSdkDir();
      if (!dir || !request.startsWith(SCOPE) || (err as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw err;
      try {
        // `paths` makes Node search <dir>/node_modules (and its ancestors) exactly as require.resolve(…, {paths}) does.
        return original.call(this, request, parent, isMain, { paths: [dir] });
      } catch {
        throw err; // the app's own failure message is the useful one
      }
    }
  };
}

let registered = false;

/**
 * ES modules: NODE_PATH does not apply to `import`, so a resolve hook (sdk-hooks.js) retries `@aws-sdk/…` from the
 * provided folder. module.register() starts the loader-hooks thread, which costs ~8 MB of private memory and ~30–45 ms
 * on this machine; it is therefore registered when the first ES module of a function is about to be imported (or at
 * boot when PORTICO_NODE_SDK_HOOK=boot), never per invocation.
 */
export function registerEsmFallback(): void {
  const dir = providedSdkDir();
  if (registered || !dir) return;
  registered = true;
  const parentURL = pathToFileURL(join(dir, 'portico-provided-sdk.js')).href;
  register(new URL('./sdk-hooks.js', import.meta.url), { data: { parentURL } });
}
