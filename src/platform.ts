import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { AppModel, LoadOptions } from './app/model.js';
import { loadSamApp } from './app/sam/load.js';
import { CredentialStore, type SessionCredentials } from './aws/credentials.js';
import { createAwsEndpoint } from './aws/endpoint.js';
import { ensureTables, type EnsureTablesReport } from './data/service/ensure-tables.js';
import { dynamoDbService } from './data/service/service.js';
import { TtlSweeper } from './data/service/ttl-sweeper.js';
import { StreamTrimmer } from './data/streams/retention.js';
import { dynamoDbStreamsService } from './data/streams/service.js';
import { StreamReader } from './data/streams/stream-reader.js';
import { EventSourceManager } from './functions/event-sources/event-source-manager.js';
import { functionInvoker } from './functions/event-sources/invoker.js';
import { openDataStorage, type DataSync } from './data/open-storage.js';
import type { Storage } from './data/storage/storage.js';
import { EventJournal, type JournalEntry } from './functions/event-journal.js';
import { buildFunctions } from './functions/esbuild-build.js';
import { EventQueue } from './functions/event-queue.js';
import type { Transport } from './functions/environment-factory.js';
import { FunctionService } from './functions/function-service.js';
import { lambdaService } from './functions/lambda-api/service.js';
import { RUNTIMES_DIR, StemCellPool, stemCellSpec } from './functions/stem-cells.js';
import { AccessLog } from './gateway/access-log.js';
import { compileDeployment, type Deployment } from './gateway/deployment.js';
import { flushStageCacheService, type StageLookup } from './gateway/management/flush-stage-cache.js';
import { InMemoryResponseCacheStore } from './gateway/policies/response-cache.js';
import { apiGatewayService, type DeployedStages } from './gateway/management/service.js';
import { JwksCache } from './gateway/policies/authorizers/jwks.js';
import type { AuthorizerServices } from './gateway/policies/authorizers/policy.js';
import { InMemoryAuthorizerResultCache } from './gateway/policies/authorizers/result-cache.js';
import { ACCOUNT_LIMITS, type ThrottleOptions } from './gateway/policies/throttle.js';
import { InMemoryTokenBucketStore, type ThrottleLimits } from './gateway/policies/token-bucket-store.js';
import { GatewayServer } from './gateway/server.js';
import { openUsagePlans } from './gateway/usage-plans/open.js';
import type { UsagePlanRegistry } from './gateway/usage-plans/registry.js';
import { applyTemplate, type TemplateKey } from './gateway/usage-plans/template-sync.js';
import { LogStore } from './observability/log-store.js';

export interface PlatformOptions {
  readonly appDir: string;
  readonly load: LoadOptions;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly awsPort: number;
  readonly dataDir: string;
  readonly accountConcurrency?: number;
  readonly idleTimeoutMs?: number;
  readonly stemCells?: number;
  readonly transport?: Transport;
  readonly eventRetryDelaysMs?: readonly number[];
  /** API Gateway's account-level throttle (default 10,000 requests per second, burst 5,000). */
  readonly accountThrottle?: ThrottleLimits;
  /** Between TTL sweeps of the data service (default 5 s). */
  readonly ttlSweepIntervalMs?: number;
  /** When the data service acknowledges a write (default `full`: once it is on disk). */
  readonly dataSync?: DataSync;
  /** Cognito authorizers' JWKS URL template (`{region}`, `{userPoolId}`), for self-hosted identity providers. */
  readonly cognitoJwksUrl?: string;
}

/**
 * One Portico: gateway, functions and the AWS endpoint in this process, plus the environment processes. The
 * composition root — the only module that knows every component.
 */
export class Platform {
  deployment!: Deployment;
  gatewayPort = 0;
  awsPort = 0;
  functions!: FunctionService;
  events!: EventQueue;
  /** What the last start or redeploy did to the template's tables. */
  tables: EnsureTablesReport = { created: [], existing: [], updated: [], notices: [] };
  /** The template's API keys with their values, for the banner (users need a value to call the API). */
  templateApiKeys: readonly TemplateKey[] = [];
  private usagePlans: UsagePlanRegistry | undefined;
  readonly logs: LogStore;
  private gateway!: GatewayServer;
  private readonly awsServer: Server;
  private awsEndpoint: RequestListener = (_req, res) => res.destroy();
  private readonly credentials: CredentialStore;
  /** One bucket store for every deployment, so the account's and routes' buckets carry over a redeploy. */
  private readonly throttle: ThrottleOptions;
  /** One response-cache store for every deployment, so a stage's cached responses survive a redeploy. */
  readonly responseCache = new InMemoryResponseCacheStore();
  private readonly journal: EventJournal;
  /** Authorizer caches for every deployment: fetched keys carry over a redeploy; results are keyed per deployment. */
  private readonly authorizerCaches = { cache: new InMemoryAuthorizerResultCache(), jwks: new JwksCache() };
  private dataStorage: Storage | undefined;
  private ttlSweeper: TtlSweeper | undefined;
  private streamTrimmer: StreamTrimmer | undefined;
  private eventSources: EventSourceManager | undefined;
  private readonly sessionCredentials = new Map<string, SessionCredentials>();
  /** Access key id → the function it was minted for. */
  readonly principals = new Map<string, string>();

  constructor(private readonly options: PlatformOptions) {
    this.logs = new LogStore(join(options.dataDir, 'logs'));
    this.journal = new EventJournal(join(options.dataDir, 'lambda', 'event-queue.ndjson'));
    this.credentials = CredentialStore.fromEnv(process.env, options.host);
    this.throttle = { store: new InMemoryTokenBucketStore(), account: options.accountThrottle ?? ACCOUNT_LIMITS };
    this.awsServer = createServer((req, res) => this.awsEndpoint(req, res));
  }

  /** The gateway's base URL, as clients on this machine reach it. */
  get gatewayUrl(): string {
    return `http://${urlHost(this.options.host)}:${this.gatewayPort}`;
  }

  /** The AWS endpoint's URL, as functions and SDKs on this machine reach it. */
  get awsEndpointUrl(): string {
    return `http://${urlHost(this.options.host)}:${this.awsPort}`;
  }

  /** Loads the app, starts the AWS endpoint, the functions and the gateway. */
  async start(): Promise<void> {
    const app = await this.loadApp();
    this.awsPort = await listen(this.awsServer, this.options.awsPort, this.options.host);
    this.functions = this.createFunctions(app);
    this.events = new EventQueue(this.functions, {
      retryDelaysMs: this.options.eventRetryDelaysMs ?? [60_000, 120_000],
      onFailure: (fn, requestId, reason) => this.asyncLog(fn.name, `Event invocation ${requestId} failed for good: ${reason}\n`),
      journal: this.journal,
    });
    const pending = await this.journal.open();
    this.dataStorage = openDataStorage(this.options.dataDir, this.options.dataSync);
    this.tables = await ensureTables(this.dataStorage, app.tables, app.region);
    this.ttlSweeper = new TtlSweeper(this.dataStorage, this.options.ttlSweepIntervalMs === undefined ? {} : { intervalMs: this.options.ttlSweepIntervalMs });
    this.ttlSweeper.start();
    this.streamTrimmer = new StreamTrimmer(this.dataStorage);
    this.streamTrimmer.start();
    this.eventSources = new EventSourceManager(new StreamReader(this.dataStorage, app.region), functionInvoker(this.functions), {
      pollIntervalMs: STREAM_POLL_INTERVAL_MS,
      retryBaseMs: 200,
      retryMaxMs: 10_000,
      log: (functionName, text) => this.asyncLog(functionName, text),
    });
    this.usagePlans = openUsagePlans(this.options.dataDir, this.throttle.store);
    this.awsEndpoint = createAwsEndpoint({
      credentials: this.credentials,
      services: [
        lambdaService(this.functions, this.events, this.principals),
        dynamoDbService(this.dataStorage),
        dynamoDbStreamsService(this.dataStorage),
        flushStageCacheService((apiId, stage) => this.findStage(apiId, stage), () => this.deployment.app.accountId),
        apiGatewayService(this.usagePlans, this.deployedStages(app.accountId)),
      ],
    });
    this.gateway = new GatewayServer(this.functions, new AccessLog(this.logs), { accountId: app.accountId });
    this.deploy(app);
    this.restoreEvents(pending);
    this.gatewayPort = await this.gateway.listen(this.options.port, this.options.host);
  }

  /** The template as an app model, with the functions that ask for an esbuild build built into the data folder. */
  private async loadApp(): Promise<AppModel> {
    const app = await loadSamApp(this.options.appDir, this.options.load);
    return { ...app, functions: await buildFunctions(app.functions, join(this.options.dataDir, 'build')) };
  }

  /** Event invocations accepted by a previous run and not finished: they run now, or fail if their function is gone. */
  private restoreEvents(pending: readonly JournalEntry[]): void {
    for (const entry of pending) {
      const fn = this.functions.find(entry.functionName);
      if (fn) this.events.restore(fn, entry.payload, entry.options, entry.requestId);
      else {
        this.asyncLog(entry.functionName, `Event invocation ${entry.requestId} dropped: the function no longer exists\n`);
        this.journal.done(entry.requestId);
      }
    }
  }

  private asyncLog(functionName: string, text: string): void {
    this.logs.write(`/aws/lambda/${functionName}`, 'portico-async', text);
  }

  /** Loads the app again and swaps the deployment; requests in flight finish on the old one. */
  async redeploy(): Promise<Deployment> {
    const app = await this.loadApp();
    if (this.dataStorage) this.tables = await ensureTables(this.dataStorage, app.tables, app.region);
    this.deploy(app);
    return this.deployment;
  }

  async close(): Promise<void> {
    // Pollers first: a batch in flight finishes (and its position is saved) while functions and storage still run.
    await this.eventSources?.close();
    this.events?.close();
    await this.gateway?.close();
    await this.journal.close();
    this.functions?.close();
    this.awsServer.closeAllConnections();
    await new Promise<void>((resolve) => this.awsServer.close(() => resolve()));
    await this.ttlSweeper?.stop();
    await this.streamTrimmer?.stop();
    await this.dataStorage?.close();
    this.usagePlans?.close();
    await this.logs.close();
  }

  private createFunctions(app: AppModel): FunctionService {
    const stemCells = this.options.stemCells ?? 2;
    const pools = {
      node: new StemCellPool(stemCellSpec('node'), stemCells),
      python: new StemCellPool(stemCellSpec('python'), stemCells),
    };
    if (app.functions.some((fn) => fn.family === 'node')) pools.node.fill();
    if (app.functions.some((fn) => fn.family === 'python')) pools.python.fill();
    return new FunctionService(
      {
        platform: {
          region: app.region,
          awsEndpointUrl: this.awsEndpointUrl,
          credentialsFor: (functionName) => this.functionCredentials(functionName),
          runtimeDir: RUNTIMES_DIR,
        },
        stemCells: pools,
        logs: this.logs,
        tmpRoot: join(this.options.dataDir, 'tmp'),
        transport: this.options.transport ?? transportFromEnv(),
        accountConcurrency: this.options.accountConcurrency ?? 1000,
        idleTimeoutMs: this.options.idleTimeoutMs ?? 10 * 60_000,
      },
      this.logs,
    );
  }

  /** Minted once per function name and kept across redeploys, so warm environments stay valid. */
  private functionCredentials(functionName: string): SessionCredentials {
    let credentials = this.sessionCredentials.get(functionName);
    if (!credentials) {
      credentials = this.credentials.mintSessionCredentials();
      this.sessionCredentials.set(functionName, credentials);
      this.principals.set(credentials.accessKeyId, functionName);
    }
    return credentials;
  }

  /** A stage of the current deployment and its response cache, for the API Gateway management API. */
  private findStage(apiId: string, stageName: string): StageLookup {
    if (!this.deployment.byApiId.has(apiId)) return { found: 'no-api' };
    if (!this.deployment.byApiStage.has(`${apiId}/${stageName}`)) return { found: 'no-stage' };
    return { found: 'stage', cache: this.responseCache.find(apiId, stageName) };
  }

  /** The current deployment's REST API stages, as the management API checks usage plans' `apiStages`. */
  private deployedStages(accountId: string): DeployedStages {
    const rest = (apiId: string) => this.deployment.byApiId.get(apiId)?.spec;
    return {
      accountId,
      hasApi: (apiId) => rest(apiId)?.kind === 'REST',
      hasStage: (apiId, stage) => rest(apiId)?.kind === 'REST' && this.deployment.byApiStage.has(`${apiId}/${stage}`),
    };
  }

  private deploy(app: AppModel): void {
    if (this.usagePlans) this.templateApiKeys = applyTemplate(this.usagePlans, app.usagePlans);
    const authorizers: AuthorizerServices = {
      invoker: this.functions,
      ...this.authorizerCaches,
      cognitoJwksUrl: this.options.cognitoJwksUrl,
      iam: { credentials: this.credentials, functionOf: (accessKeyId) => this.principals.get(accessKeyId) },
    };
    const deployment = compileDeployment(app, {
      throttle: this.throttle,
      cache: this.responseCache,
      authorizers,
      ...(this.usagePlans ? { usagePlans: this.usagePlans } : {}),
    });
    this.functions.deploy(app.functions);
    this.gateway.setDeployment(deployment);
    this.deployment = deployment;
    void this.eventSources?.sync(app.eventSourceMappings);
  }
}

/** How often an idle stream is read for new records (Lambda polls a shard about four times a second). */
const STREAM_POLL_INTERVAL_MS = 250;

function transportFromEnv(): Transport {
  return process.env.PORTICO_RUNTIME_TRANSPORT === 'http' ? 'http' : 'pipe';
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Once listening, a server error (`accept` failing with EMFILE …) must not take the process down.
  server.on('error', (error) => process.emitWarning(`AWS endpoint: ${error.message}`));
  return (server.address() as AddressInfo).port;
}

/** A host usable inside a URL: functions reach a wildcard-bound endpoint through loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
