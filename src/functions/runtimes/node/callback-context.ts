/**
 * The callback-era programming model of nodejs22.x and earlier (RIC 3.x CallbackContext.js): the `callback`
 * argument, `context.succeed/fail/done` and `context.callbackWaitsForEmptyEventLoop`.
 *
 * With callbackWaitsForEmptyEventLoop true (the default) a callback's result is held until the event loop drains,
 * which the runtime observes through process 'beforeExit' (the transports keep nothing alive during an invocation).
 * Work that never ends (a setInterval) therefore holds the response until the function times out, as on Lambda.
 */
import { logError } from './errors.js';
import { resetBeforeExit, setBeforeExit } from './process-hooks.js';

/** Posts for one invocation. respond() serialises synchronously and may throw, exactly where the RIC's does. */
export interface Poster {
  respond(result: unknown, then: () => void): void;
  fail(error: unknown, then: () => void): void;
}

export interface CallbackContext {
  callbackWaitsForEmptyEventLoop: boolean;
  succeed(result?: unknown): void;
  fail(error?: unknown): void;
  done(error?: unknown, result?: unknown): void;
}

export type Callback = (error?: unknown, result?: unknown) => void;

export interface BuiltCallbackContext {
  readonly callback: Callback;
  readonly context: CallbackContext;
  /** Stops later completions from posting (used when the default beforeExit listener answers instead). */
  readonly markCompleted: () => void;
}

function raw(poster: Poster, scheduleNext: () => void): BuiltCallbackContext {
  const postError = (error: unknown, then: () => void) => {
    logError('Invoke Error', error);
    poster.fail(error, then);
  };

  let completed = false;
  const complete = (result: unknown, then: () => void) => {
    if (completed) {
      console.error('Invocation has already been reported as done. Cannot call complete more than once per invocation.');
      return;
    }
    completed = true;
    poster.respond(result, then);
  };

  let waitForEmptyEventLoop = true;
  const callback: Callback = (error, result) => {
    resetBeforeExit();
    if (error !== undefined && error !== null) postError(error, scheduleNext);
    else if (!waitForEmptyEventLoop) complete(result, scheduleNext);
    else setBeforeExit(() => setImmediate(() => complete(result, scheduleNext)));
  };

  const done = (error?: unknown, result?: unknown) => {
    resetBeforeExit();
    if (error !== undefined && error !== null) postError(error, scheduleNext);
    else complete(result, scheduleNext);
  };

  const context: CallbackContext = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value: boolean) {
      waitForEmptyEventLoop = value;
    },
    succeed: (result) => done(null, result),
    // `fail()` with nothing still fails: the RIC reports the string 'handled'.
    fail: (error) => (error === undefined || error === null ? done('handled') : done(error, null)),
    done,
  };
  return { callback, context, markCompleted: () => (completed = true) };
}

/**
 * Only the first call to any of callback/succeed/fail/done counts. As in the RIC, a call that throws (an
 * unserialisable result) does not count, so the error path that catches it can still report.
 */
export function buildCallbackContext(poster: Poster, scheduleNext: () => void): BuiltCallbackContext {
  const built = raw(poster, scheduleNext);
  let finished = false;
  const once = <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      if (finished) return;
      fn(...args);
      finished = true;
    };
  const { context } = built;
  context.succeed = once(context.succeed);
  context.fail = once(context.fail);
  context.done = once(context.done);
  return { callback: once(built.callback), context, markCompleted: built.markCompleted };
}
