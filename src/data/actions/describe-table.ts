// DescribeTable. Unknown table: "Requested resource not found: Table: <name> not found" (dynalite
// actions/describeTable.js, test/describeTable.js). Item counts and sizes come from the storage's statistics.
import { tableDescription } from '../service/tables.js';
import { namedTable, type Action } from './common.js';

export const describeTable: Action = async (data, ctx) => {
  const table = await namedTable(data, ctx);
  return { Table: tableDescription(table, undefined, await ctx.storage.tableStats(table.name)) };
};
