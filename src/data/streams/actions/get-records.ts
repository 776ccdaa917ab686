// GetRecords: up to `Limit` (1–1000, default 1000) records after the iterator's position, at most about 1 MB, and
// the iterator to continue from. An empty page still advances past records that are not this stream's (those of
// an earlier stream of the table). A disabled stream's shard is closed: once it is read to the end there is no
// NextShardIterator. Reading a position whose records were trimmed is a TrimmedDataAccessException.
import type { Action } from '../../actions/common.js';
import { FieldChecks, shape } from '../../service/validation.js';
import { shardNotFound, trimmedDataAccess } from '../errors.js';
import { readChange, streamsApiRecord } from '../records.js';
import { decodeIterator, encodeIterator } from '../shard-iterator.js';
import { resolveStream } from '../streams.js';

const MAX_LIMIT = 1000;
const MAX_PAGE_BYTES = 1024 * 1024;

export const getRecords: Action = async (data, ctx) => {
  const iterator = shape.string(data, 'ShardIterator');
  const limit = shape.integer(data, 'Limit');
  const checks = new FieldChecks();
  if (checks.notNull(iterator, 'shardIterator')) checks.length(iterator, 'shardIterator', 1, 2048);
  checks.range(limit, 'limit', 1, MAX_LIMIT);
  checks.done();

  const position = decodeIterator(iterator!, ctx.now());
  const stream = await resolveStream(ctx.storage, position.arn);
  if (position.shardId !== stream.shardId) throw shardNotFound(position.shardId, stream.arn);
  const bounds = await ctx.storage.changeBounds(stream.table.name);
  if (position.after < bounds.trimmedThrough) throw trimmedDataAccess();

  const changes = await ctx.storage.readChanges(stream.table.name, position.after, limit ?? MAX_LIMIT);
  const records: Record<string, unknown>[] = [];
  let after = position.after;
  let bytes = 0;
  for (const record of changes) {
    const change = readChange(record);
    if (change.label === stream.label) {
      if (records.length > 0 && bytes + record.data.length > MAX_PAGE_BYTES) break;
      bytes += record.data.length;
      records.push(streamsApiRecord(change, record.seq, ctx.region));
    }
    after = record.seq;
  }
  const closed = !stream.enabled && after >= bounds.last;
  return { Records: records, ...(closed ? {} : { NextShardIterator: encodeIterator({ arn: stream.arn, shardId: stream.shardId, after }, ctx.now()) }) };
};
