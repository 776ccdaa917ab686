/**
 * Entry point of Portico's Node.js runtime client: `node dist/src/functions/runtimes/node/bootstrap.js`.
 *
 * The process starts as a generic stem cell: it loads only this runtime's own code (never user code), says
 * `{"type":"ready"}` on fd 3 and waits. The init message then turns it into one function's environment (init.ts).
 * Everything an idle stem cell does not need (node:http, the ESM loader-hooks thread) is loaded later, on demand,
 * to keep its private memory small.
 */
import { countOutput } from './console.js';
import { toErrorDocument } from './errors.js';
import { specialise } from './init.js';
import { installCjsFallback, registerEsmFallback } from './provided-sdk.js';
import { PipeChannel } from './transport-pipe.js';

// Counting starts before anything can write, so the totals are "since the process started" (PROTOCOL.md).
countOutput();
installCjsFallback();
if (process.env.PORTICO_NODE_SDK_HOOK === 'boot') registerEsmFallback();

const pipe = new PipeChannel(3);
await pipe.send({ type: 'ready' });
const init = await pipe.waitForInit();
try {
  await specialise(pipe, init);
} catch (err) {
  // specialise() reports handler-loading failures itself; this catches a broken init (a task root that does not
  // exist, http mode without AWS_LAMBDA_RUNTIME_API) so that Portico still gets an answer rather than a silent exit.
  await pipe.send({ type: 'initError', error: toErrorDocument(err, false) });
  process.exit(1);
}
