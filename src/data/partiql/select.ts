// SELECT: a Query when the WHERE clause pins the partition key with an equality (DynamoDB's PartiQL does the same,
// a full-table Scan otherwise), the whole WHERE clause applied as a filter, the projection, Limit (items evaluated,
// not returned), the 1 MB page and NextToken.
import { PAGE_BYTES, readResult, startKeyOf, tableView } from '../actions/read-common.js';
import { namedIndex } from '../service/indexes.js';
import { evaluateCondition, project } from '../expressions/index.js';
import { keyOfKey } from '../service/tables.js';
import { encodeKeyValue } from '../storage/key-encoding.js';
import { MAX_PAGE_ITEMS, type KeyAttribute, type Storage, type TableInfo } from '../storage/storage.js';
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

function startOf(table: TableInfo, options: SelectOptions) {
  if (options.nextToken === undefined) return undefined;
  const raw = decodeNextToken(options.nextToken, options.fingerprint);
  try {
    return startKeyOf(table, raw);
  } catch (e) {
    if (e instanceof DynamoValidationError) throw new DynamoValidationError(PARTIQL_MESSAGES.invalidNextToken);
    throw e;
  }
}

export async function runSelect(storage: Storage, table: TableInfo, st: Extract<Statement, { kind: 'select' }>, options: SelectOptions): Promise<SelectResult> {
  rejectIndexRead(table, st.target.index);
  const filter = st.where ? conditionOf(st.where) : undefined;
  const paths = st.projection === '*' ? undefined : st.projection;
  const start = startOf(table, options);
  const { partitionKey } = table.keySchema;
  const pkValue = equalities(st.where).get(partitionKey.name);
  const bounds = { limit: Math.min(options.limit ?? MAX_PAGE_ITEMS, MAX_PAGE_ITEMS), maxBytes: PAGE_BYTES };
  const page =
    pkValue && Object.keys(pkValue)[0] === partitionKey.type
      ? await storage.query({ table: table.name, pk: partitionBytes(partitionKey, pkValue), ...(start ? { startAfter: start.key.sk } : {}), ...bounds })
      : await storage.scan({ table: table.name, ...(start ? { startAfter: start.key } : {}), ...bounds });
  const result = readResult(table, page, tableView(table), { filter, paths, limit: options.limit, returnConsumed: options.returnConsumed, consistent: options.consistent });
  return {
    Items: result.Items ?? [],
    ...(result.LastEvaluatedKey ? { NextToken: encodeNextToken(options.fingerprint, result.LastEvaluatedKey) } : {}),
    ...(result.ConsumedCapacity ? { ConsumedCapacity: result.ConsumedCapacity } : {}),
  };
}

/** `SELECT … FROM "table"."index"`: an unknown index gets DynamoDB's error; reading an index is not supported yet. */
function rejectIndexRead(table: TableInfo, index: string | undefined): void {
  if (index === undefined) return;
  namedIndex(table, index);
  throw new DynamoValidationError(`Portico does not support PartiQL SELECT on an index yet: ${index}`);
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
