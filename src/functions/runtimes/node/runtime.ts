/**
 * The invoke loop. Two programming models, chosen by the declared runtime:
 *  - nodejs22.x and earlier (RIC 3.x Runtime.js): callback, context.succeed/fail/done, waiting for an empty event
 *    loop, sync handlers answered with `null` when the loop drains, async handlers that never settle failing with
 *    Runtime.NodeJsExit;
 *  - nodejs24.x and later (the RIC rewrite, buffered-invoke-processor.ts): `await handler(event, context)`, nothing
 *    else. A promise that never settles lets the process exit, which Portico reports as Runtime.ExitError.
 */
import { buildCallbackContext, type Poster } from './callback-context.js';
import { setRequestContext } from './console.js';
import { forwardTraceId, legacyContext, promiseContext } from './context.js';
import { JSONStringifyError, logError, NodeJsExit, toErrorDocument } from './errors.js';
import { failFatally, setBeforeExit, setFatalHandler } from './process-hooks.js';
import { eventOf, type Invocation, type Transport } from './transport.js';
import type { Handler, HandlerMetadata } from './user-function.js';

export interface RuntimeOptions {
  readonly transport: Transport;
  readonly handler: Handler;
  readonly metadata: HandlerMetadata;
  readonly promiseOnly: boolean;
}

export class Runtime {
  /** The invocation still waiting for its answer; a fatal error is reported against it. */
  private pending: string | undefined;

  constructor(private readonly options: RuntimeOptions) {}

  start(): void {
    setFatalHandler((error, exitCode) => this.reportFatal(error, exitCode));
    this.scheduleIteration();
  }

  /** One iteration per turn of the event loop, as the RIC schedules them. */
  private scheduleIteration = (): void => {
    setImmediate(() => {
      this.handleOnce().catch((err: unknown) => {
        // Only a broken transport gets here; the RIC logs it like this and goes down the uncaught-exception path.
        console.log(`Unexpected Top Level Error: ${String(err)}`);
        failFatally(err, 129);
      });
    });
  };

  private async handleOnce(): Promise<void> {
    const invocation = await this.options.transport.next();
    this.pending = invocation.requestId;
    setRequestContext(invocation.requestId, invocation.tenantId);
    if (this.options.promiseOnly) {
      await this.invokePromiseOnly(invocation);
      this.scheduleIteration();
    } else {
      this.invokeWithCallbacks(invocation);
    }
  }

  private invokeWithCallbacks(invocation: Invocation): void {
    const poster = this.poster(invocation.requestId);
    const { callback, context, markCompleted } = buildCallbackContext(poster, this.scheduleIteration);
    try {
      // The default outcome when the event loop drains before any callback: an async handler's promise never
      // settled (an error), a sync handler simply returned (a null result).
      setBeforeExit(() => {
        markCompleted();
        if (this.options.metadata.isAsync) {
          const error = new NodeJsExit();
          logError('Invoke Error', error);
          poster.fail(error, this.scheduleIteration);
        } else {
          poster.respond(null, this.scheduleIteration);
        }
      });
      forwardTraceId(invocation.traceId);
      const ctx = legacyContext(context, invocation);
      const result = this.options.handler(eventOf(invocation), ctx, callback);
      if (isPromiseLike(result)) {
        Promise.resolve(result).then(context.succeed, context.fail).catch(context.fail);
      }
    } catch (err) {
      callback(err);
    }
  }

  private async invokePromiseOnly(invocation: Invocation): Promise<void> {
    const id = invocation.requestId;
    try {
      forwardTraceId(invocation.traceId);
      const ctx = promiseContext(invocation);
      const result = await this.options.handler(eventOf(invocation), ctx);
      await nextTurn();
      const body = serialise(result, () => new JSONStringifyError());
      await this.answer(id, () => this.options.transport.respond(id, body));
    } catch (err) {
      await nextTurn();
      logError('Invoke Error', err);
      await this.answer(id, () => this.options.transport.fail(id, toErrorDocument(err, true)));
    }
  }

  private poster(id: string): Poster {
    const { transport } = this.options;
    return {
      respond: (result, then) => {
        // Serialisation failure throws here, synchronously, into the caller (see callback-context.ts).
        const body = serialise(result, () => new Error('Unable to stringify response body'));
        this.answer(id, () => transport.respond(id, body)).then(then, this.transportFailed);
      },
      fail: (error, then) => {
        this.answer(id, () => transport.fail(id, toErrorDocument(error, false))).then(then, this.transportFailed);
      },
    };
  }

  private answer(id: string, send: () => Promise<void>): Promise<void> {
    if (this.pending === id) this.pending = undefined;
    return send();
  }

  private transportFailed = (err: unknown): void => {
    console.log(`Unexpected Top Level Error: ${String(err)}`);
    failFatally(err, 129);
  };

  /**
   * Uncaught exception or unhandled rejection: the RIC posts it as the current invocation's error, then exits. When
   * the invocation was already answered there is nothing to report it against; the process just exits.
   */
  private reportFatal(error: unknown, exitCode: number): void {
    const id = this.pending;
    this.pending = undefined;
    if (id === undefined) process.exit(exitCode);
    const doc = toErrorDocument(error, this.options.promiseOnly);
    this.options.transport.fail(id, doc).finally(() => process.exit(exitCode));
  }
}

/** `undefined` is sent as `null`; anything JSON.stringify rejects (cycles, BigInt) becomes the runtime's error. */
function serialise(result: unknown, failure: () => Error): string {
  let body: string | undefined;
  try {
    body = JSON.stringify(result === undefined ? null : result);
  } catch {
    throw failure();
  }
  return body ?? 'null';
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return !!value && typeof (value as { then?: unknown }).then === 'function';
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
