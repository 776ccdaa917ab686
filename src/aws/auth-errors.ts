// Authentication failures worded as AWS's shared front end words them, because
// SDKs and people match on these strings. Sources: DynamoDB responses pinned
// by dynalite's tests (which run against real DynamoDB), Lambda responses
// quoted in public bug reports (403, bare `{"message":…}` bodies). DynamoDB
// answers all of these with 400, which it sets via AwsService.authErrorStatus.
import { AwsError, CORAL_NAMESPACE, type AwsProtocol } from './errors.js';

export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** Unknown access key id (note the full stop). */
export const INVALID_TOKEN_MESSAGE = 'The security token included in the request is invalid.';

/** Known key, wrong or missing session token: AWS drops the full stop here. */
export const INVALID_SESSION_TOKEN_MESSAGE = 'The security token included in the request is invalid';

function coral(code: string, queryCode: string, message: string, status: number): AwsError {
  // Query-protocol services (STS, SQS) name the same failures without "Exception".
  return new AwsError({ code, queryCode, message, status, namespace: CORAL_NAMESPACE });
}

/**
 * No Authorization header and no X-Amz-Algorithm query parameter. Lambda's
 * REST front end says "Missing Authentication Token" with a 403; the JSON and
 * query fronts say "Request is missing Authentication Token".
 */
export function missingAuthenticationToken(protocol: AwsProtocol): AwsError {
  if (protocol === 'rest-json') {
    return coral('MissingAuthenticationTokenException', 'MissingAuthenticationToken', 'Missing Authentication Token', 403);
  }
  return coral('MissingAuthenticationTokenException', 'MissingAuthenticationToken', 'Request is missing Authentication Token', 400);
}

export function incompleteSignature(protocol: AwsProtocol, message: string): AwsError {
  return coral('IncompleteSignatureException', 'IncompleteSignature', message, protocol === 'rest-json' ? 403 : 400);
}

export function invalidSignature(message: string): AwsError {
  return coral('InvalidSignatureException', 'SignatureDoesNotMatch', message, 403);
}

export function unrecognizedClient(message = INVALID_TOKEN_MESSAGE): AwsError {
  return coral('UnrecognizedClientException', 'InvalidClientTokenId', message, 403);
}

/**
 * The historical detail AWS appended to signature mismatches (still seen from
 * some services): lets a developer diff their client's canonical request
 * against ours.
 */
export function withSignatureDetails(err: AwsError, canonical: string, toSign: string): AwsError {
  const detail =
    `\n\nThe Canonical String for this request should have been\n'${canonical}'\n\n` +
    `The String-to-Sign should have been\n'${toSign}'\n`;
  return err.with({ message: err.message + detail });
}
