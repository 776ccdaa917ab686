// GetShardIterator: a position in the shard — TRIM_HORIZON (the oldest record kept), LATEST (just after the newest),
// AT_SEQUENCE_NUMBER / AFTER_SEQUENCE_NUMBER (a record's SequenceNumber, which must not be trimmed already).
import type { Action } from '../../actions/common.js';
import { validationException } from '../../service/errors.js';
import { FieldChecks, shape } from '../../service/validation.js';
import { shardNotFound, trimmedDataAccess } from '../errors.js';
import { parseSequenceNumber } from '../sequence-numbers.js';
import { encodeIterator } from '../shard-iterator.js';
import { resolveStream } from '../streams.js';

const TYPES = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'];

export const getShardIterator: Action = async (data, ctx) => {
  const arn = shape.string(data, 'StreamArn');
  const shardId = shape.string(data, 'ShardId');
  const type = shape.string(data, 'ShardIteratorType');
  const sequenceNumber = shape.string(data, 'SequenceNumber');
  const checks = new FieldChecks();
  if (checks.notNull(arn, 'streamArn')) checks.length(arn, 'streamArn', 37, 1024);
  if (checks.notNull(shardId, 'shardId')) checks.length(shardId, 'shardId', 28, 65);
  if (checks.notNull(type, 'shardIteratorType')) checks.enumValue(type, 'shardIteratorType', TYPES);
  checks.length(sequenceNumber, 'sequenceNumber', 21, 40);
  checks.done();
  const bySequence = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
  if (bySequence && sequenceNumber === undefined) throw validationException(`Must provide SequenceNumber for ShardIteratorType ${type}`);
  if (!bySequence && sequenceNumber !== undefined) throw validationException(`Cannot provide SequenceNumber for ShardIteratorType ${type}`);

  const stream = await resolveStream(ctx.storage, arn!);
  if (shardId !== stream.shardId) throw shardNotFound(shardId!, stream.arn);
  const bounds = await ctx.storage.changeBounds(stream.table.name);
  let after: number;
  if (type === 'TRIM_HORIZON') after = bounds.trimmedThrough;
  else if (type === 'LATEST') after = bounds.last;
  else {
    const seq = parseSequenceNumber(sequenceNumber!);
    if (seq === undefined) throw validationException(`Invalid SequenceNumber: ${sequenceNumber}`);
    if (seq <= bounds.trimmedThrough) throw trimmedDataAccess();
    after = type === 'AT_SEQUENCE_NUMBER' ? seq - 1 : seq;
  }
  return { ShardIterator: encodeIterator({ arn: stream.arn, shardId: stream.shardId, after }, ctx.now()) };
};
