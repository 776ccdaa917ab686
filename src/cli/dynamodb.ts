import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { CredentialStore } from '../aws/credentials.js';
import { createAwsEndpoint } from '../aws/endpoint.js';
import { openDataStorage, type DataSync } from '../data/open-storage.js';
import { dynamoDbService } from '../data/service/service.js';
import { TtlSweeper } from '../data/service/ttl-sweeper.js';
import { StreamTrimmer } from '../data/streams/retention.js';
import { dynamoDbStreamsService } from '../data/streams/service.js';

export interface DynamoDbCliOptions {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly sync: DataSync;
}

/** `portico dynamodb`: the data service alone, in the foreground, as a drop-in for DynamoDB Local. */
export async function runDynamoDb(options: DynamoDbCliOptions): Promise<void> {
  const dataDir = resolve(options.dataDir);
  const storage = openDataStorage(dataDir, options.sync);
  const sweeper = new TtlSweeper(storage);
  sweeper.start();
  const trimmer = new StreamTrimmer(storage);
  trimmer.start();
  const credentials = CredentialStore.fromEnv(process.env, options.host);
  const server = createServer(createAwsEndpoint({ credentials, services: [dynamoDbService(storage), dynamoDbStreamsService(storage)] }));
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host, () => done());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  process.stdout.write(`DynamoDB endpoint http://${host.includes(':') ? `[${host}]` : host}:${port}\n  data in ${dataDir}\n`);
  const shutdown = (): void => {
    server.closeAllConnections();
    server.close(() => void Promise.all([sweeper.stop(), trimmer.stop()]).then(() => storage.close()).then(() => process.exit(0)));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
