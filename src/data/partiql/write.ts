// INSERT, UPDATE and DELETE, through the same write steps as PutItem, UpdateItem and DeleteItem (read, check, write in
// one storage transaction). DynamoDB's rules: INSERT never overwrites (DuplicateItemException); UPDATE and DELETE name
// the whole primary key with equalities in WHERE, and the rest of WHERE is their condition; UPDATE of a missing item
// fails its condition, DELETE of a missing item succeeds; RETURNING gives the item in Items.
import { consumedCapacity } from '../actions/common.js';
import { checkItemSize, checkUpdateKeys, updatedItem, writeIfCondition } from '../actions/item-common.js';
import { project, type Condition } from '../expressions/index.js';
import { duplicateItem } from '../service/errors.js';
import { keyOfItem, keyOfKey } from '../service/tables.js';
import type { Storage, TableInfo } from '../storage/storage.js';
import type { Item } from '../types/attribute-value.js';
import { itemSize } from '../types/item-size.js';
import { DynamoValidationError } from '../types/errors.js';
import type { Statement } from './ast.js';
import { PARTIQL_MESSAGES } from './messages.js';
import { conditionOf, keyFromWhere, updateOf } from './translate.js';

export interface WriteOptions {
  returnOnFailure: string | undefined;
  returnConsumed: string | undefined;
}

export interface WriteResult {
  Items: Item[];
  ConsumedCapacity?: Record<string, unknown>;
}

type Write = Extract<Statement, { kind: 'insert' | 'update' | 'delete' }>;

function keyAttributes(table: TableInfo) {
  const { partitionKey, sortKey } = table.keySchema;
  return sortKey ? [partitionKey, sortKey] : [partitionKey];
}

/** INSERT's item must hold each key attribute, with the schema's type. */
function checkInsertKey(table: TableInfo, item: Item): void {
  for (const attr of keyAttributes(table)) {
    const v = item[attr.name];
    if (v === undefined) throw new DynamoValidationError(PARTIQL_MESSAGES.keyAbsent(attr.name));
    if (Object.keys(v)[0] !== attr.type) throw new DynamoValidationError(PARTIQL_MESSAGES.keyType(attr.name));
  }
}

/** The key item UPDATE and DELETE address. */
export function whereKey(table: TableInfo, st: Extract<Statement, { kind: 'update' | 'delete' }>): Item {
  const key = keyFromWhere(table, st.where);
  if (!key) throw new DynamoValidationError(PARTIQL_MESSAGES.incompleteKey);
  return key;
}

function capacity(options: WriteOptions, table: TableInfo, old: Item | undefined, next: Item | undefined) {
  const sized = old && (!next || itemSize(old) > itemSize(next)) ? old : next;
  return consumedCapacity(options.returnConsumed, table.name, 'write', sized);
}

async function insert(storage: Storage, table: TableInfo, st: Extract<Statement, { kind: 'insert' }>, options: WriteOptions): Promise<WriteResult> {
  checkInsertKey(table, st.item);
  const item = checkItemSize(st.item);
  const key = keyOfItem(table, item);
  await writeIfCondition(storage, table, key, options, undefined, async (tx, old) => {
    if (old) throw duplicateItem();
    await tx.putItem(table.name, key, JSON.stringify(item));
  });
  return { Items: [], ...capacity(options, table, undefined, item) };
}

function returned(st: Extract<Statement, { kind: 'update' }>, old: Item | undefined, next: Item): Item | undefined {
  const paths = st.assignments.map((a) => a.path);
  switch (st.returning) {
    case 'ALL OLD':
      return old;
    case 'ALL NEW':
      return next;
    case 'MODIFIED OLD':
      return old && project(paths, old);
    case 'MODIFIED NEW':
      return project(paths, next);
    default:
      return undefined;
  }
}

async function update(storage: Storage, table: TableInfo, st: Extract<Statement, { kind: 'update' }>, options: WriteOptions): Promise<WriteResult> {
  const keyItem = whereKey(table, st);
  const key = keyOfKey(table, keyItem);
  const changes = updateOf(st.assignments);
  checkUpdateKeys(table, changes);
  // WHERE holds the key equalities, so it fails on a missing item: PartiQL's UPDATE never creates one.
  const condition = conditionOf(st.where!);
  const { old, next } = await writeIfCondition(storage, table, key, options, condition, async (tx, previous) => {
    const item = updatedItem(changes, previous, keyItem);
    await tx.putItem(table.name, key, JSON.stringify(item));
    return { old: previous, next: item };
  });
  const image = returned(st, old, next);
  return { Items: image && Object.keys(image).length > 0 ? [image] : [], ...capacity(options, table, old, next) };
}

async function remove(storage: Storage, table: TableInfo, st: Extract<Statement, { kind: 'delete' }>, options: WriteOptions): Promise<WriteResult> {
  const keyItem = whereKey(table, st);
  const key = keyOfKey(table, keyItem);
  const pk: Condition = { kind: 'function', name: 'attribute_not_exists', args: [{ kind: 'path', path: [table.keySchema.partitionKey.name] }] };
  // A missing item is no failure for DELETE: the rest of WHERE only conditions an existing one.
  const condition: Condition = { kind: 'or', left: pk, right: conditionOf(st.where!) };
  const old = await writeIfCondition(storage, table, key, options, condition, async (tx, previous) => {
    if (previous) await tx.deleteItem(table.name, key);
    return previous;
  });
  return { Items: st.returning && old ? [old] : [], ...capacity(options, table, old, undefined) };
}

export function runWrite(storage: Storage, table: TableInfo, st: Write, options: WriteOptions): Promise<WriteResult> {
  if (st.target.index !== undefined) throw new DynamoValidationError(PARTIQL_MESSAGES.onIndex);
  if (st.kind === 'insert') return insert(storage, table, st, options);
  if (st.kind === 'update') return update(storage, table, st, options);
  return remove(storage, table, st, options);
}
