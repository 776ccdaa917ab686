// DynamoDB Streams on Portico's AWS endpoint: JSON 1.0 with `X-Amz-Target: DynamoDBStreams_20120810.<Op>`, signed
// with DynamoDB's signing name (the SDKs' streams clients sign as `dynamodb`), DynamoDB's error envelope. SDKs reach
// it through AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_DYNAMODB_STREAMS.
import type { AwsService } from '../../aws/endpoint.js';
import type { Action } from '../actions/common.js';
import { jsonActionService, type DynamoDbServiceOptions } from '../service/service.js';
import type { Storage } from '../storage/storage.js';
import { describeStream } from './actions/describe-stream.js';
import { getRecords } from './actions/get-records.js';
import { getShardIterator } from './actions/get-shard-iterator.js';
import { listStreams } from './actions/list-streams.js';

export const STREAMS_TARGET_PREFIX = 'DynamoDBStreams_20120810.';

const ACTIONS: Readonly<Record<string, Action>> = {
  ListStreams: listStreams,
  DescribeStream: describeStream,
  GetShardIterator: getShardIterator,
  GetRecords: getRecords,
};

export function dynamoDbStreamsService(storage: Storage, options: DynamoDbServiceOptions = {}): AwsService {
  return jsonActionService(STREAMS_TARGET_PREFIX, ACTIONS, storage, options);
}
