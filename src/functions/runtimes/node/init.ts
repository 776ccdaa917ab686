/**
 * Specialisation (PROTOCOL.md step 2): a stem cell becomes one function's execution environment. Mirrors the RIC's
 * start-up: patch the console, install the process listeners, load the handler, then either start the invoke loop
 * or report the init error and exit (Lambda discards an environment whose init failed).
 */
import Module from 'node:module';
import { outputStats, patchConsole } from './console.js';
import { CALLBACK_WARNING, CallbackHandlerDeprecated, logError, RuntimeError, toErrorDocument } from './errors.js';
import { EXIT_UNCAUGHT_EXCEPTION, installProcessHooks, setFatalHandler } from './process-hooks.js';
import { registerEsmFallback } from './provided-sdk.js';
import { Runtime } from './runtime.js';
import type { InitMessage, Transport } from './transport.js';
import type { PipeChannel } from './transport-pipe.js';
import type { RuntimeApiClient } from './transport-http.js';
import { handlerMetadata, loadHandler, type Handler, type HandlerMetadata } from './user-function.js';

/** nodejs24.x and later run the promise-only programming model; the runtime id comes from init, else the env. */
export function isPromiseOnly(runtime: string | undefined): boolean {
  const major = /nodejs(\d+)/.exec(runtime ?? '')?.[1];
  return major !== undefined && Number(major) >= 24;
}

export async function specialise(pipe: PipeChannel, init: InitMessage): Promise<void> {
  applyEnvironment(init);
  patchConsole();
  const promiseOnly = isPromiseOnly(init.runtime ?? process.env.AWS_EXECUTION_ENV);
  const api = init.transport === 'http' ? await openRuntimeApi() : undefined;

  // 3.x reports init failures from its uncaught-exception listener ("Uncaught Exception", exit 129); the rewrite
  // logs "Init Error", posts, and its rejected start-up promise ends the process (exit 1).
  const label = promiseOnly ? 'Init Error' : 'Uncaught Exception';
  const initExitCode = promiseOnly ? 1 : EXIT_UNCAUGHT_EXCEPTION;
  setFatalHandler((error, exitCode) => void reportInitError(pipe, api, error, promiseOnly).finally(() => process.exit(exitCode)));
  installProcessHooks();

  let handler: Handler;
  let metadata: HandlerMetadata;
  try {
    handler = await loadHandler(init.taskRoot, init.handler, { promiseOnly, beforeEsmImport: registerEsmFallback });
    metadata = handlerMetadata(handler);
    checkCallbackStyle(metadata, promiseOnly);
  } catch (err) {
    if (promiseOnly && err instanceof RuntimeError) err.ownName();
    logError(label, err);
    await reportInitError(pipe, api, err, promiseOnly);
    process.exit(initExitCode);
  }

  await pipe.send({ type: 'initDone', ...outputStats() });
  let transport: Transport = pipe;
  if (api) {
    pipe.release();
    transport = api;
  }
  new Runtime({ transport, handler, metadata, promiseOnly }).start();
}

/** Merge the function's environment (TZ included: Node re-reads it on assignment) and move to the task root. */
function applyEnvironment(init: InitMessage): void {
  Object.assign(process.env, init.env ?? {});
  // NODE_PATH (layers' /opt/nodejs/node_modules …) is read once at Node start; re-read it for require().
  if (init.env?.NODE_PATH !== undefined) (Module as unknown as { _initPaths(): void })._initPaths();
  process.chdir(init.taskRoot);
}

async function openRuntimeApi(): Promise<RuntimeApiClient> {
  const { RuntimeApiClient } = await import('./transport-http.js');
  const api = process.env.AWS_LAMBDA_RUNTIME_API;
  if (!api) throw new Error('AWS_LAMBDA_RUNTIME_API is not set');
  return new RuntimeApiClient(api);
}

/**
 * nodejs24.x refuses handlers declaring a callback (3+ parameters) at init (RIC callback-deprecation.ts); 3.x only
 * warns about non-async 3-parameter handlers (WarningForCallbackHandlers.js).
 */
function checkCallbackStyle(metadata: HandlerMetadata, promiseOnly: boolean): void {
  if (promiseOnly) {
    if (metadata.argsNum >= 3) throw new CallbackHandlerDeprecated();
    return;
  }
  const silenced = process.env.AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING !== undefined;
  if (!silenced && metadata.argsNum === 3 && !metadata.isAsync) console.warn(CALLBACK_WARNING);
}

/** initError always goes over fd 3; in http mode it is also posted to /runtime/init/error, as the RIC posts it. */
async function reportInitError(pipe: PipeChannel, api: RuntimeApiClient | undefined, err: unknown, promiseOnly: boolean) {
  const error = toErrorDocument(err, promiseOnly);
  if (api) await api.initError(error).catch(() => undefined);
  await pipe.send({ type: 'initError', error, ...outputStats() });
}
