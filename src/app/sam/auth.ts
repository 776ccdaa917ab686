/**
 * An API resource's `Auth` (authorizers and the default one) and a function event's `Auth` (which authorizer guards
 * the route, and its scopes), as SAM documents them:
 * - `AWS::Serverless::Api` `Auth.Authorizers`: Lambda authorizers (`FunctionArn`, `FunctionPayloadType` TOKEN —
 *   the default — or REQUEST, `Identity` {Header, ValidationExpression, ReauthorizeEvery} for TOKEN and {Headers,
 *   QueryStrings, StageVariables, Context, ReauthorizeEvery} for REQUEST) and Cognito authorizers (`UserPoolArn`,
 *   `Identity` {Header, ValidationExpression, ReauthorizeEvery}); ReauthorizeEvery defaults to 300.
 * - `AWS::Serverless::HttpApi` `Auth.Authorizers`: OAuth 2.0/JWT authorizers (`JwtConfiguration` {issuer, audience},
 *   `IdentitySource`, default `$request.header.Authorization`, `AuthorizationScopes`) and Lambda authorizers
 *   (`FunctionArn`, `AuthorizerPayloadFormatVersion`, `EnableSimpleResponses`, `Identity` {Headers, QueryStrings,
 *   StageVariables, Context, ReauthorizeEvery}); no TTL is set unless ReauthorizeEvery is (caching off).
 * - `DefaultAuthorizer` guards every route whose event names none; an event's `Auth.Authorizer: NONE` opts out.
 * - `AWS_IAM` (as `DefaultAuthorizer` or an event's `Authorizer`, on both kinds of API) is an authorizer of its own
 *   kind, kept under that name among the API's authorizers while a route uses it. `InvokeRole` (the role API Gateway
 *   calls the function with) is accepted and has no effect: Portico runs every function as itself.
 */

import type { ApiKind, AuthorizerSpec, IamAuthorizerSpec, IdentitySourceSpec, RouteAuthSpec } from '../model.js';
import { TemplateError } from '../model.js';
import type { FunctionLookup } from './openapi.js';
import { child, describe, integerIn, isRecord, optionalList, optionalRecord, optionalText, scalarText, type JsonRecord } from './values.js';

/** What an API's `Auth` declares. */
export interface ApiAuth {
  readonly authorizers: Readonly<Record<string, AuthorizerSpec>>;
  readonly defaultAuthorizer: string | undefined;
  /** The authorizers' own `AuthorizationScopes`, the default for the routes they guard. */
  readonly defaultScopes: Readonly<Record<string, readonly string[]>>;
  /** `AddDefaultAuthorizerToCorsPreflight` (REST, default true). */
  readonly addDefaultAuthorizerToCorsPreflight: boolean;
  /** `AddApiKeyRequiredToCorsPreflight` (REST, default true): with `ApiKeyRequired`, the OPTIONS methods need the key. */
  readonly addApiKeyRequiredToCorsPreflight: boolean;
}

/** A function event's `Auth`, before it meets its API. */
export interface EventAuth {
  readonly authorizer: string | undefined;
  readonly scopes: readonly string[] | undefined;
  readonly at: string;
}

/** Names SAM reserves: no authorization, and IAM (SigV4) authorization. */
const NONE = 'NONE';
const AWS_IAM = 'AWS_IAM';
const IAM: IamAuthorizerSpec = Object.freeze({ kind: 'AWS_IAM', name: AWS_IAM });
const REST_DEFAULT_TTL = 300;

/** The API's `Auth`, over the authorizers its OpenAPI document declares (SAM's win a name both use). */
export function apiAuthOf(kind: ApiKind, props: JsonRecord, path: string, lookup: FunctionLookup, fromDocument: Readonly<Record<string, AuthorizerSpec>> = {}): ApiAuth {
  const at = child(path, 'Auth');
  const auth = optionalRecord(props.Auth, at);
  const authorizersAt = child(at, 'Authorizers');
  const authorizers: Record<string, AuthorizerSpec> = { [AWS_IAM]: IAM, ...fromDocument };
  const defaultScopes: Record<string, readonly string[]> = {};
  for (const [name, raw] of Object.entries(optionalRecord(auth.Authorizers, authorizersAt))) {
    const here = child(authorizersAt, name);
    if (!isRecord(raw)) throw new TemplateError(`must be a mapping, got ${describe(raw)}`, here);
    authorizers[name] = kind === 'REST' ? restAuthorizer(name, raw, here, lookup) : httpAuthorizer(name, raw, here, lookup);
    defaultScopes[name] = textList(raw.AuthorizationScopes, child(here, 'AuthorizationScopes'));
  }
  const defaultAuthorizer = optionalText(auth.DefaultAuthorizer, child(at, 'DefaultAuthorizer'));
  if (defaultAuthorizer !== undefined && !(defaultAuthorizer in authorizers)) {
    throw new TemplateError(`names no authorizer of this API's Auth.Authorizers, got ${describe(defaultAuthorizer)}`, child(at, 'DefaultAuthorizer'));
  }
  return {
    authorizers,
    defaultAuthorizer,
    defaultScopes,
    addDefaultAuthorizerToCorsPreflight: flagOf(auth, 'AddDefaultAuthorizerToCorsPreflight', at),
    addApiKeyRequiredToCorsPreflight: flagOf(auth, 'AddApiKeyRequiredToCorsPreflight', at),
  };
}

/** A SAM boolean that defaults to true. */
function flagOf(auth: JsonRecord, name: string, at: string): boolean {
  const flag = auth[name];
  if (flag !== undefined && typeof flag !== 'boolean' && flag !== 'true' && flag !== 'false') {
    throw new TemplateError(`must be true or false, got ${describe(flag)}`, child(at, name));
  }
  return flag !== false && flag !== 'false';
}

/** The authorization of SAM's CORS OPTIONS methods: the default authorizer, unless the API opts out. */
export function corsPreflightAuth(api: ApiAuth): RouteAuthSpec | undefined {
  const name = api.defaultAuthorizer;
  if (!api.addDefaultAuthorizerToCorsPreflight || name === undefined || !(name in api.authorizers)) return undefined;
  return { authorizer: name, scopes: api.defaultScopes[name] ?? [] };
}

/** `Auth` of an Api / HttpApi function event. */
export function eventAuthOf(props: JsonRecord, path: string): EventAuth | undefined {
  if (props.Auth === undefined || props.Auth === null) return undefined;
  const at = child(path, 'Auth');
  const auth = optionalRecord(props.Auth, at);
  const scopes = auth.AuthorizationScopes === undefined ? undefined : textList(auth.AuthorizationScopes, child(at, 'AuthorizationScopes'));
  return { authorizer: optionalText(auth.Authorizer, child(at, 'Authorizer')), scopes, at };
}

/** The route's authorization: the event's authorizer, else the API's default; undefined for NONE and for none. */
export function routeAuth(api: ApiAuth, event: EventAuth | undefined): RouteAuthSpec | undefined {
  const name = event?.authorizer ?? api.defaultAuthorizer;
  if (name === undefined || name === NONE) return undefined;
  if (!(name in api.authorizers)) {
    throw new TemplateError(`names no authorizer of the API's Auth.Authorizers, got ${describe(name)}`, child(event?.at ?? '', 'Authorizer'));
  }
  return { authorizer: name, scopes: name === AWS_IAM ? [] : (event?.scopes ?? api.defaultScopes[name] ?? []) };
}

/**
 * The authorizers the API spec lists: every declared one, and AWS_IAM only when a route (or SAM's CORS preflight)
 * uses it. Undefined when none.
 */
export function listedAuthorizers(api: ApiAuth, used: ReadonlySet<string>): Readonly<Record<string, AuthorizerSpec>> | undefined {
  const { [AWS_IAM]: iam, ...declared } = api.authorizers;
  const listed = iam !== undefined && iam.kind === 'AWS_IAM' && used.has(AWS_IAM) ? { ...declared, [AWS_IAM]: iam } : declared;
  return Object.keys(listed).length > 0 ? listed : undefined;
}

function restAuthorizer(name: string, raw: JsonRecord, at: string, lookup: FunctionLookup): AuthorizerSpec {
  const identity = optionalRecord(raw.Identity, child(at, 'Identity'));
  const identityAt = child(at, 'Identity');
  const ttlSeconds = integerIn(identity.ReauthorizeEvery, child(identityAt, 'ReauthorizeEvery'), 0, 3600, REST_DEFAULT_TTL);
  const validationExpression = optionalText(identity.ValidationExpression, child(identityAt, 'ValidationExpression'));
  if (validationExpression !== undefined) compileCheck(validationExpression, child(identityAt, 'ValidationExpression'));
  const header = (): IdentitySourceSpec[] => [{ from: 'header', name: optionalText(identity.Header, child(identityAt, 'Header')) ?? 'Authorization' }];
  if (raw.UserPoolArn !== undefined) {
    const arnsAt = child(at, 'UserPoolArn');
    const arns = Array.isArray(raw.UserPoolArn) ? raw.UserPoolArn : [raw.UserPoolArn];
    const userPools = arns.map((arn, i) => userPoolOf(scalarText(arn, child(arnsAt, i)), child(arnsAt, i)));
    return { kind: 'COGNITO', name, userPools, identitySources: header(), validationExpression, ttlSeconds };
  }
  const functionLogicalId = functionOf(raw.FunctionArn, child(at, 'FunctionArn'), lookup);
  const type = (optionalText(raw.FunctionPayloadType, child(at, 'FunctionPayloadType')) ?? 'TOKEN').toUpperCase();
  if (type !== 'TOKEN' && type !== 'REQUEST') {
    throw new TemplateError(`must be TOKEN or REQUEST, got ${describe(raw.FunctionPayloadType)}`, child(at, 'FunctionPayloadType'));
  }
  const identitySources = type === 'TOKEN' ? header() : requestSources(identity, identityAt);
  if (type === 'REQUEST' && identitySources.length === 0 && ttlSeconds > 0) {
    // API Gateway refuses a cached REQUEST authorizer without identity sources (the cache has no key).
    throw new TemplateError('a REQUEST authorizer with caching (ReauthorizeEvery > 0) needs at least one identity source', identityAt);
  }
  return { kind: 'REST_LAMBDA', name, type, functionLogicalId, identitySources, validationExpression: type === 'TOKEN' ? validationExpression : undefined, ttlSeconds };
}

function httpAuthorizer(name: string, raw: JsonRecord, at: string, lookup: FunctionLookup): AuthorizerSpec {
  if (raw.JwtConfiguration !== undefined) {
    const jwtAt = child(at, 'JwtConfiguration');
    const jwt = optionalRecord(raw.JwtConfiguration, jwtAt);
    const issuer = optionalText(jwt.issuer ?? jwt.Issuer, child(jwtAt, 'issuer'));
    if (issuer === undefined) throw new TemplateError('issuer is required', child(jwtAt, 'issuer'));
    const audience = textList(jwt.audience ?? jwt.Audience, child(jwtAt, 'audience'));
    const source = optionalText(raw.IdentitySource, child(at, 'IdentitySource')) ?? '$request.header.Authorization';
    return { kind: 'JWT', name, issuer, audience, identitySources: [httpSource(source, child(at, 'IdentitySource'))] };
  }
  const functionLogicalId = functionOf(raw.FunctionArn, child(at, 'FunctionArn'), lookup);
  const version = optionalText(raw.AuthorizerPayloadFormatVersion, child(at, 'AuthorizerPayloadFormatVersion'));
  if (version !== undefined && !['1.0', '2.0', '1', '2'].includes(version)) {
    throw new TemplateError(`must be "1.0" or "2.0", got ${describe(version)}`, child(at, 'AuthorizerPayloadFormatVersion'));
  }
  const payloadFormatVersion = version === '1.0' || version === '1' ? '1.0' : '2.0';
  const enableSimpleResponses = raw.EnableSimpleResponses === true || raw.EnableSimpleResponses === 'true';
  if (enableSimpleResponses && payloadFormatVersion !== '2.0') {
    throw new TemplateError('simple responses need AuthorizerPayloadFormatVersion 2.0', child(at, 'EnableSimpleResponses'));
  }
  const identityAt = child(at, 'Identity');
  const identity = optionalRecord(raw.Identity, identityAt);
  const ttlSeconds = integerIn(identity.ReauthorizeEvery, child(identityAt, 'ReauthorizeEvery'), 0, 3600, 0);
  const identitySources = requestSources(identity, identityAt);
  if (identitySources.length === 0 && ttlSeconds > 0) {
    throw new TemplateError('caching (ReauthorizeEvery > 0) needs at least one identity source', identityAt);
  }
  return { kind: 'HTTP_LAMBDA', name, functionLogicalId, payloadFormatVersion, enableSimpleResponses, identitySources, ttlSeconds };
}

/** REQUEST identity sources in the order API Gateway lists them: headers, query strings, stage variables, context. */
function requestSources(identity: JsonRecord, at: string): IdentitySourceSpec[] {
  const list = (key: string, from: IdentitySourceSpec['from']): IdentitySourceSpec[] =>
    textList(identity[key], child(at, key)).map((name) => ({ from, name }));
  return [...list('Headers', 'header'), ...list('QueryStrings', 'query'), ...list('StageVariables', 'stageVariable'), ...list('Context', 'context')];
}

/** `$request.header.Authorization`, `$request.querystring.token`, `$stageVariables.x`, `$context.y`. */
function httpSource(text: string, at: string): IdentitySourceSpec {
  const match = /^\$(request\.header|request\.querystring|stageVariables|context)\.(.+)$/.exec(text);
  if (!match) throw new TemplateError(`must be $request.header.NAME, $request.querystring.NAME, $stageVariables.NAME or $context.NAME, got ${describe(text)}`, at);
  const from = ({ 'request.header': 'header', 'request.querystring': 'query', stageVariables: 'stageVariable', context: 'context' } as const)[match[1] as 'context'];
  return { from, name: match[2]! };
}

/** `arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf` → its region and pool id. */
function userPoolOf(arn: string, at: string): { region: string; userPoolId: string } {
  const match = /^arn:aws[a-z-]*:cognito-idp:([a-z0-9-]+):\d*:userpool\/([\w-]+)$/.exec(arn);
  if (!match) throw new TemplateError(`must be a Cognito user pool ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/ID), got ${describe(arn)}`, at);
  return { region: match[1]!, userPoolId: match[2]! };
}

/** The template's function that an authorizer's `FunctionArn` names, if any (otherwise requests answer 500). */
function functionOf(value: unknown, at: string, lookup: FunctionLookup): string | undefined {
  if (value === undefined) throw new TemplateError('FunctionArn is required for a Lambda authorizer', at);
  const text = scalarText(value, at);
  const name = /:function:([^:/]+)/.exec(text)?.[1] ?? text;
  return lookup(name);
}

function compileCheck(expression: string, at: string): void {
  try {
    new RegExp(expression);
  } catch {
    throw new TemplateError(`is not a valid regular expression: ${describe(expression)}`, at);
  }
}

function textList(value: unknown, at: string): string[] {
  if (typeof value === 'string') return [value];
  return optionalList(value, at).map((item, i) => scalarText(item, child(at, i)));
}
