// The write side of streams: every item write appends its stream record in the storage transaction that makes the
// write, so an acknowledged write always has its record and a rolled-back one never does. Only tables with an
// enabled stream get records, holding what their view type asks for. A write that changes nothing (an item put
// again as it was, an update setting values already there, a delete of a missing item) writes no record, as on
// DynamoDB ("If you perform a PutItem or UpdateItem operation that does not change any data in an item, DynamoDB
// Streams does not write a stream record for that operation", developer guide, "Change data capture for DynamoDB
// Streams").
import { randomUUID } from 'node:crypto';
import type { StorageTransaction, TableInfo } from '../storage/storage.js';
import { readMetadata } from '../service/tables.js';
import type { AttributeValue, Item } from '../types/attribute-value.js';
import { itemSize } from '../types/item-size.js';
import { activeStream, type ActiveStream, type StreamViewType } from './stream-settings.js';

export type EventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/** A change record as stored (opaque JSON to the storage); the sequence number is the storage's. */
export interface StoredChange {
  /** eventID */
  readonly id: string;
  readonly name: EventName;
  /** The stream's label: records of an earlier stream of the same table are not this stream's. */
  readonly label: string;
  readonly view: StreamViewType;
  /** ApproximateCreationDateTime: seconds since the epoch, rounded down. */
  readonly at: number;
  readonly keys: Item;
  readonly newImage?: Item;
  readonly oldImage?: Item;
  readonly size: number;
  /** Deleted by Time to Live: the record names the DynamoDB service as the user. */
  readonly ttl?: true;
}

/** How a write came about. */
export interface ChangeOrigin {
  readonly now: Date;
  /** The TTL sweeper's deletions. */
  readonly byTtl?: boolean;
}

/**
 * Appends the stream record of one item write to `tx`, when the table has an enabled stream and the write changed
 * something. `old` and `next` are the item before and after (undefined: absent).
 */
export async function recordChange(tx: StorageTransaction, table: TableInfo, old: Item | undefined, next: Item | undefined, origin: ChangeOrigin): Promise<void> {
  const stream = streamOf(table);
  if (!stream || !changed(old, next)) return;
  const change = buildChange(table, stream.label, stream.viewType, old, next, origin);
  await tx.appendChange(table.name, JSON.stringify(change));
}

/**
 * The table's enabled stream, parsed once per TableInfo: the storage hands out the same TableInfo until the metadata
 * changes, so a write to a table without a stream costs one map lookup, not a JSON parse.
 */
const streams = new WeakMap<TableInfo, ActiveStream | null>();
function streamOf(table: TableInfo): ActiveStream | undefined {
  let stream = streams.get(table);
  if (stream === undefined) streams.set(table, (stream = activeStream(readMetadata(table)) ?? null));
  return stream ?? undefined;
}

function buildChange(table: TableInfo, label: string, view: StreamViewType, old: Item | undefined, next: Item | undefined, origin: ChangeOrigin): StoredChange {
  const keys = keysOf(table, (next ?? old)!);
  const newImage = next && (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? next : undefined;
  const oldImage = old && (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? old : undefined;
  const size = itemSize(keys) + (newImage ? itemSize(newImage) : 0) + (oldImage ? itemSize(oldImage) : 0);
  return {
    id: randomUUID().replace(/-/g, ''),
    name: !old ? 'INSERT' : !next ? 'REMOVE' : 'MODIFY',
    label,
    view,
    at: Math.floor(origin.now.getTime() / 1000),
    keys,
    ...(newImage ? { newImage } : {}),
    ...(oldImage ? { oldImage } : {}),
    size,
    ...(origin.byTtl ? { ttl: true as const } : {}),
  };
}

function keysOf(table: TableInfo, item: Item): Item {
  const { partitionKey, sortKey } = table.keySchema;
  const keys: Item = { [partitionKey.name]: item[partitionKey.name]! };
  if (sortKey) keys[sortKey.name] = item[sortKey.name]!;
  return keys;
}

function changed(old: Item | undefined, next: Item | undefined): boolean {
  if (!old || !next) return old !== next;
  return canonical({ M: old }) !== canonical({ M: next });
}

/** A value's JSON with map keys and set members sorted, so that equal items compare equal whatever their order. */
function canonical(value: AttributeValue): string {
  if ('M' in value) {
    const entries = Object.keys(value.M)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value.M[k]!)}`);
    return `{"M":{${entries.join(',')}}}`;
  }
  if ('L' in value) return `{"L":[${value.L.map(canonical).join(',')}]}`;
  // Sets are unordered: the same members in another order are the same set.
  if ('SS' in value) return JSON.stringify({ SS: [...value.SS].sort() });
  if ('NS' in value) return JSON.stringify({ NS: [...value.NS].sort() });
  if ('BS' in value) return JSON.stringify({ BS: [...value.BS].sort() });
  return JSON.stringify(value);
}
