// DescribeStream: the stream, its status, view type, key schema and its one shard with the range of sequence
// numbers it holds (an EndingSequenceNumber once the stream is disabled: the shard is closed).
import type { Action } from '../../actions/common.js';
import { readMetadata } from '../../service/tables.js';
import { FieldChecks, shape } from '../../service/validation.js';
import { formatSequenceNumber } from '../sequence-numbers.js';
import { resolveStream } from '../streams.js';

export const describeStream: Action = async (data, ctx) => {
  const arn = shape.string(data, 'StreamArn');
  const limit = shape.integer(data, 'Limit');
  const startShard = shape.string(data, 'ExclusiveStartShardId');
  const checks = new FieldChecks();
  if (checks.notNull(arn, 'streamArn')) checks.length(arn, 'streamArn', 37, 1024);
  checks.range(limit, 'limit', 1, 100);
  checks.length(startShard, 'exclusiveStartShardId', 28, 65);
  checks.done();

  const stream = await resolveStream(ctx.storage, arn!);
  const bounds = await ctx.storage.changeBounds(stream.table.name);
  const [first] = await ctx.storage.readChanges(stream.table.name, bounds.trimmedThrough, 1);
  const range = {
    StartingSequenceNumber: formatSequenceNumber(first?.seq ?? bounds.last + 1),
    ...(stream.enabled ? {} : { EndingSequenceNumber: formatSequenceNumber(bounds.last) }),
  };
  return {
    StreamDescription: {
      StreamArn: stream.arn,
      StreamLabel: stream.label,
      StreamStatus: stream.enabled ? 'ENABLED' : 'DISABLED',
      StreamViewType: stream.viewType,
      CreationRequestDateTime: Date.parse(`${stream.label}Z`) / 1000,
      TableName: stream.table.name,
      KeySchema: readMetadata(stream.table).KeySchema,
      Shards: startShard === stream.shardId ? [] : [{ ShardId: stream.shardId, SequenceNumberRange: range }],
    },
  };
};
