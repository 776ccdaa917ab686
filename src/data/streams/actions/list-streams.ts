// ListStreams: the tables' latest streams in table name order, optionally of one table, `Limit` 1–100 (default 100)
// with `ExclusiveStartStreamArn` / `LastEvaluatedStreamArn` paging.
import type { Action } from '../../actions/common.js';
import { tableNotFound } from '../../service/errors.js';
import { FieldChecks, shape } from '../../service/validation.js';
import type { TableInfo } from '../../storage/storage.js';
import { latestStream, tableOfStreamArn, type StreamInfo } from '../streams.js';

const MAX_LIMIT = 100;

function summary(stream: StreamInfo): Record<string, unknown> {
  return { StreamArn: stream.arn, TableName: stream.table.name, StreamLabel: stream.label };
}

export const listStreams: Action = async (data, ctx) => {
  const tableName = shape.string(data, 'TableName');
  const limit = shape.integer(data, 'Limit');
  const startArn = shape.string(data, 'ExclusiveStartStreamArn');
  const checks = new FieldChecks();
  checks.tableName(tableName, 'tableName', false);
  checks.range(limit, 'limit', 1, MAX_LIMIT);
  checks.length(startArn, 'exclusiveStartStreamArn', 37, 1024);
  checks.done();

  if (tableName !== undefined) {
    const table = await ctx.storage.getTable(tableName);
    if (!table) throw tableNotFound(tableName);
    const stream = latestStream(table);
    return { Streams: stream && stream.arn !== startArn ? [summary(stream)] : [] };
  }
  const wanted = limit ?? MAX_LIMIT;
  const streams: StreamInfo[] = [];
  let after = startArn === undefined ? undefined : tableOfStreamArn(startArn);
  let more = true;
  while (more && streams.length <= wanted) {
    const page: { tables: TableInfo[]; lastName?: string } = await ctx.storage.listTables(after === undefined ? {} : { startAfter: after });
    for (const table of page.tables) {
      const stream = latestStream(table);
      if (stream) streams.push(stream);
    }
    after = page.lastName;
    more = after !== undefined;
  }
  const shown = streams.slice(0, wanted);
  const last = streams.length > wanted || more ? shown[shown.length - 1] : undefined;
  return { Streams: shown.map(summary), ...(last ? { LastEvaluatedStreamArn: last.arn } : {}) };
};
