/**
 * Process-wide listeners, installed once when the stem cell is specialised (before user code loads), as the RIC's
 * index.mjs installs them. What they do depends on the phase, so each delegates to a replaceable slot:
 *  - uncaughtException / unhandledRejection: logged in Lambda's format, reported (as the init error during init,
 *    as the current invocation's error afterwards), then the process exits with 129 / 128 like the RIC;
 *  - beforeExit: the RIC's BeforeExitListener, how "wait for an empty event loop" is implemented.
 */
import { logError, UnhandledPromiseRejection } from './errors.js';

export type FatalHandler = (error: unknown, exitCode: number) => void;

const noop = (): void => {};
let beforeExit: () => void = noop;
let fatal: FatalHandler = (_error, exitCode) => process.exit(exitCode);
let exiting = false;

export function setBeforeExit(listener: () => void): void {
  beforeExit = listener;
}

export function resetBeforeExit(): void {
  beforeExit = noop;
}

export function setFatalHandler(handler: FatalHandler): void {
  fatal = handler;
}

export const EXIT_UNCAUGHT_EXCEPTION = 129;
export const EXIT_UNHANDLED_REJECTION = 128;

export function installProcessHooks(): void {
  process.on('uncaughtException', (error) => {
    logError('Uncaught Exception', error);
    fail(error, EXIT_UNCAUGHT_EXCEPTION);
  });
  process.on('unhandledRejection', (reason, promise) => {
    const error = new UnhandledPromiseRejection(reason, promise);
    logError('Unhandled Promise Rejection', error);
    fail(error, EXIT_UNHANDLED_REJECTION);
  });
  process.on('beforeExit', () => beforeExit());
}

/** Reports once; a second failure while the first report is in flight must not post twice. */
function fail(error: unknown, exitCode: number): void {
  if (exiting) return;
  exiting = true;
  // If reporting hangs (a Runtime API that stopped answering), exit anyway rather than linger.
  setTimeout(() => process.exit(exitCode), 2000);
  fatal(error, exitCode);
}

/** For paths that must end the process the same way (init failures, broken transports). */
export function failFatally(error: unknown, exitCode: number): void {
  fail(error, exitCode);
}
