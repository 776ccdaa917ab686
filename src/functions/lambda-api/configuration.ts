import { createHash } from 'node:crypto';
import type { FunctionSpec } from '../../app/model.js';
import { logGroupName } from '../lambda-environment.js';

/**
 * The `FunctionConfiguration` shape of GetFunctionConfiguration / ListFunctions, with the defaults Lambda reports
 * for a function created without them (aws-behaviour.md §9.5).
 */
export function functionConfiguration(fn: FunctionSpec, options: { includeEnvironment: boolean }): Record<string, unknown> {
  const configuration: Record<string, unknown> = {
    FunctionName: fn.name,
    FunctionArn: fn.arn,
    Runtime: fn.runtime,
    Role: `arn:aws:iam::${accountOf(fn.arn)}:role/${fn.logicalId}Role`,
    Handler: fn.handler,
    CodeSize: 0,
    Description: fn.description,
    Timeout: fn.timeout,
    MemorySize: fn.memorySize,
    LastModified: new Date().toISOString().replace('Z', '+0000'),
    CodeSha256: createHash('sha256').update(fn.codeDir).digest('base64'),
    Version: '$LATEST',
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: revisionId(fn),
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: fn.architectures.length > 0 ? fn.architectures : ['x86_64'],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: logGroupName(fn.name) },
  };
  if (options.includeEnvironment && Object.keys(fn.environment).length > 0) {
    configuration.Environment = { Variables: { ...fn.environment } };
  }
  return configuration;
}

function accountOf(arn: string): string {
  return arn.split(':')[4] ?? '123456789012';
}

function revisionId(fn: FunctionSpec): string {
  const hex = createHash('sha256').update(JSON.stringify(fn)).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
