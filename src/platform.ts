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
import { openDataStorage } from './data/open-storage.js';
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
import { JwksCache } from './gateway/policies/authorizers/jwks.js';
import type { AuthorizerServices } from './gateway/policies/authorizers/policy.js';
import { InMemoryAuthorizerResultCache } from './gateway/policies/authorizers/result-cache.js';
import { ACCOUNT_LIMITS, type ThrottleOptions } from './gateway/policies/throttle.js';
import { InMemoryTokenBucketStore, type ThrottleLimits } from './gateway/policies/token-bucket-store.js';
import { GatewayServer } from './gateway/server.js';
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
  tables: EnsureTablesReport = { created: [], existing: [], notices: [] };
  readonly logs: LogStore;
  private gateway!: GatewayServer;
  private readonly awsServer: Server;
  private awsEndpoint: RequestListener = (_req, res) => res.destroy();
  private readonly credentials: CredentialStore;
  /** One bucket store for every deployment, so the account's and routes' buckets carry over a redeploy. */
  private readonly throttle: ThrottleOptions;
  private readonly journal: EventJournal;
  /** Authorizer caches for every deployment: fetched keys carry over a redeploy; results are keyed per deployment. */
  private readonly authorizerCaches = { cache: new InMemoryAuthorizerResultCache(), jwks: new JwksCache() };
  private dataStorage: Storage | undefined;
  private ttlSweeper: TtlSweeper | undefined;
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
    this.dataStorage = openDataStorage(this.options.dataDir);
    this.tables = await ensureTables(this.dataStorage, app.tables, app.region);
    this.ttlSweeper = new TtlSweeper(this.dataStorage, this.options.ttlSweepIntervalMs === undefined ? {} : { intervalMs: this.options.ttlSweepIntervalMs });
    this.ttlSweeper.start();
    this.awsEndpoint = createAwsEndpoint({
      credentials: this.credentials,
      services: [lambdaService(this.functions, this.events, this.principals), dynamoDbService(this.dataStorage)],
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
    this.events?.close();
    await this.gateway?.close();
    await this.journal.close();
    this.functions?.close();
    this.awsServer.closeAllConnections();
    await new Promise<void>((resolve) => this.awsServer.close(() => resolve()));
    await this.ttlSweeper?.stop();
    await this.dataStorage?.close();
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

  private deploy(app: AppModel): void {
    const authorizers: AuthorizerServices = { invoker: this.functions, ...this.authorizerCaches, cognitoJwksUrl: this.options.cognitoJwksUrl };
    const deployment = compileDeployment(app, { throttle: this.throttle, authorizers });
    this.functions.deploy(app.functions);
    this.gateway.setDeployment(deployment);
    this.deployment = deployment;
  }
}

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
