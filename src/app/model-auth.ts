/** The app model's authorizers: what a route's `Auth` and its API's `Authorizers` mean (see model.ts). */

/** A route's authorization: the name of one of its API's `authorizers`, and the OAuth scopes it requires. */
export interface RouteAuthSpec {
  readonly authorizer: string;
  /** `AuthorizationScopes` (event, else the authorizer's); empty when none are required. */
  readonly scopes: readonly string[];
}

/** Where an identity source is read: `method.request.header.X` / `$request.header.X` and friends. */
export interface IdentitySourceSpec {
  readonly from: 'header' | 'query' | 'stageVariable' | 'context';
  /** Header names as written (matched case-insensitively), query and stage variable names, context paths. */
  readonly name: string;
}

/** REST `AWS::Serverless::Api` Lambda authorizer (SAM `FunctionPayloadType` TOKEN or REQUEST). */
export interface RestLambdaAuthorizerSpec {
  readonly kind: 'REST_LAMBDA';
  readonly name: string;
  readonly type: 'TOKEN' | 'REQUEST';
  /** Logical id of the authorizer function in this template; undefined when the ARN names no function of it. */
  readonly functionLogicalId: string | undefined;
  readonly identitySources: readonly IdentitySourceSpec[];
  /** TOKEN only: `Identity.ValidationExpression`, a regular expression the whole token must match. */
  readonly validationExpression: string | undefined;
  /** `Identity.ReauthorizeEvery`: 0–3600, default 300; 0 disables caching. */
  readonly ttlSeconds: number;
}

/** REST Cognito user-pool authorizer (SAM `UserPoolArn`). */
export interface CognitoAuthorizerSpec {
  readonly kind: 'COGNITO';
  readonly name: string;
  /** `{ region, userPoolId }` of each `UserPoolArn`. */
  readonly userPools: readonly { readonly region: string; readonly userPoolId: string }[];
  readonly identitySources: readonly IdentitySourceSpec[];
  readonly validationExpression: string | undefined;
  readonly ttlSeconds: number;
}

/** HTTP API Lambda authorizer (`FunctionArn`, `AuthorizerPayloadFormatVersion`, `EnableSimpleResponses`). */
export interface HttpLambdaAuthorizerSpec {
  readonly kind: 'HTTP_LAMBDA';
  readonly name: string;
  readonly functionLogicalId: string | undefined;
  readonly payloadFormatVersion: '1.0' | '2.0';
  readonly enableSimpleResponses: boolean;
  readonly identitySources: readonly IdentitySourceSpec[];
  /** `Identity.ReauthorizeEvery`, 0–3600; 0 (the default here) disables caching. */
  readonly ttlSeconds: number;
}

/** HTTP API JWT authorizer (`JwtConfiguration`). */
export interface JwtAuthorizerSpec {
  readonly kind: 'JWT';
  readonly name: string;
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly identitySources: readonly IdentitySourceSpec[];
}

/**
 * `AWS_IAM` authorization (SAM's `Authorizer: AWS_IAM` / `DefaultAuthorizer: AWS_IAM`, OpenAPI
 * `x-amazon-apigateway-auth: {type: AWS_IAM}` or an `awsSigv4` security scheme): SigV4-signed requests only.
 * Named `AWS_IAM` (or the scheme's name) in the API's `authorizers`.
 */
export interface IamAuthorizerSpec {
  readonly kind: 'AWS_IAM';
  readonly name: string;
}

export type AuthorizerSpec = RestLambdaAuthorizerSpec | CognitoAuthorizerSpec | HttpLambdaAuthorizerSpec | JwtAuthorizerSpec | IamAuthorizerSpec;
