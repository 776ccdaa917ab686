// DescribeTable. Unknown table: "Requested resource not found: Table: <name> not found" (dynalite
// actions/describeTable.js, test/describeTable.js).
import { tableNotFound } from '../service/errors.js';
import { tableDescription } from '../service/tables.js';
import { FieldChecks, shape } from '../service/validation.js';
import type { Action } from './common.js';

export const describeTable: Action = async (data, ctx) => {
  const name = shape.string(data, 'TableName');
  const checks = new FieldChecks();
  checks.tableName(name);
  checks.done();
  const table = await ctx.storage.getTable(name!);
  if (!table) throw tableNotFound(name!);
  return { Table: tableDescription(table) };
};
