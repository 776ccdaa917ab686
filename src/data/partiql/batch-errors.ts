// How a failed statement of BatchExecuteStatement is reported: BatchStatementError's Code is the exception's name
// without "Exception" (API reference, BatchStatementError: ConditionalCheckFailed, DuplicateItem, ValidationError,
// ResourceNotFound, …), with the old item for ReturnValuesOnConditionCheckFailure ALL_OLD.
import { AwsError } from '../../aws/errors.js';
import { DynamoValidationError } from '../types/errors.js';

export interface StatementError {
  Code: string;
  Message: string;
  Item?: unknown;
}

/** The BatchStatementError for `err`, or undefined when it is not a statement's own failure (then it fails the request). */
export function statementError(err: unknown): StatementError | undefined {
  if (err instanceof DynamoValidationError) return { Code: 'ValidationError', Message: err.message };
  if (!(err instanceof AwsError) || err.status >= 500) return undefined;
  const code = err.code === 'ValidationException' ? 'ValidationError' : err.code.replace(/Exception$/, '');
  const item = err.fields.Item;
  return { Code: code, Message: err.message, ...(item !== undefined ? { Item: item } : {}) };
}
