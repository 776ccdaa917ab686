// ExecuteTransaction: up to 100 PartiQL statements run all or nothing — all reads (each SELECT names one item by its
// whole key; the answer is one {Item} per statement, {} for a missing item) or all writes (every condition checked
// against the items as they were, then every change applied, in one storage transaction; any failure cancels the
// whole request with TransactionCanceledException and CancellationReasons in statement order). Rules and messages:
// DynamoDB Local's PartiQL messages and behaviour recorded against it; TransactionCanceledException as in
// TransactWriteItems; ClientRequestToken makes the call idempotent for ten minutes, as there.
import { conditionalCheckFailed, transactionCanceled } from '../service/errors.js';
import { FieldChecks, shape } from '../service/validation.js';
import { statementError, type StatementError } from '../partiql/batch-errors.js';
import { PARTIQL_MESSAGES } from '../partiql/messages.js';
import { readOneItem } from '../partiql/select.js';
import { prepareStatement, type PreparedStatement } from '../partiql/statement.js';
import { applyChange, planWrite, type Change, type PlannedWrite } from '../partiql/write.js';
import type { Item } from '../types/attribute-value.js';
import { DynamoValidationError } from '../types/errors.js';
import { CapacityTally, structMember } from './batch-common.js';
import type { Action, ActionContext } from './common.js';
import { withIdempotency } from './idempotency.js';
import { statementFields, type StatementFields } from './execute-statement.js';
import { conditionHolds, keyId, readStored } from './item-common.js';
import { MAX_TRANSACT_ITEMS, MULTIPLE_OPERATIONS } from './transact-get-items.js';

interface Member extends StatementFields {
  returnOnFailure: string | undefined;
}

async function readAll(ctx: ActionContext, prepared: PreparedStatement[], capacity: CapacityTally): Promise<Record<string, unknown>> {
  const responses: Record<string, unknown>[] = [];
  for (const { statement, table } of prepared) {
    if (statement.kind !== 'select') throw new DynamoValidationError(PARTIQL_MESSAGES.transactionMixed);
    if (statement.target.index !== undefined) throw new DynamoValidationError('Reads on indices are not supported within transactions.');
    const item = await readOneItem(ctx.storage, table, statement, PARTIQL_MESSAGES.transactionSelectKey);
    capacity.add(table.name, 'read', item, { transactional: true });
    responses.push(item ? { Item: item } : {});
  }
  return { Responses: responses, ...capacity.result() };
}

/** The reason a planned write cannot happen against `old`, or its change. */
function attempt(plan: PlannedWrite, old: Item | undefined, returnOnFailure: string | undefined): { change: Change } | { reason: StatementError } {
  try {
    if (!conditionHolds(plan.condition, old)) throw conditionalCheckFailed(returnOnFailure === 'ALL_OLD' && old ? { Item: old } : {});
    return { change: plan.change(old) };
  } catch (e) {
    const reason = statementError(e);
    if (!reason) throw e;
    return { reason };
  }
}

async function writeAll(ctx: ActionContext, members: Member[], prepared: PreparedStatement[], capacity: CapacityTally): Promise<Record<string, unknown>> {
  const plans = prepared.map(({ statement, table }) => {
    if (statement.kind === 'select') throw new DynamoValidationError(PARTIQL_MESSAGES.transactionMixed);
    return planWrite(table, statement);
  });
  const seen = new Set<string>();
  for (const plan of plans) {
    const id = keyId(plan.table.name, plan.key);
    if (seen.has(id)) throw new DynamoValidationError(MULTIPLE_OPERATIONS);
    seen.add(id);
  }
  const reasons = await ctx.storage.transaction(async (tx) => {
    const outcomes = [];
    const olds: (Item | undefined)[] = [];
    for (const [i, plan] of plans.entries()) {
      olds.push(await readStored(tx, plan.table, plan.key));
      outcomes.push(attempt(plan, olds[i], members[i]!.returnOnFailure));
    }
    if (outcomes.some((o) => 'reason' in o)) return outcomes.map((o) => ('reason' in o ? o.reason : { Code: 'None' }));
    for (const [i, plan] of plans.entries()) {
      const { change } = outcomes[i] as { change: Change };
      await applyChange(tx, plan, change, olds[i], ctx.now());
      capacity.add(plan.table.name, 'write', change.put ?? olds[i], { transactional: true });
    }
    return undefined;
  });
  if (reasons) throw transactionCanceled(reasons);
  return capacity.result();
}

export const executeTransaction: Action = async (data, ctx) => {
  const checks = new FieldChecks();
  const list = shape.list(data, 'TransactStatements');
  const token = shape.string(data, 'ClientRequestToken');
  const returnConsumed = shape.string(data, 'ReturnConsumedCapacity');
  if (checks.notNull(list, 'transactStatements')) checks.length(list, 'transactStatements', 1, MAX_TRANSACT_ITEMS);
  if (token !== undefined) checks.length(token, 'clientRequestToken', 1, 36);
  checks.enumValue(returnConsumed, 'returnConsumedCapacity', ['INDEXES', 'TOTAL', 'NONE']);
  const members = (list ?? []).slice(0, MAX_TRANSACT_ITEMS).map((raw, i): Member => {
    const body = structMember(raw);
    const fields = statementFields(body, checks, `transactStatements.${i + 1}.member.`);
    const returnOnFailure = shape.string(body, 'ReturnValuesOnConditionCheckFailure');
    checks.enumValue(returnOnFailure, `transactStatements.${i + 1}.member.returnValuesOnConditionCheckFailure`, ['ALL_OLD', 'NONE']);
    return { ...fields, returnOnFailure };
  });
  checks.done();

  return withIdempotency(ctx, 'ExecuteTransaction', token, data, async () => {
    const prepared: PreparedStatement[] = [];
    for (const m of members) prepared.push(await prepareStatement(ctx.storage, m.statement, m.parameters));
    const capacity = new CapacityTally(returnConsumed);
    return prepared[0]!.statement.kind === 'select' ? readAll(ctx, prepared, capacity) : writeAll(ctx, members, prepared, capacity);
  });
};
