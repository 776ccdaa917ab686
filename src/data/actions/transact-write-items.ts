// TransactWriteItems: up to 100 ConditionCheck/Put/Update/Delete actions, each with its own ConditionExpression,
// checked and applied in one storage transaction: all or nothing. A failed condition cancels the whole request with
// TransactionCanceledException, `Message` "Transaction cancelled, please refer cancellation reasons for specific
// reasons [ConditionalCheckFailed, None]" and CancellationReasons in request order (the old item when
// ReturnValuesOnConditionCheckFailure is ALL_OLD). ClientRequestToken makes the call idempotent for 10 minutes.
// Sources: DynamoDB API reference (TransactWriteItems, CancellationReason), localstack's AWS-validated snapshot of
// the cancellation message.
import { ExpressionContext, parseUpdate, type Condition, type UpdateExpression } from '../expressions/index.js';
import { transactionCanceled } from '../service/errors.js';
import { checkIndexKeys } from '../service/indexes.js';
import { keyOfItem, keyOfKey, readItem } from '../service/tables.js';
import { FieldChecks, shape, type Json } from '../service/validation.js';
import type { ItemKey, TableInfo } from '../storage/storage.js';
import type { Item } from '../types/attribute-value.js';
import { DynamoValidationError } from '../types/errors.js';
import { itemSize } from '../types/item-size.js';
import { CapacityTally, TableCache, structMember } from './batch-common.js';
import { recordChange } from '../streams/change-log.js';
import type { Action, ActionContext } from './common.js';
import { withIdempotency } from './idempotency.js';
import {
  checkExpressionParams,
  checkItemSize,
  storeItem,
  type CommonItemFields,
  checkUpdateKeys,
  commonItemFields,
  conditionHolds,
  conditionOf,
  keyId,
  readStored,
  updatedItem,
} from './item-common.js';
import { MAX_TRANSACT_ITEMS, MULTIPLE_OPERATIONS } from './transact-get-items.js';

type Kind = 'ConditionCheck' | 'Put' | 'Update' | 'Delete';
const KINDS: readonly Kind[] = ['ConditionCheck', 'Put', 'Update', 'Delete'];

interface Parsed {
  kind: Kind;
  tableName: string;
  item?: Item;
  keyItem?: Item;
  update?: UpdateExpression;
  condition?: Condition;
  returnOnFailure?: string;
}

interface Planned extends Parsed {
  table: TableInfo;
  key: ItemKey;
}

interface Shaped {
  kind: Kind;
  fields: CommonItemFields;
  returnOnFailure: string | undefined;
  conditionText: string | undefined;
  updateText: string | undefined;
  rawItem: Json | undefined;
  rawKey: Json | undefined;
}

/** Shape and field checks of one action; the errors of all actions are reported together. */
function shapeAction(member: unknown, index: number, checks: FieldChecks): Shaped {
  const wrapper = structMember(member);
  const present = KINDS.filter((k) => wrapper[k] !== undefined && wrapper[k] !== null);
  if (present.length !== 1) throw new DynamoValidationError('TransactItems can only contain one of Check, Put, Update or Delete');
  const kind = present[0]!;
  const body = shape.struct(wrapper, kind)!;
  const path = `transactItems.${index + 1}.member.${kind === 'ConditionCheck' ? 'conditionCheck' : kind.toLowerCase()}`;
  const fields = commonItemFields(body, checks, `${path}.tableName`);
  const returnOnFailure = shape.string(body, 'ReturnValuesOnConditionCheckFailure');
  checks.enumValue(returnOnFailure, `${path}.returnValuesOnConditionCheckFailure`, ['ALL_OLD', 'NONE']);
  const conditionText = shape.string(body, 'ConditionExpression');
  const updateText = shape.string(body, 'UpdateExpression');
  const rawItem = kind === 'Put' ? shape.struct(body, 'Item') : undefined;
  const rawKey = kind === 'Put' ? undefined : shape.struct(body, 'Key');
  if (kind === 'Put') checks.notNull(rawItem, `${path}.item`);
  else checks.notNull(rawKey, `${path}.key`);
  if (kind === 'ConditionCheck') checks.notNull(conditionText, `${path}.conditionExpression`);
  if (kind === 'Update') checks.notNull(updateText, `${path}.updateExpression`);
  return { kind, fields, returnOnFailure, conditionText, updateText, rawItem, rawKey };
}

/** Values, item size and expressions of one action, as PutItem/UpdateItem/DeleteItem check them. */
function parseAction(s: Shaped): Parsed {
  const out: Parsed = { kind: s.kind, tableName: s.fields.tableName, ...(s.returnOnFailure !== undefined ? { returnOnFailure: s.returnOnFailure } : {}) };
  if (s.rawItem) out.item = checkItemSize(readItem(s.rawItem));
  if (s.rawKey) out.keyItem = readItem(s.rawKey);
  const expressions = s.kind === 'Update' ? { UpdateExpression: s.updateText, ConditionExpression: s.conditionText } : { ConditionExpression: s.conditionText };
  checkExpressionParams(s.fields, expressions);
  const exprs = ExpressionContext.create(s.fields.names, s.fields.values);
  if (s.updateText !== undefined) out.update = parseUpdate(s.updateText, exprs);
  const condition = conditionOf(s.conditionText, exprs);
  if (condition) out.condition = condition;
  exprs.assertAllUsed();
  return out;
}

export const transactWriteItems: Action = async (data, ctx) => {
  const checks = new FieldChecks();
  const list = shape.list(data, 'TransactItems');
  const returnConsumed = shape.string(data, 'ReturnConsumedCapacity');
  const token = shape.string(data, 'ClientRequestToken');
  if (checks.notNull(list, 'transactItems')) checks.length(list, 'transactItems', 1, MAX_TRANSACT_ITEMS);
  checks.enumValue(returnConsumed, 'returnConsumedCapacity', ['INDEXES', 'TOTAL', 'NONE']);
  checks.enumValue(shape.string(data, 'ReturnItemCollectionMetrics'), 'returnItemCollectionMetrics', ['SIZE', 'NONE']);
  if (token !== undefined) checks.length(token, 'clientRequestToken', 1, 36);
  const shaped = (list ?? []).slice(0, MAX_TRANSACT_ITEMS).map((m, i) => shapeAction(m, i, checks));
  checks.done();
  const parsed = shaped.map(parseAction);

  // Idempotency: the same token and request within the window answers the first result without writing again.
  return withIdempotency(ctx, 'TransactWriteItems', token, data, () => writeTransaction(ctx, parsed, returnConsumed));
};

async function writeTransaction(ctx: ActionContext, parsed: Parsed[], returnConsumed: string | undefined): Promise<Record<string, unknown>> {
  const tables = new TableCache(ctx.storage);
  const plan: Planned[] = [];
  const seen = new Set<string>();
  for (const p of parsed) {
    const table = await tables.get(p.tableName);
    const key = p.item ? keyOfItem(table, p.item) : keyOfKey(table, p.keyItem!);
    if (p.update) checkUpdateKeys(table, p.update);
    const id = keyId(table.name, key);
    if (seen.has(id)) throw new DynamoValidationError(MULTIPLE_OPERATIONS);
    seen.add(id);
    plan.push({ ...p, table, key });
  }

  const capacity = new CapacityTally(returnConsumed);
  const reasons = await ctx.storage.transaction(async (tx) => {
    // Every condition is checked against the items as they were before the transaction; nothing is written unless all hold.
    const outcomes: { Code: string; Message?: string; Item?: Item }[] = [];
    const writes: { p: Planned; next: Item | undefined; old: Item | undefined }[] = [];
    for (const p of plan) {
      const old = await readStored(tx, p.table, p.key);
      if (!conditionHolds(p.condition, old)) {
        outcomes.push({ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(p.returnOnFailure === 'ALL_OLD' && old ? { Item: old } : {}) });
        continue;
      }
      try {
        const next = p.kind === 'Put' ? p.item : p.kind === 'Update' ? updatedItem(p.update!, old, p.keyItem!) : undefined;
        if (next) checkIndexKeys(p.table, next);
        if (p.kind !== 'ConditionCheck') writes.push({ p, next, old });
        outcomes.push({ Code: 'None' });
      } catch (e) {
        if (!(e instanceof DynamoValidationError)) throw e;
        outcomes.push({ Code: 'ValidationError', Message: e.message });
      }
    }
    if (outcomes.some((o) => o.Code !== 'None')) return outcomes;
    for (const { p, next, old } of writes) {
      if (next) await storeItem(tx, p.table, p.key, next);
      else if (old) await tx.deleteItem(p.table.name, p.key);
      await recordChange(tx, p.table, old, next, { now: ctx.now() });
    }
    for (const p of plan) {
      const write = writes.find((w) => w.p === p);
      const sized = write ? (write.next && (!write.old || itemSize(write.next) >= itemSize(write.old)) ? write.next : write.old) : undefined;
      capacity.add(p.table.name, write ? 'write' : 'read', sized, { transactional: true });
    }
    return undefined;
  });
  if (reasons) throw transactionCanceled(reasons);
  return capacity.result();
}
