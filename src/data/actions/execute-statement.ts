// ExecuteStatement: one PartiQL statement (SELECT, INSERT, UPDATE, DELETE) with `?` Parameters, Limit, NextToken,
// ConsistentRead (every read is consistent here), ReturnConsumedCapacity and ReturnValuesOnConditionCheckFailure.
// Field constraints from the API reference (Statement 1–8192 characters, Parameters at least one, Limit ≥ 1,
// NextToken 1–32768 characters).
import { FieldChecks, shape, type Json } from '../service/validation.js';
import { fingerprint } from '../partiql/next-token.js';
import { runSelect } from '../partiql/select.js';
import { prepareStatement } from '../partiql/statement.js';
import { runWrite } from '../partiql/write.js';
import type { Action } from './common.js';

export interface StatementFields {
  statement: string;
  parameters: unknown[] | undefined;
  consistent: boolean;
}

/** Statement, Parameters and ConsistentRead: the fields of ExecuteStatement and of each batch or transaction member. */
export function statementFields(data: Json, checks: FieldChecks, path = ''): StatementFields {
  const statement = shape.string(data, 'Statement');
  const parameters = shape.list(data, 'Parameters');
  const consistent = shape.boolean(data, 'ConsistentRead') ?? false;
  if (checks.notNull(statement, `${path}statement`)) checks.length(statement, `${path}statement`, 1, 8192);
  if (parameters) checks.length(parameters, `${path}parameters`, 1, undefined);
  return { statement: statement!, parameters, consistent };
}

export const executeStatement: Action = async (data, ctx) => {
  const checks = new FieldChecks();
  const fields = statementFields(data, checks);
  const nextToken = shape.string(data, 'NextToken');
  const returnConsumed = shape.string(data, 'ReturnConsumedCapacity');
  const limit = shape.integer(data, 'Limit');
  const returnOnFailure = shape.string(data, 'ReturnValuesOnConditionCheckFailure');
  if (nextToken !== undefined) checks.length(nextToken, 'nextToken', 1, 32768);
  checks.range(limit, 'limit', 1, undefined);
  checks.enumValue(returnConsumed, 'returnConsumedCapacity', ['INDEXES', 'TOTAL', 'NONE']);
  checks.enumValue(returnOnFailure, 'returnValuesOnConditionCheckFailure', ['ALL_OLD', 'NONE']);
  checks.done();

  const { statement, table } = await prepareStatement(ctx.storage, fields.statement, fields.parameters);
  if (statement.kind === 'select') {
    const print = fingerprint(fields.statement, fields.parameters);
    return { ...(await runSelect(ctx.storage, table, statement, { limit, nextToken, fingerprint: print, consistent: fields.consistent, returnConsumed })) };
  }
  return { ...(await runWrite(ctx.storage, table, statement, { returnOnFailure, returnConsumed, now: ctx.now() })) };
};
