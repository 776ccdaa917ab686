import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FunctionSpec, RuntimeFamily } from '../app/model.js';
import type { LogStore } from '../observability/log-store.js';
import type { InvocationChannel } from './channels/channel.js';
import { RuntimeApiServer } from './channels/runtime-api-server.js';
import { Environment, type InitFailure, type LogSink } from './environment.js';
import { EnvironmentProcess } from './environment-process.js';
import { lambdaEnvironment, logGroupName, logStreamName, type PlatformSettings } from './lambda-environment.js';
import { initStartLine } from './log-lines.js';
import { bootstrapNotExecutable, missingBootstrap } from './platform-errors.js';
import type { StemCellPool } from './stem-cells.js';

export type Transport = 'pipe' | 'http';

export interface FactoryOptions {
  readonly platform: PlatformSettings;
  readonly stemCells: Readonly<Record<Exclude<RuntimeFamily, 'provided'>, StemCellPool>>;
  readonly logs: LogStore;
  /** Folder under which each environment gets its own temporary directory (`TMPDIR`). */
  readonly tmpRoot: string;
  /** How Portico's own runtimes receive invocations: the private pipe (default) or the Runtime API over HTTP. */
  readonly transport: Transport;
}

/** Thrown when an environment could not be started; `failure` is reported as the invocation's function error. */
export class EnvironmentStartError extends Error {
  constructor(readonly failure: InitFailure) {
    super('environment failed to initialise');
  }
}

/** Creates initialised execution environments for functions: from stem cells for Portico's runtimes, from `bootstrap` otherwise. */
export class EnvironmentFactory {
  constructor(private readonly options: FactoryOptions) {}

  /**
   * @param hints.providedSdk whether the function's code may import the AWS SDK Lambda provides; without it a Node
   *   runtime skips the resolve hooks that serve it (they cost ~40 ms and ~8 MB for ES modules).
   */
  async create(fn: FunctionSpec, requestId: string, hints: { providedSdk: boolean } = { providedSdk: true }): Promise<Environment> {
    const id = randomBytes(16).toString('hex');
    const streamName = logStreamName(id);
    const group = logGroupName(fn.name);
    const logs = this.options.logs;
    const sink: LogSink = { streamName, write: (text) => logs.write(group, streamName, text) };
    const api = new RuntimeApiServer();
    const tmpDir = join(this.options.tmpRoot, id);
    try {
      // Inside the try: a folder that cannot be made must not leave the port listening.
      const [runtimeApi] = await Promise.all([api.listen(), mkdir(tmpDir, { recursive: true })]);
      const env = lambdaEnvironment(fn, this.options.platform, { logStreamName: streamName, runtimeApi, tmpDir });
      if (fn.family === 'node' && !hints.providedSdk) env.PORTICO_PROVIDED_SDK_DIR = '';
      sink.write(initStartLine(runtimeVersion(fn.runtime), runtimeVersionArn(fn.runtime, this.options.platform.region)));
      const environment =
        fn.family === 'provided'
          ? await this.startCustom(id, fn, env, api, sink, requestId)
          : await this.specialise(id, fn, env, api, sink);
      environment.onDeath(() => {
        api.close();
        removeTmpDir(tmpDir);
      });
      return environment;
    } catch (error) {
      api.close();
      removeTmpDir(tmpDir);
      throw error;
    }
  }

  private async specialise(id: string, fn: FunctionSpec, env: Record<string, string>, api: RuntimeApiServer, sink: LogSink) {
    const family = fn.family as Exclude<RuntimeFamily, 'provided'>;
    const cell = await this.options.stemCells[family].take();
    const transport = this.options.transport;
    const channel: InvocationChannel = transport === 'http' ? api : cell.channel;
    const environment = new Environment(id, cell.process, channel, sink, settingsOf(fn), true);
    cell.channel.listener = environment;
    api.listener = environment;
    const initialised = environment.waitForInit(performance.now());
    cell.channel.specialise({ transport, taskRoot: fn.codeDir, handler: fn.handler, runtime: fn.runtime, env });
    await initialised.catch((failure: InitFailure) => {
      throw new EnvironmentStartError(failure);
    });
    return environment;
  }

  private async startCustom(
    id: string,
    fn: FunctionSpec,
    env: Record<string, string>,
    api: RuntimeApiServer,
    sink: LogSink,
    requestId: string,
  ) {
    const bootstrap = join(fn.codeDir, 'bootstrap');
    await checkBootstrap(bootstrap, fn.codeDir, requestId);
    const started = performance.now();
    const process = new EnvironmentProcess({ command: bootstrap, args: [], env, cwd: fn.codeDir, controlPipe: false });
    const environment = new Environment(id, process, api, sink, settingsOf(fn), false);
    api.listener = environment;
    await environment.waitForInit(started).catch((failure: InitFailure) => {
      throw new EnvironmentStartError(failure);
    });
    return environment;
  }

}

/** Never rejects: a folder the function made unremovable must not become an unhandled rejection. */
function removeTmpDir(dir: string): void {
  rm(dir, { recursive: true, force: true }).catch(() => undefined);
}

async function checkBootstrap(path: string, codeDir: string, requestId: string): Promise<void> {
  try {
    await access(path, constants.F_OK);
  } catch {
    throw new EnvironmentStartError({ payload: JSON.stringify(missingBootstrap(requestId, codeDir)) });
  }
  try {
    await access(path, constants.X_OK);
  } catch {
    throw new EnvironmentStartError({ payload: JSON.stringify(bootstrapNotExecutable(requestId, path)) });
  }
}

function settingsOf(fn: FunctionSpec) {
  return { functionVersion: '$LATEST', timeoutSeconds: fn.timeout, memorySizeMb: fn.memorySize };
}

/** `nodejs:20.v1`-style runtime version names, honest about running on this machine's interpreter. */
function runtimeVersion(runtime: string): string {
  const match = /^([a-z]+)(\d.*?)(\.x)?$/.exec(runtime);
  return match ? `${match[1]}:${match[2]}.portico` : `${runtime}:portico`;
}

function runtimeVersionArn(runtime: string, region: string): string {
  return `arn:aws:lambda:${region}::runtime:portico-${runtime}`;
}
