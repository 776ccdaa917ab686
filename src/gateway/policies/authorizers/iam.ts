/**
 * `AWS_IAM` authorization (api-gateway-control-access-using-iam-policies-to-invoke-api.md; HTTP APIs:
 * http-api-access-control-iam.md): the request must carry a Signature Version 4 for the `execute-api` service, made
 * with credentials Portico holds (the AWS endpoint's: the development pair on loopback, the configured pair, each
 * function's session pair), verified against the request as it arrived — method, path and query as sent, the signed
 * headers and the body's SHA-256 — and scoped to the API's Region. API Gateway allows 5 minutes of clock skew, not the 15 of other services
 * ("Signature expired: … (… - 5 min.)" [3P mhart/aws4#118, a capture from an execute-api endpoint]).
 *
 * AWS's answers, all 403: no signature → `{"message":"Missing Authentication Token"}` (HTTP APIs: `Forbidden`);
 * a signature that does not match → InvalidSignatureException with the canonical request and string to sign
 * appended, as the AWS front ends word it; an unknown key → UnrecognizedClientException "The security token
 * included in the request is invalid." [3P kndt84/aws-api-gateway-client#31, amplify-js#2626]; a malformed header →
 * IncompleteSignatureException — among them the common mistake of a bearer token sent to an IAM route, whose words
 * API Gateway parses as SigV4 `key=value` pairs: "Invalid key=value pair (missing equal-sign) in Authorization header
 * (hashed with SHA-256 and encoded with Base64): '…'." [3P: serverless#3205 shows the older wording that quoted the
 * header; the hashed wording is recalled from later reports, and which text is hashed (here the whole header value)
 * is unverified]; a time outside the window → "Signature expired: …" / "Signature not yet current: …".
 * Portico evaluates no IAM policies: every caller it recognises may invoke every route.
 */
import { createHash } from 'node:crypto';
import { SIGNATURE_MISMATCH_MESSAGE, withSignatureDetails } from '../../../aws/auth-errors.js';
import type { CredentialLookup } from '../../../aws/credentials.js';
import { verifySigV4, type SigV4Result } from '../../../aws/sigv4.js';
import type { ApiKind, IamAuthorizerSpec } from '../../../app/model.js';
import type { PolicyContext, RequestOutcome } from '../../phases.js';
import { iamIdentity } from './iam-identity.js';
import type { AuthorizerTarget, RouteAuthorizer } from './target.js';

/** execute-api's clock-skew window. */
const EXECUTE_API_MAX_SKEW_MS = 5 * 60 * 1000;

const NO_CREDENTIALS: CredentialLookup = { lookup: () => undefined };
const EMPTY_SHA256 = createHash('sha256').digest('hex');

export function iamAuthorizer(target: AuthorizerTarget<IamAuthorizerSpec>): RouteAuthorizer {
  const { services, env, api } = target;
  const credentials = services.iam?.credentials ?? NO_CREDENTIALS;
  return {
    authorize(ctx) {
      const foreign = notSigV4(ctx.rawHeaders);
      if (foreign !== undefined) return Promise.resolve(foreign);
      const result = verifySigV4(signedRequest(ctx), { credentials, service: 'execute-api', protocol: 'rest-json', maxSkewMs: EXECUTE_API_MAX_SKEW_MS, region: env.region });
      if (!result.ok) return Promise.resolve(rejection(api.kind, result));
      const iam = iamIdentity(result.accessKeyId, env.accountId, services.iam?.functionOf(result.accessKeyId));
      ctx.authorizer = { kind: 'iam', principalId: iam.caller, context: {}, integrationLatency: 0, iam };
      return Promise.resolve(undefined);
    },
  };
}

/** The request as the client signed it: the path as sent (stage prefix included when addressed by path). */
function signedRequest(ctx: PolicyContext): { method: string; url: string; rawHeaders: readonly string[]; payloadSha256: string } {
  const request = ctx.request;
  const path = request?.rawPath ?? ctx.path;
  const query = request?.rawQueryString ?? ctx.rawQueryString ?? '';
  const body = request?.body;
  const payloadSha256 = body === undefined || body.length === 0 ? EMPTY_SHA256 : createHash('sha256').update(body).digest('hex');
  return { method: ctx.method, url: query === '' ? path : `${path}?${query}`, rawHeaders: ctx.rawHeaders, payloadSha256 };
}

/** An Authorization header that is not SigV4 and has a word that is no `key=value` pair (`Bearer <token>`). */
function notSigV4(rawHeaders: readonly string[]): RequestOutcome {
  let header: string | undefined;
  for (let i = 0; i < rawHeaders.length && header === undefined; i += 2) if (rawHeaders[i]!.toLowerCase() === 'authorization') header = rawHeaders[i + 1];
  if (header === undefined || header.trim().startsWith('AWS4-')) return undefined;
  if (!header.trim().split(/[\s,]+/).slice(1).some((word) => !word.includes('='))) return undefined;
  // Hashed, not quoted, as AWS does: the answer (and any log of it) never carries the token.
  const hashed = createHash('sha256').update(header).digest('base64');
  return {
    error: 'INVALID_SIGNATURE',
    message: `Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '${hashed}'.`,
    errorType: 'IncompleteSignatureException',
  };
}

function rejection(kind: ApiKind, result: Extract<SigV4Result, { ok: false }>): RequestOutcome {
  const { error } = result;
  if (error.code === 'MissingAuthenticationTokenException') return { error: kind === 'REST' ? 'MISSING_AUTHENTICATION_TOKEN' : 'ACCESS_DENIED' };
  const detailed =
    error.message === SIGNATURE_MISMATCH_MESSAGE && result.canonicalRequest !== undefined && result.stringToSign !== undefined
      ? withSignatureDetails(error, result.canonicalRequest, result.stringToSign)
      : error;
  return { error: 'INVALID_SIGNATURE', message: detailed.message, errorType: error.code };
}
