// INSERT, UPDATE and DELETE, through the same write steps as PutItem, UpdateItem and DeleteItem (read, check, write in
// one storage transaction). DynamoDB's rules: INSERT never overwrites (DuplicateItemException); UPDATE and DELETE name
// the whole primary key with equalities in WHERE, and the rest of WHERE is their condition; UPDATE of a missing item
// fails its condition, DELETE of a missing item succeeds; RETURNING gives the item in Items.
import { consumedCapacity } from '../actions/common.js';
import { checkItemSize, checkUpdateKeys, storeItem, updatedItem, writeIfCondition } from '../actions/item-common.js';
import { checkIndexKeys } from '../service/indexes.js';
import { recordChange } from '../streams/change-log.js';
import { project, type Condition } from '../expressions/index.js';
import { duplicateItem } from '../service/errors.js';
import { keyOfItem, keyOfKey } from '../service/tables.js';
import type { ItemKey, Storage, StorageTransaction, TableInfo } from '../storage/storage.js';
import type { Item } from '../types/attribute-value.js';
import { itemSize } from '../types/item-size.js';
import { DynamoValidationError } from '../types/errors.js';
import type { Statement } from './ast.js';
import { PARTIQL_MESSAGES } from './messages.js';
import { conditionOf, keyFromWhere, updateOf } from './translate.js';

export interface WriteOptions {
  returnOnFailure: string | undefined;
  returnConsumed: string | undefined;
  /** The request's time, for the stream record. */
  now: Date;
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

/** What a write statement does to its item, decided from the item as stored once its condition held. */
export interface Change {
  readonly put?: Item;
  readonly remove?: boolean;
}

/** A write statement resolved against its table: the item it addresses, its condition, its change and its answer. */
export interface PlannedWrite {
  readonly table: TableInfo;
  readonly key: ItemKey;
  readonly condition: Condition | undefined;
  /** Throws DuplicateItemException when INSERT finds an item. */
  change(old: Item | undefined): Change;
  /** The items RETURNING asks for. */
  returned(old: Item | undefined, next: Item | undefined): Item[];
}

function planInsert(table: TableInfo, st: Extract<Statement, { kind: 'insert' }>): PlannedWrite {
  checkInsertKey(table, st.item);
  const item = checkItemSize(st.item);
  return {
    table,
    key: keyOfItem(table, item),
    condition: undefined,
    change: (old) => {
      if (old) throw duplicateItem();
      return { put: item };
    },
    returned: () => [],
  };
}

function returnedImage(st: Extract<Statement, { kind: 'update' }>, old: Item | undefined, next: Item): Item | undefined {
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

function planUpdate(table: TableInfo, st: Extract<Statement, { kind: 'update' }>): PlannedWrite {
  const keyItem = whereKey(table, st);
  const changes = updateOf(st.assignments);
  checkUpdateKeys(table, changes);
  return {
    table,
    key: keyOfKey(table, keyItem),
    // WHERE holds the key equalities, so it fails on a missing item: PartiQL's UPDATE never creates one.
    condition: conditionOf(st.where!),
    change: (old) => ({ put: updatedItem(changes, old, keyItem) }),
    returned: (old, next) => {
      const image = next && returnedImage(st, old, next);
      return image && Object.keys(image).length > 0 ? [image] : [];
    },
  };
}

function planDelete(table: TableInfo, st: Extract<Statement, { kind: 'delete' }>): PlannedWrite {
  const keyItem = whereKey(table, st);
  const absent: Condition = { kind: 'function', name: 'attribute_not_exists', args: [{ kind: 'path', path: [table.keySchema.partitionKey.name] }] };
  return {
    table,
    key: keyOfKey(table, keyItem),
    // A missing item is no failure for DELETE: the rest of WHERE only conditions an existing one.
    condition: { kind: 'or', left: absent, right: conditionOf(st.where!) },
    change: (old) => ({ remove: old !== undefined }),
    returned: (old) => (st.returning && old ? [old] : []),
  };
}

export function planWrite(table: TableInfo, st: Write): PlannedWrite {
  if (st.target.index !== undefined) throw new DynamoValidationError(PARTIQL_MESSAGES.onIndex);
  if (st.kind === 'insert') return planInsert(table, st);
  if (st.kind === 'update') return planUpdate(table, st);
  return planDelete(table, st);
}

/** Applies a statement's change like the item operations do: index entries kept, a stream record appended. */
export async function applyChange(tx: StorageTransaction, plan: PlannedWrite, change: Change, old: Item | undefined, now: Date): Promise<void> {
  if (change.put) {
    checkIndexKeys(plan.table, change.put);
    await storeItem(tx, plan.table, plan.key, change.put);
  } else if (change.remove) {
    await tx.deleteItem(plan.table.name, plan.key);
  }
  await recordChange(tx, plan.table, old, change.put ?? (change.remove ? undefined : old), { now });
}

/** Runs one write statement: condition check and change in one storage transaction. */
export async function runWrite(storage: Storage, table: TableInfo, st: Write, options: WriteOptions): Promise<WriteResult> {
  const plan = planWrite(table, st);
  const { old, next } = await writeIfCondition(storage, table, plan.key, options, plan.condition, async (tx, previous) => {
    const change = plan.change(previous);
    await applyChange(tx, plan, change, previous, options.now);
    return { old: previous, next: change.put };
  });
  return { Items: plan.returned(old, next), ...capacity(options, table, old, next) };
}
