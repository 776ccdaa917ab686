import { AwsError } from '../../aws/errors.js';

/** API Gateway's management API errors (REST-JSON: `x-amzn-ErrorType` and `{"message": …}`), as its model names them. */
export function notFound(message: string): AwsError {
  return new AwsError({ code: 'NotFoundException', status: 404, message });
}

export function badRequest(message: string): AwsError {
  return new AwsError({ code: 'BadRequestException', status: 400, message });
}

export function conflict(message: string): AwsError {
  return new AwsError({ code: 'ConflictException', status: 409, message });
}

export function unknownOperation(): AwsError {
  return new AwsError({ code: 'UnknownOperationException', status: 404, message: 'Unknown operation' });
}
