/**
 * A request that DynamoDB rejects with com.amazon.coral.validate#ValidationException. Carries AWS's exact message
 * only; the service layer adds the error type and status.
 */
export class DynamoValidationError extends Error {
  override readonly name = 'DynamoValidationError';
  constructor(message: string) {
    super(message);
  }
}
