// DeleteTable: answers with the description in DELETING; the name is free at once (storage deletes in O(1)).
import { StorageError } from '../storage/storage.js';
import { tableNotFound } from '../service/errors.js';
import { tableDescription } from '../service/tables.js';
import { FieldChecks, shape } from '../service/validation.js';
import type { Action } from './common.js';

export const deleteTable: Action = async (data, ctx) => {
  const name = shape.string(data, 'TableName');
  const checks = new FieldChecks();
  checks.tableName(name);
  checks.done();
  try {
    // The counts as they stood (AWS's DeleteTable answer shows the table's last ItemCount and size).
    const stats = await ctx.storage.tableStats(name!);
    const info = await ctx.storage.deleteTable(name!);
    return { TableDescription: tableDescription(info, 'DELETING', stats) };
  } catch (err) {
    if (err instanceof StorageError && err.code === 'TableNotFound') throw tableNotFound(name!);
    throw err;
  }
};
