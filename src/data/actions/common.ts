// What every action gets, and the pieces item actions share.
import type { AwsRequestContext } from '../../aws/context.js';
import { tableNotFound } from '../service/errors.js';
import { FieldChecks, shape } from '../service/validation.js';
import type { Storage, TableInfo } from '../storage/storage.js';
import type { Item } from '../types/attribute-value.js';
import { itemSize } from '../types/item-size.js';

export interface ActionContext {
  storage: Storage;
  region: string;
  request: AwsRequestContext;
  now: () => Date;
}

export type Action = (data: Record<string, unknown>, ctx: ActionContext) => Promise<Record<string, unknown>>;

/** ConsumedCapacity for ReturnConsumedCapacity TOTAL/INDEXES: writes 1 unit per KB, reads 1 per 4 KB (half if eventual). */
export function consumedCapacity(returnConsumed: string | undefined, table: string, kind: 'read' | 'write', item: Item | undefined, consistent = false) {
  if (returnConsumed !== 'TOTAL' && returnConsumed !== 'INDEXES') return {};
  const size = item ? itemSize(item) : 0;
  const units = kind === 'write' ? Math.max(1, Math.ceil(size / 1024)) : Math.max(1, Math.ceil(size / 4096)) * (consistent ? 1 : 0.5);
  const capacity: Record<string, unknown> = { TableName: table, CapacityUnits: units };
  if (returnConsumed === 'INDEXES') capacity.Table = { CapacityUnits: units };
  return { ConsumedCapacity: capacity };
}

/** The table a table-level request names: `TableName` validated, then looked up; unknown → ResourceNotFoundException. */
export async function namedTable(data: Record<string, unknown>, ctx: ActionContext): Promise<TableInfo> {
  const name = shape.string(data, 'TableName');
  const checks = new FieldChecks();
  checks.tableName(name);
  checks.done();
  const table = await ctx.storage.getTable(name!);
  if (!table) throw tableNotFound(name!);
  return table;
}
