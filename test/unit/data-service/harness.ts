// Shared setup for the data-service tests: a real node:http server answering the DynamoDB JSON protocol through
// createAwsEndpoint, backed by SQLite storage in a temporary directory, and the SDK clients that talk to it.
import type { TableSpec } from '../../../src/app/model.js';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { promisify } from 'node:util';
import { CredentialStore } from '../../../src/aws/credentials.js';
import { createAwsEndpoint } from '../../../src/aws/endpoint.js';
import { dynamoDbService } from '../../../src/data/service/service.js';
import { dynamoDbStreamsService } from '../../../src/data/streams/service.js';
import { SqliteStorage } from '../../../src/data/storage/sqlite-storage.js';
import type { Storage } from '../../../src/data/storage/storage.js';

export const run = promisify(execFile);
export const hasBoto3 = spawnSync('python3', ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0;

/** A fresh temporary directory for the file's tests, removed after the last one. */
export function useTempDir(prefix: string): { readonly path: string } {
  const dir = { path: '' };
  before(() => {
    dir.path = mkdtempSync(join(tmpdir(), prefix));
  });
  after(() => rmSync(dir.path, { recursive: true, force: true }));
  return dir;
}

/** Opens SQLite storage the way the data-service tests always do. */
export function openTestStorage(path: string): Storage {
  return SqliteStorage.open(path, { synchronous: 'NORMAL' });
}

/** A low-level SDK client that fails on the first error instead of retrying, so tests see each response. */
export function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

export interface RunningDynamo {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the DynamoDB front on an ephemeral port of 127.0.0.1. */
export async function startDynamoServer(storage: Storage, options?: { now?: () => Date }): Promise<RunningDynamo> {
  const server: Server = createServer(
    createAwsEndpoint({
      credentials: new CredentialStore({ bindAddress: '127.0.0.1' }),
      services: [dynamoDbService(storage, options), dynamoDbStreamsService(storage, options)],
      logger: { warn: () => {}, error: () => {} },
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface DataServiceHarness {
  readonly dir: string;
  readonly dbPath: string;
  readonly port: number;
  readonly url: string;
  /** Closes the storage and opens the same file again while the server keeps running. */
  reopenStorage(): Promise<void>;
  client(): DynamoDBClient;
  doc(): DynamoDBDocumentClient;
  /** An on-demand table keyed by pk (S), with a sort key sk of the given type when there is one. */
  createTable(name: string, sortType?: 'S' | 'N'): Promise<void>;
}

/**
 * Registers before/after hooks that run one server for the whole test file. The service sees the storage through a
 * proxy so that reopenStorage can swap it without restarting the server.
 */
export function useDataService(prefix: string): DataServiceHarness {
  let dir = '';
  let dbPath = '';
  let storage: Storage;
  let server: RunningDynamo;
  const storageProxy = new Proxy({} as Storage, {
    get: (_target, prop) => {
      const value = (storage as unknown as Record<string | symbol, unknown>)[prop];
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(storage) : value;
    },
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    dbPath = join(dir, 'dynamodb.sqlite');
    storage = openTestStorage(dbPath);
    server = await startDynamoServer(storageProxy);
  });

  after(async () => {
    await server.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = () => dynamoClient(server.url);
  return {
    get dir() {
      return dir;
    },
    get dbPath() {
      return dbPath;
    },
    get port() {
      return server.port;
    },
    get url() {
      return server.url;
    },
    reopenStorage: async () => {
      await storage.close();
      storage = openTestStorage(dbPath);
    },
    client,
    doc: () => DynamoDBDocumentClient.from(client()),
    createTable: async (name, sortType) => {
      await client().send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, ...(sortType ? [{ AttributeName: 'sk', AttributeType: sortType }] : [])],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, ...(sortType ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : [])],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    },
  };
}

export interface ServiceError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
  Item?: unknown;
}

/** The error a call was rejected with; fails the test when the call succeeds. */
export async function rejection(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (err) {
    return err as never;
  }
  throw new assert.AssertionError({ message: 'expected the call to be rejected' });
}

/** Asserts the call fails with a ValidationException carrying exactly this message. */
export async function validation(promise: Promise<unknown>, message: string): Promise<void> {
  const err = await rejection(promise);
  assert.equal(err.name, 'ValidationException');
  assert.equal(err.message, message);
}

/** A template table (SimpleTable `Notes` keyed by `id`) as the SAM loader produces it, with `overrides`. */
export function tableSpec(name: string, overrides: Partial<TableSpec> = {}): TableSpec {
  return {
    logicalId: 'Notes',
    type: 'AWS::Serverless::SimpleTable',
    name,
    arn: `arn:aws:dynamodb:us-east-1:123456789012:table/${name}`,
    keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
    attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }],
    billingMode: 'PAY_PER_REQUEST',
    provisionedThroughput: undefined,
    streamViewType: undefined,
    timeToLive: undefined,
    globalSecondaryIndexes: [],
    localSecondaryIndexes: [],
    ...overrides,
  };
}

/** What a test file that also drives the storage directly gets: the storage, its server, and an SDK client. */
export interface DirectDataService {
  readonly storage: Storage;
  readonly server: RunningDynamo;
  readonly client: DynamoDBClient;
}

/** Opens a storage in a temporary directory and serves it for the whole file; `ready` receives them before the tests. */
export function useDirectDataService(prefix: string, ready: (service: DirectDataService) => void): void {
  const dir = useTempDir(prefix);
  let service: DirectDataService;
  before(async () => {
    const storage = openTestStorage(join(dir.path, 'dynamodb.sqlite'));
    const server = await startDynamoServer(storage);
    service = { storage, server, client: dynamoClient(server.url) };
    ready(service);
  });
  after(async () => {
    service.client.destroy();
    await service.server.close();
    await service.storage.close();
  });
}
