import { Command, InvalidArgumentError, Option } from 'commander';
import { DATA_SYNC_MODES, type DataSync } from '../data/open-storage.js';
import { runDynamoDb, type DynamoDbCliOptions } from './dynamodb.js';
import { runLogs } from './logs.js';
import { runUp } from './up.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0 picks a free one)');
  return n;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number, 0 or more');
  return n;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a non-negative number');
  return n;
}

/** `--sync full|normal`: when the data service acknowledges a write (on disk, or committed). */
function syncOption(): Option {
  return new Option('--sync <mode>', 'acknowledge DynamoDB writes once on disk (full: survives power loss) or once committed (normal: survives kill -9)')
    .choices(DATA_SYNC_MODES)
    .default('full');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(/\s+/).filter(Boolean)];
}

export function main(argv: string[]): void {
  const program = new Command('portico').description('API Gateway + Lambda semantics on your own machine').showHelpAfterError();
  program
    .command('up')
    .description("serve a SAM app's APIs and functions in the foreground")
    .argument('[app-dir]', 'folder holding the app (template.yaml)', '.')
    .option('--template <file>', 'template file (default: template.yaml|yml in the app folder)')
    .option('--port <port>', 'gateway port', port, 3000)
    .option('--aws-port <port>', 'AWS endpoint port (Lambda Invoke API …)', port, 4566)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--data-dir <dir>', 'where logs and data live (default: <app-dir>/.portico)')
    .option('--parameter-overrides <K=V...>', 'template parameter values', collect, [])
    .option('--import-values <K=V...>', 'values for Fn::ImportValue, by export name', collect, [])
    .option('--concurrency <n>', 'account-wide concurrency limit', count, 1000)
    .option('--idle-timeout <seconds>', 'reclaim environments idle this long', nonNegative, 600)
    .option('--stem-cells <n>', 'pre-started runtime processes kept per runtime', count, 2)
    .option('--account-rate <rps>', 'API Gateway account-level throttle: requests per second', nonNegative, 10_000)
    .option('--account-burst <n>', 'API Gateway account-level throttle: burst (bucket size)', count, 5_000)
    .option('--cognito-jwks-url <url>', 'JWKS URL for Cognito authorizers, with {region} and {userPoolId} (self-hosted identity providers)')
    .option('--no-watch', 'do not redeploy when the template or code changes')
    .addOption(syncOption())
    .action((appDir: string, options: UpCliOptions) => runUp(appDir, options));
  program
    .command('dynamodb')
    .description('run the DynamoDB-compatible data service alone, as a drop-in for DynamoDB Local')
    .option('--port <port>', 'port', port, 8000)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--data-dir <dir>', 'where the data lives', '.portico')
    .addOption(syncOption())
    .action((options: DynamoDbCliOptions) => runDynamoDb(options));
  program
    .command('logs')
    .description("print a function's logs (run in the app folder, or give the same --data-dir as portico up)")
    .argument('<function>', 'function logical id or name')
    .option('--app-dir <dir>', 'app folder', '.')
    .option('--data-dir <dir>', 'data folder of portico up')
    .option('-f, --follow', 'keep printing new lines')
    .action((fn: string, options: { appDir: string; dataDir?: string; follow?: boolean }) => runLogs(fn, options));
  program.parseAsync(['node', 'portico', ...argv]).catch((error: unknown) => {
    process.stderr.write(`portico: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}

export interface UpCliOptions {
  readonly template?: string;
  readonly port: number;
  readonly awsPort: number;
  readonly host: string;
  readonly dataDir?: string;
  readonly parameterOverrides: string[];
  readonly importValues: string[];
  readonly concurrency: number;
  readonly idleTimeout: number;
  readonly stemCells: number;
  readonly accountRate: number;
  readonly accountBurst: number;
  readonly cognitoJwksUrl?: string;
  readonly watch: boolean;
  readonly sync: DataSync;
}
