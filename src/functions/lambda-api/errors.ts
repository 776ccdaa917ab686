import { AwsError } from '../../aws/errors.js';
import type { ThrottleReason } from '../concurrency.js';

/** The Lambda API's own errors, worded and cased as Lambda sends them (aws-behaviour.md §9.1). */
export function functionNotFound(arn: string): AwsError {
  return new AwsError({ code: 'ResourceNotFoundException', status: 404, restType: 'User', messageKey: 'Message', message: `Function not found: ${arn}` });
}

export function tooManyRequests(reason: ThrottleReason): AwsError {
  return new AwsError({ code: 'TooManyRequestsException', status: 429, restType: 'User', message: 'Rate Exceeded.', fields: { Reason: reason } });
}

export function invalidRequestContent(detail: string): AwsError {
  return new AwsError({
    code: 'InvalidRequestContentException',
    status: 400,
    restType: 'User',
    message: `Could not parse request body into json: Could not parse payload into json: ${detail}`,
  });
}

export function requestTooLarge(limit: number): AwsError {
  return new AwsError({
    code: 'RequestEntityTooLargeException',
    status: 413,
    messageKey: 'Message',
    message: `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
  });
}

export function invalidParameter(message: string): AwsError {
  return new AwsError({ code: 'InvalidParameterValueException', status: 400, restType: 'User', message });
}

/** What IAM answers a function whose role does not allow reading another function. */
export function accessDenied(callerFunction: string, action: string, resourceArn: string, accountId: string): AwsError {
  return new AwsError({
    code: 'AccessDeniedException',
    status: 403,
    messageKey: 'Message',
    message:
      `User: arn:aws:sts::${accountId}:assumed-role/${callerFunction}-role/${callerFunction} is not authorized to perform: ` +
      `lambda:${action} on resource: ${resourceArn} because no identity-based policy allows the lambda:${action} action`,
  });
}

export function unknownOperation(): AwsError {
  return new AwsError({ code: 'UnknownOperationException', status: 404, message: 'Unknown operation' });
}
