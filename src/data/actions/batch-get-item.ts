// BatchGetItem: up to 100 keys over any number of tables, each table with its own ProjectionExpression,
// ExpressionAttributeNames and ConsistentRead; Responses per table, UnprocessedKeys past the 16 MB response cap.
// Messages: architect/dynalite validations/batchGetItem.js ("Too many items requested for the BatchGetItem call",
// "Provided list of item keys contains duplicates"), asserted against DynamoDB in its test/batchGetItem.js.
import { ExpressionContext, parseProjection, project, type DocumentPath } from '../expressions/index.js';
import { keyOfKey, readItem } from '../service/tables.js';
import { FieldChecks, shape, type Json } from '../service/validation.js';
import type { ItemKey } from '../storage/storage.js';
import type { Item } from '../types/attribute-value.js';
import { DynamoValidationError } from '../types/errors.js';
import { itemSize } from '../types/item-size.js';
import { CapacityTally, TableCache, structMember } from './batch-common.js';
import type { Action } from './common.js';
import { checkExpressionParams, keyId, readStored } from './item-common.js';
import { attributesToGetPaths, checkNoMixing, readAttributesToGet } from '../legacy/params.js';

export const MAX_BATCH_GET_KEYS = 100;
/** DynamoDB's BatchGetItem response cap: what does not fit goes back in UnprocessedKeys. */
export const BATCH_GET_RESPONSE_BYTES = 16 * 1024 * 1024;

interface TableRequest {
  name: string;
  raw: Json;
  keys: Item[];
  paths: DocumentPath[] | undefined;
  consistent: boolean;
}

export const batchGetItem: Action = async (data, ctx) => {
  const checks = new FieldChecks();
  const requestItems = shape.struct(data, 'RequestItems');
  const returnConsumed = shape.string(data, 'ReturnConsumedCapacity');
  checks.enumValue(returnConsumed, 'returnConsumedCapacity', ['INDEXES', 'TOTAL', 'NONE']);
  if (checks.notNull(requestItems, 'requestItems')) checks.length(requestItems, 'requestItems', 1, undefined);
  const entries = Object.entries(requestItems ?? {}).map(([name, value]) => [name, structMember(value)] as const);
  for (const [name, raw] of entries) {
    checks.tableName(name, 'requestItems.member.key');
    const keys = shape.list(raw, 'Keys');
    if (checks.notNull(keys, `requestItems.${name}.member.keys`)) checks.length(keys, `requestItems.${name}.member.keys`, 1, MAX_BATCH_GET_KEYS);
    shape.string(raw, 'ProjectionExpression');
    shape.boolean(raw, 'ConsistentRead');
    shape.struct(raw, 'ExpressionAttributeNames');
    readAttributesToGet(raw, checks, `requestItems.${name}.member.attributesToGet`);
  }
  checks.done();

  const requests: TableRequest[] = [];
  let count = 0;
  for (const [name, raw] of entries) {
    const projectionText = shape.string(raw, 'ProjectionExpression');
    const attributesToGet = shape.list(raw, 'AttributesToGet') as string[] | undefined;
    checkNoMixing(raw, ['ProjectionExpression'], ['AttributesToGet']);
    const names = shape.struct(raw, 'ExpressionAttributeNames') as Record<string, string> | undefined;
    if (names) for (const key of Object.keys(names)) shape.string(names, key);
    checkExpressionParams({ tableName: name, returnConsumed, names, values: undefined }, { ProjectionExpression: projectionText });
    const exprs = ExpressionContext.create(names, undefined);
    const paths = projectionText === undefined ? attributesToGetPaths(attributesToGet) : parseProjection(projectionText, exprs);
    exprs.assertAllUsed();
    const keys: Item[] = [];
    const seen = new Set<string>();
    for (const rawKey of shape.list(raw, 'Keys') ?? []) {
      const key = readItem(rawKey);
      const id = JSON.stringify(Object.keys(key).sort().map((k) => [k, key[k]]));
      if (seen.has(id)) throw new DynamoValidationError('Provided list of item keys contains duplicates');
      seen.add(id);
      if (++count > MAX_BATCH_GET_KEYS) throw new DynamoValidationError('Too many items requested for the BatchGetItem call');
      keys.push(key);
    }
    requests.push({ name, raw, keys, paths, consistent: shape.boolean(raw, 'ConsistentRead') ?? false });
  }

  const tables = new TableCache(ctx.storage);
  const storageKeys: ItemKey[][] = [];
  for (const request of requests) {
    const table = await tables.get(request.name);
    const ids = new Set<string>();
    storageKeys.push(
      request.keys.map((k) => {
        const key = keyOfKey(table, k);
        const id = keyId(table.name, key);
        if (ids.has(id)) throw new DynamoValidationError('Provided list of item keys contains duplicates');
        ids.add(id);
        return key;
      }),
    );
  }

  const responses: Record<string, Item[]> = {};
  const unprocessed: Record<string, Json> = {};
  const capacity = new CapacityTally(returnConsumed);
  let bytes = 0;
  let full = false;
  for (const [i, request] of requests.entries()) {
    const table = await tables.get(request.name);
    const found: Item[] = [];
    const left: Item[] = [];
    for (const [j, key] of storageKeys[i]!.entries()) {
      const item = full ? undefined : await readStored(ctx.storage, table, key);
      const answer = item && (request.paths ? project(request.paths, item) : item);
      // The first item that would take the response past 16 MB, and every key after it, is left unprocessed.
      if (full || (answer && bytes + itemSize(answer) > BATCH_GET_RESPONSE_BYTES)) {
        full = true;
        left.push(request.keys[j]!);
        continue;
      }
      capacity.add(table.name, 'read', item, { consistent: request.consistent });
      if (!answer) continue;
      bytes += itemSize(answer);
      found.push(answer);
    }
    responses[request.name] = found;
    if (left.length > 0) unprocessed[request.name] = { ...request.raw, Keys: left };
  }
  return { Responses: responses, UnprocessedKeys: unprocessed, ...capacity.result() };
};
