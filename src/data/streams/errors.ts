// DynamoDB Streams' errors: service errors in DynamoDB's namespace (the Streams front shares it), with the messages
// AWS sends (ResourceNotFoundException "Requested resource not found: Stream: <arn> not found"; ExpiredIterator's
// "The provided iterator exceeds the maximum age allowed." as the botocore model documents it).
import { AwsError } from '../../aws/errors.js';
import { DYNAMODB_NAMESPACE, resourceNotFound } from '../service/errors.js';

export function streamNotFound(arn: string): AwsError {
  return resourceNotFound(`Requested resource not found: Stream: ${arn} not found`);
}

export function shardNotFound(shardId: string, arn: string): AwsError {
  return resourceNotFound(`Requested resource not found: Shard: ${shardId} in Stream: ${arn} not found`);
}

export function expiredIterator(): AwsError {
  return new AwsError({ code: 'ExpiredIteratorException', message: 'The provided iterator exceeds the maximum age allowed.', status: 400, namespace: DYNAMODB_NAMESPACE });
}

export function trimmedDataAccess(): AwsError {
  return new AwsError({
    code: 'TrimmedDataAccessException',
    message: 'The operation attempted to read past the oldest stream record in a shard.',
    status: 400,
    namespace: DYNAMODB_NAMESPACE,
  });
}
