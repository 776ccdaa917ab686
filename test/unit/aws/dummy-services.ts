// Stand-in Lambda and DynamoDB services for exercising the endpoint front with
// real clients. They record what they were handed so tests can check the
// context the front built.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AwsRequestContext } from '../../../src/aws/context.js';
import { CredentialStore } from '../../../src/aws/credentials.js';
import { createAwsEndpoint, type AwsService } from '../../../src/aws/endpoint.js';
import { AwsError } from '../../../src/aws/errors.js';
import { byPathPrefix, byTargetPrefix } from '../../../src/aws/routing.js';

export const INVOKE_LIMIT = 1024;

export interface Seen {
  segments: readonly string[];
  query: string;
  accessKeyId: string;
  region: string;
  bodyLength: number;
  bodyKept: number;
  bodyTruncated: boolean;
  requestId: string;
}

function record(seen: Seen[], ctx: AwsRequestContext) {
  seen.push({
    segments: ctx.segments,
    query: ctx.query.toString(),
    accessKeyId: ctx.accessKeyId,
    region: ctx.region,
    bodyLength: ctx.bodyLength,
    bodyKept: ctx.body.length,
    bodyTruncated: ctx.bodyTruncated,
    requestId: ctx.requestId,
  });
}

function lambdaService(seen: Seen[]): AwsService {
  return {
    name: 'lambda',
    protocol: 'rest-json',
    matches: byPathPrefix('/2015-03-31/functions'),
    maxBodyBytes: (probe) => (probe.rawPath.endsWith('/invocations') ? INVOKE_LIMIT : 1024 * 1024),
    async handle(ctx) {
      record(seen, ctx);
      const [, , name, action] = ctx.segments;
      if (name === undefined) return ctx.sendJson(200, { Functions: [] });
      if (name === 'boom') throw new Error('kaboom: internal detail that must not reach the client');
      if (name === 'silent') return;
      if (name === 'missing') {
        throw new AwsError({ code: 'ResourceNotFoundException', message: `Function not found: ${name}`, status: 404, restType: 'User', messageKey: 'Message' });
      }
      if (action === 'invocations') return ctx.sendRaw(200, { 'Content-Type': 'application/json' }, '"ok"');
      ctx.sendJson(200, { Configuration: { FunctionName: name } });
    },
  };
}

function dynamoService(seen: Seen[]): AwsService {
  return {
    name: 'dynamodb',
    protocol: 'json',
    matches: byTargetPrefix('DynamoDB_20120810.'),
    authErrorStatus: 400,
    errorOptions: { jsonNamespace: 'com.amazonaws.dynamodb.v20120810' },
    async handle(ctx) {
      record(seen, ctx);
      if (ctx.target === 'DynamoDB_20120810.ListTables') return ctx.sendJson(200, { TableNames: [] });
      ctx.sendError(new AwsError({ code: 'ResourceNotFoundException', message: 'Requested resource not found', status: 400 }));
    },
  };
}

export interface TestEndpoint {
  url: string;
  port: number;
  credentials: CredentialStore;
  seen: Seen[];
  logs: { warn: string[]; error: string[] };
  close(): Promise<void>;
}

export async function startEndpoint(): Promise<TestEndpoint> {
  const seen: Seen[] = [];
  const logs = { warn: [] as string[], error: [] as string[] };
  const credentials = new CredentialStore({ bindAddress: '127.0.0.1' });
  const listener = createAwsEndpoint({
    credentials,
    services: [lambdaService(seen), dynamoService(seen)],
    logger: { warn: (m) => logs.warn.push(m), error: (m) => logs.error.push(m) },
  });
  const server: Server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    credentials,
    seen,
    logs,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
