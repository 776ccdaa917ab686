// SELECT: a Query when the WHERE clause pins the partition key with an equality (DynamoDB's PartiQL does the same,
// a full-table Scan otherwise), the whole WHERE clause applied as a filter, the projection, Limit (items evaluated,
// not returned), the 1 MB page and NextToken. `FROM "table"."index"` reads the index the same way.
import { indexForRead, indexStartOf, indexView } from '../actions/index-reads.js';
import { PAGE_BYTES, readResult, startKeyOf, tableView, type ReadResult } from '../actions/read-common.js';
import { evaluateCondition, project } from '../expressions/index.js';
import { keyOfKey } from '../service/tables.js';
import { encodeKeyValue } from '../storage/key-encoding.js';
import { MAX_PAGE_ITEMS, type ItemKey, type KeyAttribute, type Storage, type TableInfo } from '../storage/storage.js';
import type { AttributeValue, Item } from '../types/attribute-value.js';
import { DynamoValidationError } from '../types/errors.js';
import type { Statement } from './ast.js';
import { PARTIQL_MESSAGES } from './messages.js';
import { decodeNextToken, encodeNextToken } from './next-token.js';
import { conditionOf, equalities, keyFromWhere } from './translate.js';

export interface SelectOptions {
  limit?: number;
  nextToken?: string;
  /** Binds NextToken to this statement and its parameters. */
  fingerprint: string;
  consistent: boolean;
  returnConsumed?: string;
}

export interface SelectResult {
  Items: Item[];
  NextToken?: string;
  ConsumedCapacity?: Record<string, unknown>;
}

function partitionBytes(attr: KeyAttribute, value: AttributeValue): Buffer {
  if (attr.type === 'B') return encodeKeyValue('B', Buffer.from((value as { B: string }).B, 'base64'));
  return encodeKeyValue(attr.type, attr.type === 'S' ? (value as { S: string }).S : (value as { N: string }).N);
}

/** The page position a NextToken carries; "Invalid NextToken" when it is not a position of what is read. */
function startOf<K>(options: SelectOptions, positionOf: (raw: Record<string, unknown>) => K): K | undefined {
  if (options.nextToken === undefined) return undefined;
  const raw = decodeNextToken(options.nextToken, options.fingerprint);
  try {
    return positionOf(raw);
  } catch (e) {
    if (e instanceof DynamoValidationError) throw new DynamoValidationError(PARTIQL_MESSAGES.invalidNextToken);
    throw e;
  }
}

export async function runSelect(storage: Storage, table: TableInfo, st: Extract<Statement, { kind: 'select' }>, options: SelectOptions): Promise<SelectResult> {
  const filter = st.where ? conditionOf(st.where) : undefined;
  const paths = st.projection === '*' ? undefined : st.projection;
  const bounds = { limit: Math.min(options.limit ?? MAX_PAGE_ITEMS, MAX_PAGE_ITEMS), maxBytes: PAGE_BYTES };
  const pinned = equalities(st.where);
  const read = { filter, paths, limit: options.limit, returnConsumed: options.returnConsumed, consistent: options.consistent };
  const result =
    st.target.index === undefined
      ? await readTable(storage, table, pinned, startOf(options, (raw) => startKeyOf(table, raw)?.key), bounds, read)
      : await readIndex(storage, table, st.target.index, pinned, options, bounds, read);
  return {
    Items: result.Items ?? [],
    ...(result.LastEvaluatedKey ? { NextToken: encodeNextToken(options.fingerprint, result.LastEvaluatedKey) } : {}),
    ...(result.ConsumedCapacity ? { ConsumedCapacity: result.ConsumedCapacity } : {}),
  };
}

type PageBounds = { limit: number; maxBytes: number };
type ReadOptions = Parameters<typeof readResult>[3];

/** The partition key bytes when WHERE pins `attr` with `=` to a value of its type: the read is then a Query. */
function pinnedPartition(attr: KeyAttribute, pinned: Map<string, AttributeValue>): Buffer | undefined {
  const value = pinned.get(attr.name);
  return value && Object.keys(value)[0] === attr.type ? partitionBytes(attr, value) : undefined;
}

async function readTable(storage: Storage, table: TableInfo, pinned: Map<string, AttributeValue>, start: ItemKey | undefined, bounds: PageBounds, read: ReadOptions): Promise<ReadResult> {
  const pk = pinnedPartition(table.keySchema.partitionKey, pinned);
  const page = pk
    ? await storage.query({ table: table.name, pk, ...(start ? { startAfter: start.sk } : {}), ...bounds })
    : await storage.scan({ table: table.name, ...(start ? { startAfter: start } : {}), ...bounds });
  return readResult(table, page, tableView(table), read);
}

/**
 * `SELECT … FROM "table"."index"`: the index read path of Query and Scan (what DynamoDB refuses on the index, its
 * projection, its page positions), a Query of the index partition when WHERE pins the index's partition key.
 */
async function readIndex(
  storage: Storage,
  table: TableInfo,
  name: string,
  pinned: Map<string, AttributeValue>,
  options: SelectOptions,
  bounds: PageBounds,
  read: ReadOptions,
): Promise<ReadResult> {
  const index = indexForRead(table, name, undefined, options.consistent);
  const start = startOf(options, (raw) => indexStartOf(table, index, raw));
  const pk = pinnedPartition(index.partitionKey, pinned);
  const request = { table: table.name, index: index.name, ...(start ? { startAfter: start } : {}), ...bounds };
  const page = pk ? await storage.queryIndex({ ...request, pk }) : await storage.scanIndex(request);
  return readResult(table, page, indexView(table, index, undefined), read);
}

/**
 * A SELECT inside BatchExecuteStatement or ExecuteTransaction reads one item: WHERE must name its whole primary key
 * (else `missingKeyMessage`); the rest of WHERE filters it and the projection applies.
 */
export async function readOneItem(storage: Storage, table: TableInfo, st: Extract<Statement, { kind: 'select' }>, missingKeyMessage: string): Promise<Item | undefined> {
  const keyItem = st.target.index === undefined ? keyFromWhere(table, st.where) : undefined;
  if (!keyItem) throw new DynamoValidationError(missingKeyMessage);
  const text = await storage.getItem(table.name, keyOfKey(table, keyItem));
  const item = text === undefined ? undefined : (JSON.parse(text) as Item);
  if (!item || (st.where && !evaluateCondition(conditionOf(st.where), item))) return undefined;
  return st.projection === '*' ? item : project(st.projection, item);
}
