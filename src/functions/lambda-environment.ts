import type { FunctionSpec } from '../app/model.js';

/** What every function's environment shares: where Portico's AWS endpoint is and the credentials to reach it. */
export interface PlatformSettings {
  readonly region: string;
  /** `http://127.0.0.1:4566`: every SDK in a function reaches Portico through it. */
  readonly awsEndpointUrl: string;
  /**
   * Each function gets session credentials of its own, so that Portico's AWS endpoint knows which function is
   * calling (and refuses it other functions' code and environment, as IAM would).
   */
  credentialsFor(functionName: string): FunctionCredentials;
  /** The folder holding Portico's runtime clients (`LAMBDA_RUNTIME_DIR`). */
  readonly runtimeDir: string;
}

export interface FunctionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Variables a user cannot override, as on Lambda (reserved environment variables). */
const RESERVED = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);

export function logGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/**
 * The environment of one execution environment, as Lambda builds it (aws-behaviour.md §9.4): the function's own
 * variables first, then the reserved ones, which win. `AWS_ENDPOINT_URL` points every SDK at Portico; a function
 * that sets its own endpoint variables keeps them.
 */
export function lambdaEnvironment(
  fn: FunctionSpec,
  platform: PlatformSettings,
  perEnvironment: { readonly logStreamName: string; readonly runtimeApi: string; readonly tmpDir: string },
): Record<string, string> {
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL: platform.awsEndpointUrl,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
    _AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1',
    _AWS_XRAY_DAEMON_PORT: '2000',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    TMPDIR: perEnvironment.tmpDir,
  };
  for (const [key, value] of Object.entries(fn.environment)) {
    if (!RESERVED.has(key)) env[key] = value;
  }
  const credentials = platform.credentialsFor(fn.name);
  Object.assign(env, {
    AWS_REGION: platform.region,
    AWS_DEFAULT_REGION: platform.region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(fn.name),
    AWS_LAMBDA_LOG_STREAM_NAME: perEnvironment.logStreamName,
    AWS_LAMBDA_RUNTIME_API: perEnvironment.runtimeApi,
    LAMBDA_TASK_ROOT: fn.codeDir,
    LAMBDA_RUNTIME_DIR: platform.runtimeDir,
    PWD: fn.codeDir,
  });
  if (credentials.sessionToken) env.AWS_SESSION_TOKEN = credentials.sessionToken;
  if (fn.handler !== undefined) env._HANDLER = fn.handler;
  return env;
}

/** `2026/11/25/[$LATEST]<32 hex>`: Lambda's log stream name for one environment. */
export function logStreamName(environmentId: string, now = new Date()): string {
  const date = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${date}/[$LATEST]${environmentId}`;
}
