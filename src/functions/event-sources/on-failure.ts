// The invocation record Lambda sends to a stream mapping's on-failure destination when it discards records (retries
// exhausted, or records past MaximumRecordAgeInSeconds): metadata that points at the records, never the records.
// Shape: AWS Lambda developer guide, "Retaining discarded records for a DynamoDB event source"
// (services-dynamodb-errors): requestContext {requestId, functionArn, condition, approximateInvokeCount},
// responseContext {statusCode, executedVersion, functionError}, version "1.0", timestamp, and DDBStreamBatchInfo
// {shardId, start/endSequenceNumber, approximateArrivalOfFirst/LastRecord (whole seconds), batchSize, streamArn}.
// Records discarded before any invocation have no response to describe, so responseContext is left out.
import { randomUUID } from 'node:crypto';
import type { EventSourceMappingSpec } from '../../app/model.js';
import type { InvokeResult } from './invoker.js';
import { streamFields } from './record-age.js';
import type { SourceRecord } from './stream-source.js';

/** Why records were discarded: `RecordAgeExceeded` as Lambda and its emulators name the age condition. */
export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface Discard {
  readonly condition: DiscardCondition;
  /** In stream order; never empty. */
  readonly records: readonly SourceRecord[];
  readonly shardId: string;
  /** Invocations made with these records (0 when they were too old before the first). */
  readonly invokeCount: number;
  /** The last invocation's result, when there was one. */
  readonly lastResult?: InvokeResult;
}

export function onFailureRecord(spec: EventSourceMappingSpec, discard: Discard, now: Date): Record<string, unknown> {
  const first = streamFields(discard.records[0]!.record);
  const last = streamFields(discard.records[discard.records.length - 1]!.record);
  return {
    requestContext: {
      requestId: randomUUID(),
      functionArn: functionArnOf(spec),
      condition: discard.condition,
      approximateInvokeCount: discard.invokeCount,
    },
    ...(discard.lastResult
      ? { responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(discard.lastResult.kind === 'error' ? { functionError: 'Unhandled' } : {}) } }
      : {}),
    version: '1.0',
    timestamp: now.toISOString(),
    DDBStreamBatchInfo: {
      shardId: discard.shardId,
      startSequenceNumber: first.sequenceNumber,
      endSequenceNumber: last.sequenceNumber,
      approximateArrivalOfFirstRecord: secondsIso(first.createdAtSeconds),
      approximateArrivalOfLastRecord: secondsIso(last.createdAtSeconds),
      batchSize: discard.records.length,
      streamArn: spec.eventSourceArn,
    },
  };
}

/** `2019-11-14T00:13:19Z`: DynamoDB stream times are whole seconds. */
function secondsIso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The function's ARN in the stream's region and account (FunctionName may already be an ARN). */
function functionArnOf(spec: EventSourceMappingSpec): string {
  if (spec.functionName.startsWith('arn:')) return spec.functionName;
  const [, partition, , region, account] = spec.eventSourceArn.split(':');
  return `arn:${partition}:lambda:${region}:${account}:function:${spec.functionName}`;
}
