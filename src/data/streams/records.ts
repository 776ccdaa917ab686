// A stored change as the two consumers see it: a DynamoDB Streams `Record` (GetRecords) and a record of the Lambda
// event an event source mapping delivers. Both are `{eventID, eventName, eventVersion: "1.1", eventSource:
// "aws:dynamodb", awsRegion, dynamodb: {ApproximateCreationDateTime, Keys, NewImage, OldImage, SequenceNumber,
// SizeBytes, StreamViewType}}`; Lambda adds `eventSourceARN`. A TTL deletion names the service as its user, spelled
// `{Type, PrincipalId}` by the Streams API and `{type, principalId}` in Lambda events.
import type { ChangeRecord } from '../storage/storage.js';
import type { StoredChange } from './change-log.js';
import { formatSequenceNumber } from './sequence-numbers.js';

export const TTL_PRINCIPAL = 'dynamodb.amazonaws.com';

export function readChange(record: ChangeRecord): StoredChange {
  return JSON.parse(record.data) as StoredChange;
}

function base(change: StoredChange, seq: number, region: string): Record<string, unknown> {
  return {
    eventID: change.id,
    eventName: change.name,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ApproximateCreationDateTime: change.at,
      Keys: change.keys,
      ...(change.newImage ? { NewImage: change.newImage } : {}),
      ...(change.oldImage ? { OldImage: change.oldImage } : {}),
      SequenceNumber: formatSequenceNumber(seq),
      SizeBytes: change.size,
      StreamViewType: change.view,
    },
  };
}

/** The record as GetRecords returns it. */
export function streamsApiRecord(change: StoredChange, seq: number, region: string): Record<string, unknown> {
  return { ...base(change, seq, region), ...(change.ttl ? { userIdentity: { Type: 'Service', PrincipalId: TTL_PRINCIPAL } } : {}) };
}

/** The record as a Lambda event carries it. */
export function lambdaRecord(change: StoredChange, seq: number, region: string, streamArn: string): Record<string, unknown> {
  return {
    ...base(change, seq, region),
    eventSourceARN: streamArn,
    ...(change.ttl ? { userIdentity: { type: 'Service', principalId: TTL_PRINCIPAL } } : {}),
  };
}
