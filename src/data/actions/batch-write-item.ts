// BatchWriteItem: 1–25 PutRequest/DeleteRequest per table (25 in all), validated all together before anything is
// written, then applied in one storage transaction; UnprocessedItems is always {} (Portico processes every request).
// Messages: architect/dynalite validations/batchWriteItem.js and actions/batchWriteItem.js ("Provided list of item
// keys contains duplicates", key errors reported as "The provided key element does not match the schema"), asserted
// against DynamoDB in its test/batchWriteItem.js.
import { checkIndexKeys } from '../service/indexes.js';
import { keyOfItem, keyOfKey, readItem } from '../service/tables.js';
import { FieldChecks, shape, type Json } from '../service/validation.js';
import type { ItemKey, TableInfo } from '../storage/storage.js';
import type { Item } from '../types/attribute-value.js';
import { DynamoValidationError } from '../types/errors.js';
import { itemSize } from '../types/item-size.js';
import { CapacityTally, TableCache, structMember } from './batch-common.js';
import { recordChange } from '../streams/change-log.js';
import type { Action } from './common.js';
import { checkItemSize, keyId, readStored, storeItem } from './item-common.js';

export const MAX_BATCH_WRITE_REQUESTS = 25;

const ONE_DATATYPE = 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';
const KEY_MISMATCH = 'The provided key element does not match the schema';

interface Write {
  table: TableInfo;
  key: ItemKey;
  item?: Item;
}

/** AWS echoes the map as Java prints it: `{table=[WriteRequest, …]}`. */
function echo(requestItems: Json): string {
  return `{${Object.entries(requestItems)
    .map(([name, list]) => `${name}=[${(Array.isArray(list) ? list : []).map(() => 'com.amazonaws.dynamodb.v20120810.WriteRequest').join(', ')}]`)
    .join(', ')}}`;
}

export const batchWriteItem: Action = async (data, ctx) => {
  const checks = new FieldChecks();
  const requestItems = shape.struct(data, 'RequestItems');
  const returnConsumed = shape.string(data, 'ReturnConsumedCapacity');
  checks.enumValue(returnConsumed, 'returnConsumedCapacity', ['INDEXES', 'TOTAL', 'NONE']);
  checks.enumValue(shape.string(data, 'ReturnItemCollectionMetrics'), 'returnItemCollectionMetrics', ['SIZE', 'NONE']);
  if (checks.notNull(requestItems, 'requestItems')) checks.length(requestItems, 'requestItems', 1, undefined);
  const entries = Object.entries(requestItems ?? {}).map(([name]) => [name, shape.list(requestItems!, name) ?? []] as const);
  const badName = entries.some(([name]) => !/^[a-zA-Z0-9_.-]+$/.test(name) || name.length < 3 || name.length > 255);
  if (badName) {
    checks.fail(
      echo(requestItems!),
      'requestItems',
      'Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]',
    );
  }
  if (entries.some(([, list]) => list.length < 1 || list.length > MAX_BATCH_WRITE_REQUESTS)) {
    checks.fail(
      echo(requestItems!),
      'requestItems',
      `Map value must satisfy constraint: [Member must have length less than or equal to ${MAX_BATCH_WRITE_REQUESTS}, Member must have length greater than or equal to 1]`,
    );
  }
  checks.done();
  if (entries.reduce((n, [, list]) => n + list.length, 0) > MAX_BATCH_WRITE_REQUESTS) {
    throw new DynamoValidationError('Too many items requested for the BatchWriteItem call');
  }

  // Every request is read and validated before any table is looked up, then keys per table, then duplicates.
  const parsed: { name: string; put?: Item; key?: Item }[] = [];
  for (const [name, list] of entries) {
    for (const member of list) {
      const request = structMember(member);
      const put = shape.struct(request, 'PutRequest');
      const del = shape.struct(request, 'DeleteRequest');
      if ((put === undefined) === (del === undefined)) throw new DynamoValidationError(ONE_DATATYPE);
      if (put) {
        const rawItem = shape.struct(put, 'Item');
        if (rawItem === undefined) throw new DynamoValidationError(`1 validation error detected: Value null at 'requestItems.${name}.member.putRequest.item' failed to satisfy constraint: Member must not be null`);
        parsed.push({ name, put: checkItemSize(readItem(rawItem)) });
      } else {
        const rawKey = shape.struct(del!, 'Key');
        if (rawKey === undefined) throw new DynamoValidationError(`1 validation error detected: Value null at 'requestItems.${name}.member.deleteRequest.key' failed to satisfy constraint: Member must not be null`);
        parsed.push({ name, key: readItem(rawKey) });
      }
    }
  }

  const tables = new TableCache(ctx.storage);
  const writes: Write[] = [];
  const seen = new Set<string>();
  for (const request of parsed) {
    const table = await tables.get(request.name);
    let key: ItemKey;
    try {
      key = request.put ? keyOfItem(table, request.put) : keyOfKey(table, request.key!);
    } catch (e) {
      if (e instanceof DynamoValidationError && /Missing the key|Type mismatch for key/.test(e.message)) throw new DynamoValidationError(KEY_MISMATCH);
      throw e;
    }
    if (request.put) checkIndexKeys(table, request.put);
    writes.push({ table, key, ...(request.put ? { item: request.put } : {}) });
  }
  for (const write of writes) {
    const id = keyId(write.table.name, write.key);
    if (seen.has(id)) throw new DynamoValidationError('Provided list of item keys contains duplicates');
    seen.add(id);
  }

  const capacity = new CapacityTally(returnConsumed);
  await ctx.storage.transaction(async (tx) => {
    for (const write of writes) {
      const old = await readStored(tx, write.table, write.key);
      if (write.item) await storeItem(tx, write.table, write.key, write.item);
      else if (old) await tx.deleteItem(write.table.name, write.key);
      await recordChange(tx, write.table, old, write.item, { now: ctx.now() });
      const bigger = write.item && (!old || itemSize(write.item) >= itemSize(old)) ? write.item : old;
      capacity.add(write.table.name, 'write', bigger);
    }
  });
  return { UnprocessedItems: {}, ...capacity.result() };
};
