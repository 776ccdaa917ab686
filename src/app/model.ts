/**
 * The app model: what a template means once every intrinsic is resolved. Loaders (SAM today, OpenAPI later)
 * produce it; the gateway and functions compile it into a deployment. Plain data, no behaviour.
 */

import type { AuthorizerSpec, RouteAuthSpec } from './model-auth.js';
import type { EventSourceMappingSpec, TableSpec } from './model-tables.js';
import type { ApiKeySpec, UsagePlanSpec } from './model-usage-plans.js';

// The model's parts that stand on their own concept live in their own files; importers keep one entry point.
export type * from './model-auth.js';
export type * from './model-tables.js';
export type * from './model-usage-plans.js';

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
  /** Logical id of the target function; '' when `functionStageVariable` names it per stage. */
  readonly functionLogicalId: string;
  /**
   * An OpenAPI integration URI naming its function through a stage variable
   * (`…:function:${stageVariables.fn}/invocations`): the variable's name. Each stage resolves it from its own
   * `Variables` (a function name, logical id or ARN); a stage without it answers 500, as API Gateway does.
   */
  readonly functionStageVariable?: string;
  /** Lambda proxy payload version: REST APIs always `1.0`; HTTP APIs `2.0` unless `PayloadFormatVersion` says `1.0`. */
  readonly payloadFormatVersion: '1.0' | '2.0';
  /** Integration timeout in ms (REST max 29000, HTTP API max 30000). */
  readonly timeoutInMillis: number;
  /** Logical id of the function event that declared the route (for error messages and logs). */
  readonly eventId: string;
  /**
   * REST: the request parameters that key the response cache (`method.request.querystring.type`,
   * `method.request.header.Accept`, `method.request.path.id`), from the OpenAPI integration's `cacheKeyParameters`
   * or SAM's `RequestParameters` with `Caching: true`. Absent when none.
   */
  readonly cacheKeyParameters?: readonly string[];
  /** REST: the method requires an API key (`ApiKeyRequired`); absent means it does not. */
  readonly apiKeyRequired?: boolean;
  /** The authorizer that guards the route (the event's `Auth.Authorizer`, else the API's `DefaultAuthorizer`). */
  readonly auth?: RouteAuthSpec;
}

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
  /** REST: the stage's response cache (`CacheClusterEnabled`). Absent when the stage has no cache. */
  readonly cache?: CacheSpec;
  /** REST: custom gateway responses (SAM `GatewayResponses`, `AWS::ApiGateway::GatewayResponse`), shared by every stage. */
  readonly gatewayResponses?: Readonly<Record<string, GatewayResponseSpec>>;
  /**
   * REST: the API's other stages, each with its own settings (SAM's extra `Stage` stage, `AWS::ApiGateway::Stage`,
   * `AWS::ApiGateway::Deployment` `StageName`). The fields above describe the main stage (`stageName`).
   */
  readonly extraStages?: readonly StageSpec[];
  /** REST: where the API key comes from (`ApiKeySourceType`); absent means `HEADER` (`x-api-key`). */
  readonly apiKeySource?: 'HEADER' | 'AUTHORIZER';
  /** `Auth.Authorizers` by name; absent when the API declares none. */
  readonly authorizers?: Readonly<Record<string, AuthorizerSpec>>;
  /**
   * REST with `Cors` and a `DefaultAuthorizer`: SAM's `AddDefaultAuthorizerToCorsPreflight` (default true) puts the
   * default authorizer on the OPTIONS methods it adds, so preflight requests must pass it too.
   */
  readonly corsPreflightAuth?: RouteAuthSpec;
  /**
   * REST with `Cors` and `Auth.ApiKeyRequired`: SAM's `AddApiKeyRequiredToCorsPreflight` (default true) makes the
   * OPTIONS methods it adds require the API key too. Absent when they do not.
   */
  readonly corsPreflightApiKeyRequired?: true;
}

/** One stage of an API: what differs from stage to stage. */
export interface StageSpec {
  readonly stageName: string;
  readonly stageVariables: Readonly<Record<string, string>>;
  readonly throttling?: ThrottlingSpec;
  readonly cache?: CacheSpec;
}

/** A stage's cache cluster and its per-method settings (`MethodSettings` caching fields). */
export interface CacheSpec {
  /** `CacheClusterSize` in GB (0.5 … 237); default 0.5. */
  readonly clusterSizeGb: number;
  readonly methods: readonly MethodCacheSetting[];
}

export type CacheControlStrategy = 'FAIL_WITH_403' | 'SUCCEED_WITH_RESPONSE_HEADER' | 'SUCCEED_WITHOUT_RESPONSE_HEADER';

/** One REST `MethodSettings` entry's caching fields; a field left out falls back to the less specific entry. */
export interface MethodCacheSetting {
  /** Decoded resource path, or `*` for every resource (as MethodThrottleSetting). */
  readonly resourcePath: string;
  /** Upper-case HTTP method, or `*`. */
  readonly httpMethod: string;
  readonly cachingEnabled: boolean | undefined;
  /** `CacheTtlInSeconds`, 0–3600. */
  readonly ttlInSeconds: number | undefined;
  readonly requireAuthorizationForCacheControl: boolean | undefined;
  readonly unauthorizedCacheControlHeaderStrategy: CacheControlStrategy | undefined;
}

/** A custom gateway response, by response type (`MISSING_AUTHENTICATION_TOKEN`, `DEFAULT_4XX` …). */
export interface GatewayResponseSpec {
  /** Undefined keeps the type's own status (or, for a type answered by DEFAULT_4XX/5XX, the family's). */
  readonly statusCode: number | undefined;
  /** Header name → value expression as written: `'literal'`, `method.request.header.Origin`, `stageVariables.x`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Content type → template (`{"message":$context.error.messageString}`). */
  readonly templates: Readonly<Record<string, string>>;
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
  /** Event source mappings from DynamoDB streams to functions. */
  readonly eventSourceMappings: readonly EventSourceMappingSpec[];
  /** API keys and usage plans of the template; absent when it declares none. */
  readonly usagePlans?: { readonly apiKeys: readonly ApiKeySpec[]; readonly plans: readonly UsagePlanSpec[] };
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
