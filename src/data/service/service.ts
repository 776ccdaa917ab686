// DynamoDB's JSON 1.0 front on Portico's AWS endpoint: `X-Amz-Target: DynamoDB_20120810.<Op>`, a JSON object body,
// answers in application/x-amz-json-1.0 with `x-amz-crc32` (CRC32 of the body bytes, decimal — botocore checks it).
// Protocol errors follow architect/dynalite index.js: a body that is not a JSON object is a bare
// com.amazon.coral.service#SerializationException, an unknown operation a bare UnknownOperationException, both 400.
import { crc32 } from 'node:zlib';
import type { AwsRequestContext } from '../../aws/context.js';
import type { AwsService } from '../../aws/endpoint.js';
import { AwsError, renderJson } from '../../aws/errors.js';
import { byTargetPrefix } from '../../aws/routing.js';
import type { Storage } from '../storage/storage.js';
import { DynamoValidationError } from '../types/errors.js';
import type { Action, ActionContext } from '../actions/common.js';
import { batchExecuteStatement } from '../actions/batch-execute-statement.js';
import { batchGetItem } from '../actions/batch-get-item.js';
import { batchWriteItem } from '../actions/batch-write-item.js';
import { createTable } from '../actions/create-table.js';
import { deleteItem } from '../actions/delete-item.js';
import { deleteTable } from '../actions/delete-table.js';
import { describeTable } from '../actions/describe-table.js';
import { describeTimeToLive, updateTimeToLive } from '../actions/time-to-live.js';
import { executeStatement } from '../actions/execute-statement.js';
import { executeTransaction } from '../actions/execute-transaction.js';
import { getItem } from '../actions/get-item.js';
import { listTables } from '../actions/list-tables.js';
import { putItem } from '../actions/put-item.js';
import { query } from '../actions/query.js';
import { scan } from '../actions/scan.js';
import { transactGetItems } from '../actions/transact-get-items.js';
import { transactWriteItems } from '../actions/transact-write-items.js';
import { updateItem } from '../actions/update-item.js';
import { updateTable } from '../actions/update-table.js';
import { describeEndpoints, describeLimits } from '../actions/account.js';
import { listTagsOfResource, tagResource, untagResource } from '../actions/tags.js';
import { resumeBackfills } from './index-backfill.js';
import { responseText } from './raw-json.js';
import { DYNAMODB_NAMESPACE, internalServerError, serializationException, unknownOperation, validationException } from './errors.js';

export const TARGET_PREFIX = 'DynamoDB_20120810.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

const ACTIONS: Readonly<Record<string, Action>> = {
  CreateTable: createTable,
  DescribeTable: describeTable,
  UpdateTable: updateTable,
  ListTables: listTables,
  DeleteTable: deleteTable,
  PutItem: putItem,
  GetItem: getItem,
  DeleteItem: deleteItem,
  UpdateItem: updateItem,
  Query: query,
  Scan: scan,
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
  TransactGetItems: transactGetItems,
  TransactWriteItems: transactWriteItems,
  UpdateTimeToLive: updateTimeToLive,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsOfResource: listTagsOfResource,
  DescribeLimits: describeLimits,
  DescribeEndpoints: describeEndpoints,
  DescribeTimeToLive: describeTimeToLive,
  ExecuteStatement: executeStatement,
  BatchExecuteStatement: batchExecuteStatement,
  ExecuteTransaction: executeTransaction,
};

export interface DynamoDbServiceOptions {
  now?: () => Date;
  logger?: { error(message: string): void };
}

export function dynamoDbService(storage: Storage, options: DynamoDbServiceOptions = {}): AwsService {
  return jsonActionService(TARGET_PREFIX, ACTIONS, storage, options);
}

/**
 * A JSON 1.0 service signed as `dynamodb` whose operations are `actions` under target `prefix`: DynamoDB itself, and
 * DynamoDB Streams (which shares its signing name, error namespace and envelope).
 */
export function jsonActionService(prefix: string, actions: Readonly<Record<string, Action>>, storage: Storage, options: DynamoDbServiceOptions = {}): AwsService {
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? console;
  resumeBackfills(storage, logger).catch((err: unknown) => logger.error(`dynamodb: cannot resume index backfills: ${err instanceof Error ? err.message : String(err)}`));
  return {
    name: 'dynamodb',
    protocol: 'json',
    matches: byTargetPrefix(prefix),
    authErrorStatus: 400,
    errorOptions: { jsonNamespace: DYNAMODB_NAMESPACE, jsonContentType: CONTENT_TYPE },
    internalError: internalServerError,
    handle: (ctx) => handle(ctx, { prefix, actions, storage, now, logger }),
  };
}

interface Handling {
  prefix: string;
  actions: Readonly<Record<string, Action>>;
  storage: Storage;
  now: () => Date;
  logger: { error(message: string): void };
}

async function handle(ctx: AwsRequestContext, { prefix, actions, storage, now, logger }: Handling): Promise<void> {
  let response: Record<string, unknown>;
  try {
    const target = ctx.target ?? '';
    const action = target.startsWith(prefix) ? actions[target.slice(prefix.length)] : undefined;
    if (!action || !Object.hasOwn(actions, target.slice(prefix.length))) throw unknownOperation();
    const data = parseBody(ctx.body);
    const actionContext: ActionContext = { storage, region: ctx.region, request: ctx, now };
    response = await action(data, actionContext);
  } catch (err) {
    if (err instanceof AwsError) return sendError(ctx, err);
    if (err instanceof DynamoValidationError) return sendError(ctx, validationException(err.message));
    logger.error(`dynamodb ${ctx.requestId}: ${err instanceof Error ? err.message : String(err)}`);
    return sendError(ctx, internalServerError());
  }
  send(ctx, 200, responseText(response));
}

function parseBody(body: Buffer): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(body.toString('utf8'));
  } catch {
    throw serializationException();
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw serializationException();
  return data as Record<string, unknown>;
}

function sendError(ctx: AwsRequestContext, err: AwsError): void {
  const rendered = renderJson(err, { requestId: ctx.requestId, jsonNamespace: DYNAMODB_NAMESPACE, jsonContentType: CONTENT_TYPE });
  send(ctx, rendered.status, rendered.body, rendered.headers);
}

function send(ctx: AwsRequestContext, status: number, body: string, headers: Readonly<Record<string, string>> = {}): void {
  const bytes = Buffer.from(body, 'utf8');
  ctx.sendRaw(status, { ...headers, 'Content-Type': CONTENT_TYPE, 'x-amz-crc32': String(crc32(bytes)) }, bytes);
}
