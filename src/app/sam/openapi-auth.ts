/**
 * Authorizers declared in an API's OpenAPI document (api-gateway-swagger-extensions-authorizer.md): security schemes
 * (`securityDefinitions`, or `components.securitySchemes`) carrying `x-amazon-apigateway-authorizer` — `type` token,
 * request or cognito_user_pools (REST), request or jwt (HTTP APIs) — with `authorizerUri`, `identitySource`,
 * `identityValidationExpression`, `authorizerResultTtlInSeconds` (REST default 300, HTTP APIs 0), `providerARNs`,
 * `jwtConfiguration`, `authorizerPayloadFormatVersion` and `enableSimpleResponses`; and the `security` requirement
 * that guards an operation (the operation's own, else the document's). IAM authorization: an operation's
 * `x-amazon-apigateway-auth: {type: AWS_IAM}`, or a scheme with `x-amazon-apigateway-authtype: awsSigv4`
 * (api-gateway-swagger-extensions-auth.md). Best effort, like the routes: a scheme that
 * cannot be read is skipped, and a route naming it runs unguarded only if it names nothing else.
 */

import type { ApiKind, AuthorizerSpec, IdentitySourceSpec, RouteAuthSpec } from '../model.js';
import { isRecord, type JsonRecord } from './values.js';

/** Finds the template function an `authorizerUri` names. */
export type UriLookup = (uri: unknown) => string | undefined;

/** The document's authorizers by scheme name. */
export function definitionAuthorizers(body: unknown, kind: ApiKind, lookup: UriLookup): Record<string, AuthorizerSpec> {
  const out: Record<string, AuthorizerSpec> = {};
  if (!isRecord(body)) return out;
  const components = isRecord(body.components) ? body.components.securitySchemes : undefined;
  const schemes = { ...(isRecord(body.securityDefinitions) ? body.securityDefinitions : {}), ...(isRecord(components) ? components : {}) };
  for (const [name, scheme] of Object.entries(schemes)) {
    if (isRecord(scheme) && String(scheme['x-amazon-apigateway-authtype'] ?? '').toLowerCase() === 'awssigv4') {
      out[name] = { kind: 'AWS_IAM', name };
      continue;
    }
    const authorizer = isRecord(scheme) ? scheme['x-amazon-apigateway-authorizer'] : undefined;
    if (!isRecord(authorizer)) continue;
    const spec = kind === 'REST' ? restAuthorizer(name, authorizer, lookup) : httpAuthorizer(name, authorizer, lookup);
    if (spec) out[name] = spec;
  }
  return out;
}

/** The authorizer an operation's `security` (else the document's) names, with its scopes. */
export function operationAuth(operation: JsonRecord, body: JsonRecord, authorizers: Readonly<Record<string, AuthorizerSpec>>): RouteAuthSpec | undefined {
  const auth = operation['x-amazon-apigateway-auth'];
  // The API's `AWS_IAM` authorizer (auth.ts lists it once a route names it).
  if (isRecord(auth) && String(auth.type ?? '').toUpperCase() === 'AWS_IAM') return { authorizer: 'AWS_IAM', scopes: [] };
  const security = Array.isArray(operation.security) ? operation.security : Array.isArray(body.security) ? body.security : [];
  for (const requirement of security) {
    if (!isRecord(requirement)) continue;
    for (const [name, scopes] of Object.entries(requirement)) {
      if (!(name in authorizers)) continue;
      return { authorizer: name, scopes: Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [] };
    }
  }
  return undefined;
}

function restAuthorizer(name: string, a: JsonRecord, lookup: UriLookup): AuthorizerSpec | undefined {
  const type = String(a.type ?? '').toLowerCase();
  const ttlSeconds = ttl(a.authorizerResultTtlInSeconds, 300);
  const validationExpression = typeof a.identityValidationExpression === 'string' ? a.identityValidationExpression : undefined;
  const identitySources = sources(a.identitySource, 'REST');
  if (type === 'cognito_user_pools') {
    const arns = Array.isArray(a.providerARNs) ? a.providerARNs : [];
    const userPools = arns.flatMap((arn) => {
      const match = typeof arn === 'string' ? /^arn:aws[a-z-]*:cognito-idp:([a-z0-9-]+):\d*:userpool\/([\w-]+)$/.exec(arn) : null;
      return match ? [{ region: match[1]!, userPoolId: match[2]! }] : [];
    });
    const header: IdentitySourceSpec[] = identitySources.length > 0 ? identitySources : [{ from: 'header', name: 'Authorization' }];
    return userPools.length === 0 ? undefined : { kind: 'COGNITO', name, userPools, identitySources: header, validationExpression, ttlSeconds };
  }
  if (type !== 'token' && type !== 'request') return undefined;
  return {
    kind: 'REST_LAMBDA',
    name,
    type: type === 'token' ? 'TOKEN' : 'REQUEST',
    functionLogicalId: lookup(a.authorizerUri),
    identitySources: type === 'token' && identitySources.length === 0 ? [{ from: 'header', name: 'Authorization' }] : identitySources,
    validationExpression: type === 'token' ? validationExpression : undefined,
    ttlSeconds,
  };
}

function httpAuthorizer(name: string, a: JsonRecord, lookup: UriLookup): AuthorizerSpec | undefined {
  const type = String(a.type ?? '').toLowerCase();
  const identitySources = sources(a.identitySource, 'HTTP');
  if (type === 'jwt') {
    const jwt = isRecord(a.jwtConfiguration) ? a.jwtConfiguration : {};
    if (typeof jwt.issuer !== 'string') return undefined;
    const audience = Array.isArray(jwt.audience) ? jwt.audience.filter((s): s is string => typeof s === 'string') : [];
    const header: IdentitySourceSpec[] = identitySources.length > 0 ? identitySources : [{ from: 'header', name: 'Authorization' }];
    return { kind: 'JWT', name, issuer: jwt.issuer, audience, identitySources: header };
  }
  if (type !== 'request') return undefined;
  const version = String(a.authorizerPayloadFormatVersion ?? '2.0');
  const payloadFormatVersion = version === '1.0' || version === '1' ? '1.0' : '2.0';
  return {
    kind: 'HTTP_LAMBDA',
    name,
    functionLogicalId: lookup(a.authorizerUri),
    payloadFormatVersion,
    enableSimpleResponses: payloadFormatVersion === '2.0' && a.enableSimpleResponses === true,
    identitySources,
    ttlSeconds: ttl(a.authorizerResultTtlInSeconds, 0),
  };
}

function ttl(value: unknown, fallback: number): number {
  const n = Number(value ?? fallback);
  return Number.isInteger(n) && n >= 0 && n <= 3600 ? n : fallback;
}

const REST_PREFIXES: ReadonlyArray<[string, IdentitySourceSpec['from']]> = [
  ['method.request.header.', 'header'],
  ['method.request.querystring.', 'query'],
  ['stageVariables.', 'stageVariable'],
  ['context.', 'context'],
];
const HTTP_PREFIXES: ReadonlyArray<[string, IdentitySourceSpec['from']]> = [
  ['$request.header.', 'header'],
  ['$request.querystring.', 'query'],
  ['$stageVariables.', 'stageVariable'],
  ['$context.', 'context'],
];

/** `method.request.header.A, method.request.querystring.b` (REST) or `$request.header.A,…` / a list (HTTP APIs). */
function sources(value: unknown, kind: ApiKind): IdentitySourceSpec[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  const prefixes = kind === 'REST' ? REST_PREFIXES : HTTP_PREFIXES;
  return items.flatMap((item) => {
    const text = typeof item === 'string' ? item.trim() : '';
    const match = prefixes.find(([prefix]) => text.startsWith(prefix));
    return match ? [{ from: match[1], name: text.slice(match[0].length) }] : [];
  });
}
