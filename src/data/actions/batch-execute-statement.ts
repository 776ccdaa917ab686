// BatchExecuteStatement: up to 25 PartiQL statements, all reads or all writes, each answered in order with its own
// result or Error {Code, Message} (the request itself still succeeds). A read names one item by its whole key.
// DynamoDB echoes TableName on a success and on ConditionalCheckFailed/DuplicateItem, not on a ValidationError.
import { FieldChecks, shape } from '../service/validation.js';
import { statementError, type StatementError } from '../partiql/batch-errors.js';
import { PARTIQL_MESSAGES } from '../partiql/messages.js';
import { readOneItem } from '../partiql/select.js';
import { prepareStatement, type PreparedStatement } from '../partiql/statement.js';
import { runWrite } from '../partiql/write.js';
import { DynamoValidationError } from '../types/errors.js';
import { CapacityTally, structMember } from './batch-common.js';
import type { Action, ActionContext } from './common.js';
import { statementFields, type StatementFields } from './execute-statement.js';

const MAX_STATEMENTS = 25;

interface Member extends StatementFields {
  returnOnFailure: string | undefined;
}

type Prepared = { ok: PreparedStatement } | { error: StatementError };

async function prepare(ctx: ActionContext, m: Member): Promise<Prepared> {
  try {
    return { ok: await prepareStatement(ctx.storage, m.statement, m.parameters) };
  } catch (e) {
    const error = statementError(e);
    if (!error) throw e;
    return { error };
  }
}

async function run(ctx: ActionContext, m: Member, p: PreparedStatement, capacity: CapacityTally): Promise<Record<string, unknown>> {
  const { statement, table } = p;
  try {
    if (statement.kind === 'select') {
      const item = await readOneItem(ctx.storage, table, statement, PARTIQL_MESSAGES.batchSelectKey);
      capacity.add(table.name, 'read', item, { consistent: m.consistent });
      return { TableName: table.name, ...(item ? { Item: item } : {}) };
    }
    const result = await runWrite(ctx.storage, table, statement, { returnOnFailure: m.returnOnFailure, returnConsumed: 'TOTAL', now: ctx.now() });
    capacity.addUnits(table.name, (result.ConsumedCapacity as { CapacityUnits: number }).CapacityUnits);
    return { TableName: table.name };
  } catch (e) {
    const error = statementError(e);
    if (!error) throw e;
    return { ...(error.Code === 'ValidationError' ? {} : { TableName: table.name }), Error: error };
  }
}

export const batchExecuteStatement: Action = async (data, ctx) => {
  const checks = new FieldChecks();
  const list = shape.list(data, 'Statements');
  const returnConsumed = shape.string(data, 'ReturnConsumedCapacity');
  if (checks.notNull(list, 'statements')) checks.length(list, 'statements', 1, MAX_STATEMENTS);
  checks.enumValue(returnConsumed, 'returnConsumedCapacity', ['INDEXES', 'TOTAL', 'NONE']);
  const members = (list ?? []).slice(0, MAX_STATEMENTS).map((raw, i): Member => {
    const body = structMember(raw);
    const fields = statementFields(body, checks, `statements.${i + 1}.member.`);
    const returnOnFailure = shape.string(body, 'ReturnValuesOnConditionCheckFailure');
    checks.enumValue(returnOnFailure, `statements.${i + 1}.member.returnValuesOnConditionCheckFailure`, ['ALL_OLD', 'NONE']);
    return { ...fields, returnOnFailure };
  });
  checks.done();

  const prepared: Prepared[] = [];
  for (const m of members) prepared.push(await prepare(ctx, m));
  const kinds = new Set(prepared.flatMap((p) => ('ok' in p ? [p.ok.statement.kind === 'select'] : [])));
  if (kinds.size > 1) throw new DynamoValidationError(PARTIQL_MESSAGES.batchMixed);

  const capacity = new CapacityTally(returnConsumed);
  const responses: Record<string, unknown>[] = [];
  for (const [i, p] of prepared.entries()) {
    responses.push('ok' in p ? await run(ctx, members[i]!, p.ok, capacity) : { Error: p.error });
  }
  return { Responses: responses, ...capacity.result() };
};
