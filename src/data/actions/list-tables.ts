// ListTables: Limit 1..100 (default 100), ExclusiveStartTableName, LastEvaluatedTableName when more follow
// (dynalite validations/listTables.js, test/listTables.js).
import { FieldChecks, shape } from '../service/validation.js';
import type { Action } from './common.js';

export const listTables: Action = async (data, ctx) => {
  const start = shape.string(data, 'ExclusiveStartTableName');
  const limit = shape.integer(data, 'Limit');
  const checks = new FieldChecks();
  checks.tableName(start, 'exclusiveStartTableName', false);
  checks.range(limit, 'limit', 1, 100);
  checks.done();
  const page = await ctx.storage.listTables({ ...(start !== undefined ? { startAfter: start } : {}), limit: limit ?? 100 });
  return { TableNames: page.tables.map((t) => t.name), ...(page.lastName !== undefined ? { LastEvaluatedTableName: page.lastName } : {}) };
};
