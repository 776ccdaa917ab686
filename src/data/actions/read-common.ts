// What Query and Scan share: Select/ProjectionExpression rules, Limit, ExclusiveStartKey, LastEvaluatedKey, the
// filter/projection pass over a storage page and read capacity. Messages: architect/dynalite validations/query.js,
// validations/scan.js and validations/index.js, asserted against DynamoDB in its test/query.js and test/scan.js.
import { evaluateCondition, project, type Condition, type DocumentPath } from '../expressions/index.js';
import { decodeNumber } from '../storage/key-encoding.js';
import type { ItemKey, KeyAttribute, StoredItem, TableInfo } from '../storage/storage.js';
import { keyOfKey, readItem } from '../service/tables.js';
import type { AttributeValue, Item } from '../types/attribute-value.js';
import { DynamoValidationError } from '../types/errors.js';
import { itemSize } from '../types/item-size.js';

/** DynamoDB's 1 MB page. */
export const PAGE_BYTES = 1024 * 1024;

export type Select = 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES' | 'SPECIFIC_ATTRIBUTES' | 'COUNT';

/** Select vs ProjectionExpression (and IndexName for ALL_PROJECTED_ATTRIBUTES). Query wraps one message in "1 validation error detected:". */
export function checkSelect(select: string | undefined, projection: string | undefined, indexName: string | undefined, op: 'Query' | 'Scan'): void {
  if (select === 'SPECIFIC_ATTRIBUTES' && projection === undefined) {
    const message = 'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES';
    throw new DynamoValidationError(op === 'Query' ? `1 validation error detected: ${message}` : message);
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && indexName === undefined) {
    throw new DynamoValidationError(
      op === 'Query' ? 'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName' : 'ALL_PROJECTED_ATTRIBUTES can be used only when scanning an index',
    );
  }
  if (projection !== undefined && select === 'ALL_ATTRIBUTES') throw new DynamoValidationError('Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES');
  if (projection !== undefined && select === 'COUNT') throw new DynamoValidationError('Cannot specify the ProjectionExpression when choosing to get only the Count');
}

/** ExclusiveStartKey → storage key; "The provided starting key is invalid: …" when it is not a key of the table. */
export function startKeyOf(table: TableInfo, raw: Record<string, unknown> | undefined): { key: ItemKey; item: Item } | undefined {
  if (raw === undefined) return undefined;
  try {
    const item = readItem(raw);
    return { key: keyOfKey(table, item), item };
  } catch (e) {
    if (e instanceof DynamoValidationError) throw new DynamoValidationError(`The provided starting key is invalid: ${e.message}`);
    throw e;
  }
}

export function decodeKeyValue(attr: KeyAttribute, bytes: Uint8Array): AttributeValue {
  if (attr.type === 'S') return { S: Buffer.from(bytes).toString('utf8') };
  if (attr.type === 'B') return { B: Buffer.from(bytes).toString('base64') };
  return { N: decodeNumber(bytes) };
}

/** The key attributes of an item, or of a storage key when no item is at hand. */
export function keyAttributesOf(table: TableInfo, source: Item | ItemKey): Item {
  const { partitionKey, sortKey } = table.keySchema;
  const out: Item = {};
  if ('pk' in source && source.pk instanceof Uint8Array) {
    const key = source as ItemKey;
    out[partitionKey.name] = decodeKeyValue(partitionKey, key.pk);
    if (sortKey) out[sortKey.name] = decodeKeyValue(sortKey, key.sk);
    return out;
  }
  const item = source as Item;
  out[partitionKey.name] = item[partitionKey.name]!;
  if (sortKey) out[sortKey.name] = item[sortKey.name]!;
  return out;
}

export interface ReadResult {
  Items?: Item[];
  Count: number;
  ScannedCount: number;
  LastEvaluatedKey?: Item;
  ConsumedCapacity?: Record<string, unknown>;
}

/** How a read turns what it fetched into results: the key to continue from, and the item as the reader sees it. */
export interface ReadView<K extends ItemKey> {
  /** LastEvaluatedKey for a stored key, with its item when it is at hand. */
  keyOf(key: K, item: Item | undefined): Item;
  /** The item the filter sees (an index's projection for a GSI). */
  filtered?(item: Item): Item;
  /** The item returned when no ProjectionExpression is given. */
  returned?(item: Item): Item;
  /** The index read, which ReturnConsumedCapacity INDEXES charges instead of the table. */
  index?: { name: string; global: boolean };
}

/** The view of a read of the table itself. */
export function tableView(table: TableInfo): ReadView<ItemKey> {
  return { keyOf: (key, item) => keyAttributesOf(table, item ?? key) };
}

/**
 * Filter (after Limit, as DynamoDB: Count counts matches, ScannedCount what was read), projection, Select COUNT and
 * LastEvaluatedKey: the key of the last item evaluated, also when a page holds exactly Limit items.
 */
export function readResult<K extends ItemKey>(
  table: TableInfo,
  page: { items: (StoredItem & K)[]; lastKey?: K },
  view: ReadView<K>,
  options: { filter?: Condition; paths?: DocumentPath[]; select?: string; limit?: number; returnConsumed?: string; consistent: boolean },
): ReadResult {
  const items: Item[] = [];
  let bytes = 0;
  let last: { stored: StoredItem & K; item: Item } | undefined;
  for (const stored of page.items) {
    const item = JSON.parse(stored.item) as Item;
    bytes += itemSize(item);
    last = { stored, item };
    const seen = view.filtered ? view.filtered(item) : item;
    if (options.filter && !evaluateCondition(options.filter, seen)) continue;
    items.push(options.paths ? project(options.paths, seen) : view.returned ? view.returned(seen) : seen);
  }
  const full = options.limit !== undefined && page.items.length >= options.limit;
  let lastKey: Item | undefined;
  if (last && (full || page.lastKey)) lastKey = view.keyOf(last.stored, last.item);
  else if (page.lastKey) lastKey = view.keyOf(page.lastKey, undefined);
  return {
    ...(options.select === 'COUNT' ? {} : { Items: items }),
    Count: items.length,
    ScannedCount: page.items.length,
    ...(lastKey ? { LastEvaluatedKey: lastKey } : {}),
    ...readCapacity(options.returnConsumed, table.name, bytes, options.consistent, view.index),
  };
}

/** Read units: one per 4 KB read (rounded up over the whole page, at least one), half for eventually consistent reads. */
function readCapacity(returnConsumed: string | undefined, table: string, bytes: number, consistent: boolean, index?: { name: string; global: boolean }) {
  if (returnConsumed !== 'TOTAL' && returnConsumed !== 'INDEXES') return {};
  const units = Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
  const capacity: Record<string, unknown> = { TableName: table, CapacityUnits: units };
  if (returnConsumed === 'INDEXES') {
    // An index read is charged to the index (architect/dynalite db/index.js queryTable), not to the table.
    capacity.Table = { CapacityUnits: index ? 0 : units };
    if (index) capacity[index.global ? 'GlobalSecondaryIndexes' : 'LocalSecondaryIndexes'] = { [index.name]: { CapacityUnits: units } };
  }
  return { ConsumedCapacity: capacity };
}
