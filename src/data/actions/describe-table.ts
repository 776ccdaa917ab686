// DescribeTable. Unknown table: "Requested resource not found: Table: <name> not found" (dynalite
// actions/describeTable.js, test/describeTable.js).
import { tableDescription } from '../service/tables.js';
import { namedTable, type Action } from './common.js';

export const describeTable: Action = async (data, ctx) => ({ Table: tableDescription(await namedTable(data, ctx)) });
