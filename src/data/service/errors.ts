// DynamoDB's error values. Messages: architect/dynalite index.js (protocol), validations/*.js and db/index.js,
// asserted against real DynamoDB in dynalite's test/*.js.
import { AwsError } from '../../aws/errors.js';

export const DYNAMODB_NAMESPACE = 'com.amazonaws.dynamodb.v20120810';
const CORAL = 'com.amazon.coral.service';
const VALIDATE = 'com.amazon.coral.validate';

/** Body that is not a JSON object; AWS sends no message. */
export function serializationException(message = ''): AwsError {
  return new AwsError({ code: 'SerializationException', message, status: 400, namespace: CORAL });
}

/** X-Amz-Target naming no DynamoDB operation; AWS sends no message. */
export function unknownOperation(): AwsError {
  return new AwsError({ code: 'UnknownOperationException', message: '', status: 400, namespace: CORAL });
}

export function validationException(message: string): AwsError {
  return new AwsError({ code: 'ValidationException', message, status: 400, namespace: VALIDATE });
}

export function resourceNotFound(message = 'Requested resource not found'): AwsError {
  return new AwsError({ code: 'ResourceNotFoundException', message, status: 400, namespace: DYNAMODB_NAMESPACE });
}

export function tableNotFound(name: string): AwsError {
  return resourceNotFound(`Requested resource not found: Table: ${name} not found`);
}

export function resourceInUse(message: string): AwsError {
  return new AwsError({ code: 'ResourceInUseException', message, status: 400, namespace: DYNAMODB_NAMESPACE });
}

export function limitExceeded(message: string): AwsError {
  return new AwsError({ code: 'LimitExceededException', message, status: 400, namespace: DYNAMODB_NAMESPACE });
}

export function conditionalCheckFailed(fields: Record<string, unknown> = {}): AwsError {
  return new AwsError({ code: 'ConditionalCheckFailedException', message: 'The conditional request failed', status: 400, namespace: DYNAMODB_NAMESPACE, fields });
}

export function internalServerError(): AwsError {
  return new AwsError({ code: 'InternalServerError', message: 'Internal server error', status: 500, namespace: DYNAMODB_NAMESPACE });
}

/** TransactWriteItems/TransactGetItems cancelled; AWS spells this one's member `Message` and lists the reasons in order. */
export function transactionCanceled(reasons: readonly { Code: string; Message?: string; Item?: unknown }[]): AwsError {
  return new AwsError({
    code: 'TransactionCanceledException',
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    messageKey: 'Message',
    status: 400,
    namespace: DYNAMODB_NAMESPACE,
    fields: { CancellationReasons: reasons },
  });
}

/** The same ClientRequestToken with different request parameters inside the 10-minute idempotency window. */
export function idempotentParameterMismatch(): AwsError {
  return new AwsError({
    code: 'IdempotentParameterMismatchException',
    message: 'Request cannot be completed because the client token was already used with different request parameters',
    status: 400,
    namespace: DYNAMODB_NAMESPACE,
  });
}

/** PartiQL INSERT of a key that already exists (BatchStatementError code DuplicateItem). */
export function duplicateItem(): AwsError {
  return new AwsError({ code: 'DuplicateItemException', message: 'Duplicate primary key exists in table', status: 400, namespace: DYNAMODB_NAMESPACE });
}
