/**
 * The app model: what a template means once every intrinsic is resolved. Loaders (SAM today, OpenAPI later)
 * produce it; the gateway and functions compile it into a deployment. Plain data, no behaviour.
 */

export type RuntimeFamily = 'node' | 'python' | 'provided';

export interface FunctionSpec {
  /** Logical id in the template, e.g. `HelloFunction`. */
  readonly logicalId: string;
  /** Physical name (`FunctionName` or `<stack>-<logicalId>-<suffix>` as CloudFormation would generate). */
  readonly name: string;
  /** Declared runtime, e.g. `nodejs20.x`, `python3.12`, `provided.al2023`. */
  readonly runtime: string;
  readonly family: RuntimeFamily;
  /** `Handler`, e.g. `app.handler`; `undefined` for custom runtimes that ignore it. */
  readonly handler: string | undefined;
  /** Absolute path of the function's code folder (`CodeUri`, or a folder holding `InlineCode`). */
  readonly codeDir: string;
  /** Seconds, 1–900, default 3. */
  readonly timeout: number;
  /** MB, 128–10240, default 128. */
  readonly memorySize: number;
  /** `ReservedConcurrentExecutions`, undefined when not set. */
  readonly reservedConcurrency: number | undefined;
  readonly environment: Readonly<Record<string, string>>;
  readonly architectures: readonly string[];
  readonly description: string;
  readonly arn: string;
  /** `Metadata.BuildMethod: esbuild`: the code folder holds sources that Portico builds at deploy time, as `sam build` does. */
  readonly build?: EsbuildSpec;
}

/** SAM's esbuild `BuildProperties`, with SAM's defaults applied. */
export interface EsbuildSpec {
  readonly method: 'esbuild';
  /** Relative to the code folder, e.g. `app.ts`. */
  readonly entryPoints: readonly string[];
  readonly format: 'cjs' | 'esm';
  readonly target: string | undefined;
  readonly minify: boolean;
  readonly sourcemap: boolean;
  readonly external: readonly string[];
  readonly loader: Readonly<Record<string, string>>;
  readonly mainFields: readonly string[] | undefined;
  readonly outExtension: Readonly<Record<string, string>> | undefined;
  readonly banner: string | undefined;
  readonly footer: string | undefined;
}

/** REST API (`AWS::Serverless::Api`, implicit `ServerlessRestApi`) or HTTP API (`AWS::Serverless::HttpApi`). */
export type ApiKind = 'REST' | 'HTTP';

export interface RouteSpec {
  /** `GET`, `POST` … or `ANY`. */
  readonly method: string;
  /**
   * Path template as written in the template: `/items/{id}`, `/{proxy+}`, `/`.
   * For an HTTP API `$default` route this is the literal `$default` and method is `ANY`.
   */
  readonly path: string;
  /** Logical id of the target function. */
  readonly functionLogicalId: string;
  /** Lambda proxy payload version: REST APIs always `1.0`; HTTP APIs `2.0` unless `PayloadFormatVersion` says `1.0`. */
  readonly payloadFormatVersion: '1.0' | '2.0';
  /** Integration timeout in ms (REST max 29000, HTTP API max 30000). */
  readonly timeoutInMillis: number;
  /** Logical id of the function event that declared the route (for error messages and logs). */
  readonly eventId: string;
  /** The authorizer that guards the route (the event's `Auth.Authorizer`, else the API's `DefaultAuthorizer`). */
  readonly auth?: RouteAuthSpec;
}

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

export type AuthorizerSpec = RestLambdaAuthorizerSpec | CognitoAuthorizerSpec | HttpLambdaAuthorizerSpec | JwtAuthorizerSpec;

export interface ApiSpec {
  /** Logical id, e.g. `ServerlessRestApi`, `MyHttpApi`. */
  readonly logicalId: string;
  readonly kind: ApiKind;
  /** Stable 10-character lower-case id, derived from stack name + logical id, used in host names. */
  readonly apiId: string;
  /** REST: the stage (`Prod` for the implicit API, `StageName` otherwise). HTTP: `$default` unless `StageName`. */
  readonly stageName: string;
  readonly stageVariables: Readonly<Record<string, string>>;
  /** REST only: media types treated as binary (`BinaryMediaTypes`, with `~1` decoded to `/`). */
  readonly binaryMediaTypes: readonly string[];
  readonly routes: readonly RouteSpec[];
  /** HTTP APIs: `CorsConfiguration`; REST APIs: SAM's `Cors`. Absent when CORS is not configured. */
  readonly cors?: CorsSpec;
  /** Stage throttling: REST `MethodSettings`, HTTP API `DefaultRouteSettings`/`RouteSettings`. Absent when none is set. */
  readonly throttling?: ThrottlingSpec;
  /** `Auth.Authorizers` by name; absent when the API declares none. */
  readonly authorizers?: Readonly<Record<string, AuthorizerSpec>>;
  /**
   * REST with `Cors` and a `DefaultAuthorizer`: SAM's `AddDefaultAuthorizerToCorsPreflight` (default true) puts the
   * default authorizer on the OPTIONS methods it adds, so preflight requests must pass it too.
   */
  readonly corsPreflightAuth?: RouteAuthSpec;
}

/** A throttle setting as written; a field left out falls back to the less specific setting, then to the account. */
export interface ThrottleSetting {
  /** Requests per second (`ThrottlingRateLimit`, a number ≥ 0). */
  readonly rateLimit: number | undefined;
  /** Bucket capacity (`ThrottlingBurstLimit`, an integer ≥ 0). */
  readonly burstLimit: number | undefined;
}

/** One REST `MethodSettings` entry with a throttling field. */
export interface MethodThrottleSetting extends ThrottleSetting {
  /** Decoded resource path (`/items/{id}`; `~1` in the template), or `*` for every resource (`/*`). */
  readonly resourcePath: string;
  /** Upper-case HTTP method, or `*` for every method. */
  readonly httpMethod: string;
}

export type ThrottlingSpec =
  | { readonly kind: 'REST'; readonly methods: readonly MethodThrottleSetting[] }
  | {
      readonly kind: 'HTTP';
      /** `DefaultRouteSettings`: every route of the stage. */
      readonly defaultRoute: ThrottleSetting | undefined;
      /** `RouteSettings`, by route key (`GET /items`, `$default`). */
      readonly routes: Readonly<Record<string, ThrottleSetting>>;
    };

/** An HTTP API's `CorsConfiguration` (AWS::ApiGatewayV2::Api Cors): API Gateway itself applies it. */
export interface HttpCorsSpec {
  readonly kind: 'HTTP';
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  /** Seconds; undefined when not set. */
  readonly maxAge: number | undefined;
  readonly allowCredentials: boolean;
}

/**
 * A REST API's SAM `Cors`: SAM turns it into an OPTIONS mock method per path. Values are the header values, with
 * the quotes SAM requires (`"'GET,POST'"`) removed; undefined when not set.
 */
export interface RestCorsSpec {
  readonly kind: 'REST';
  readonly allowOrigin: string;
  /** When unset, SAM lists the methods of each path. */
  readonly allowMethods: string | undefined;
  readonly allowHeaders: string | undefined;
  readonly maxAge: string | undefined;
  readonly allowCredentials: boolean;
}

export type CorsSpec = HttpCorsSpec | RestCorsSpec;

/** DynamoDB key attribute types, as DynamoDB spells them. */
export type TableAttributeType = 'S' | 'N' | 'B';

export interface TableKeyElement {
  readonly attributeName: string;
  readonly keyType: 'HASH' | 'RANGE';
}

export interface TableAttributeDefinition {
  readonly attributeName: string;
  readonly attributeType: TableAttributeType;
}

export interface TableThroughput {
  readonly readCapacityUnits: number;
  readonly writeCapacityUnits: number;
}

export interface TableIndexSpec {
  readonly indexName: string;
  readonly keySchema: readonly TableKeyElement[];
  /** `ALL`, `KEYS_ONLY` or `INCLUDE`. */
  readonly projectionType: string;
  readonly nonKeyAttributes: readonly string[];
  /** GSIs of provisioned tables only. */
  readonly provisionedThroughput: TableThroughput | undefined;
}

/**
 * A table declared in the template (`AWS::DynamoDB::Table`, `AWS::Serverless::SimpleTable`), as declared: indexes,
 * streams and TTL are kept even where the data service does not implement them yet.
 */
export interface TableSpec {
  readonly logicalId: string;
  readonly type: string;
  /** Physical name, exactly what `!Ref` gives (`TableName` or `<stack>-<logicalId>-<SUFFIX>`). */
  readonly name: string;
  /** What `!GetAtt Table.Arn` gives. */
  readonly arn: string;
  readonly keySchema: readonly TableKeyElement[];
  readonly attributeDefinitions: readonly TableAttributeDefinition[];
  readonly billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  /** Set exactly when billingMode is PROVISIONED. */
  readonly provisionedThroughput: TableThroughput | undefined;
  /** `StreamSpecification.StreamViewType`, undefined without a stream. */
  readonly streamViewType: string | undefined;
  /** `TimeToLiveSpecification`, undefined when not declared. */
  readonly timeToLive: { readonly attributeName: string; readonly enabled: boolean } | undefined;
  readonly globalSecondaryIndexes: readonly TableIndexSpec[];
  readonly localSecondaryIndexes: readonly TableIndexSpec[];
}

export interface AppModel {
  /** Absolute path of the app folder. */
  readonly appDir: string;
  /** Absolute path of the template file. */
  readonly templatePath: string;
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  readonly functions: readonly FunctionSpec[];
  readonly apis: readonly ApiSpec[];
  /** DynamoDB tables declared in the template, in template order. */
  readonly tables: readonly TableSpec[];
  /** Resolved `Outputs`, by logical id. */
  readonly outputs: Readonly<Record<string, string>>;
  /** Notices worth showing at start (unsupported resources, runtime version differences …). */
  readonly warnings: readonly string[];
}

export interface LoadOptions {
  /** Path to the template, absolute or relative to the app folder; default: first of template.yaml|yml, sam-template.yaml|yml. */
  readonly template?: string;
  readonly parameterOverrides?: Readonly<Record<string, string>>;
  /** Values for `Fn::ImportValue`, by export name. */
  readonly importValues?: Readonly<Record<string, string>>;
  readonly stackName?: string;
  readonly region?: string;
  readonly accountId?: string;
}

/** A template that cannot be deployed. The message names the resource and property at fault. */
export class TemplateError extends Error {
  constructor(message: string, readonly location?: string) {
    super(location ? `${location}: ${message}` : message);
    this.name = 'TemplateError';
  }
}
