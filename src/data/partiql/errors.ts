import { DynamoValidationError } from '../types/errors.js';

/** A statement that does not parse; its message already carries DynamoDB's "wasn't well formed" envelope. */
export class PartiqlSyntaxError extends DynamoValidationError {}
