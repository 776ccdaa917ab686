import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { TemplateError, type FunctionSpec } from '../app/model.js';
import { Platform } from '../platform.js';
import { printBanner, printLogBatch } from './console.js';
import type { UpCliOptions } from './main.js';
import { watchApp } from './watch.js';

const run = promisify(execFile);

/** `portico up`: serve the app in the foreground until SIGINT/SIGTERM. */
export async function runUp(appDirArg: string, options: UpCliOptions): Promise<void> {
  const appDir = resolve(appDirArg);
  const platform = new Platform({
    appDir,
    load: {
      template: options.template,
      parameterOverrides: pairs(options.parameterOverrides, '--parameter-overrides'),
      importValues: pairs(options.importValues, '--import-values'),
    },
    host: options.host,
    port: options.port,
    awsPort: options.awsPort,
    dataDir: resolve(options.dataDir ?? resolve(appDir, '.portico')),
    accountConcurrency: options.concurrency,
    idleTimeoutMs: options.idleTimeout * 1000,
    stemCells: options.stemCells,
    accountThrottle: { rateLimit: options.accountRate, burstLimit: options.accountBurst },
    eventRetryDelaysMs: retryDelays(process.env.PORTICO_EVENT_RETRY_DELAYS_MS),
    dataSync: options.sync,
    cognitoJwksUrl: options.cognitoJwksUrl ?? process.env.PORTICO_COGNITO_JWKS_URL,
  });
  try {
    await platform.start();
  } catch (error) {
    await platform.close().catch(() => undefined);
    throw error instanceof TemplateError || isAddressInUse(error) ? new Error(describe(error)) : error;
  }
  platform.logs.on('batch', printLogBatch(platform));
  printBanner(platform);
  void printPythonNotice(platform.deployment.app.functions);
  const stopWatching = options.watch ? watchApp(appDir, platform) : () => undefined;
  const shutdown = (): void => {
    stopWatching();
    platform.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`portico: stopping failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

/** `PORTICO_EVENT_RETRY_DELAYS_MS=100,200` shortens Lambda's 1 and 2 minute retry delays (for tests and demos). */
function retryDelays(value: string | undefined): number[] | undefined {
  if (!value) return undefined;
  const delays = value.split(',').map(Number);
  if (delays.some((d) => !Number.isFinite(d) || d < 0)) throw new Error('PORTICO_EVENT_RETRY_DELAYS_MS expects milliseconds, e.g. 100,200');
  return delays;
}

/** One line when Python functions declare another version than the machine's `python3`, which runs them. */
async function printPythonNotice(functions: readonly FunctionSpec[]): Promise<void> {
  const declared = [...new Set(functions.filter((fn) => fn.family === 'python').map((fn) => fn.runtime))];
  if (declared.length === 0) return;
  const version = await run(process.env.PORTICO_PYTHON ?? 'python3', ['--version']).then(
    ({ stdout, stderr }) => (stdout || stderr).trim().replace(/^Python /, ''),
    () => undefined,
  );
  if (version === undefined) {
    process.stdout.write(`Notice: ${declared.join(', ')} functions need python3, which is not on the PATH\n`);
    return;
  }
  const differing = declared.filter((runtime) => !version.startsWith(`${runtime.slice('python'.length)}.`));
  if (differing.length > 0) process.stdout.write(`Notice: ${differing.join(', ')} functions run on this machine's Python ${version}\n`);
}

function pairs(items: readonly string[], flag: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`${flag} expects KEY=VALUE, got ${JSON.stringify(item)}`);
    result[item.slice(0, eq).replace(/^ParameterKey=/, '')] = item.slice(eq + 1);
  }
  return result;
}

function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

function describe(error: unknown): string {
  if (isAddressInUse(error)) {
    const e = error as NodeJS.ErrnoException & { port?: number };
    return `port ${e.port ?? ''} is already in use (choose another with --port / --aws-port)`;
  }
  return (error as Error).message;
}
