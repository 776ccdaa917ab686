/**
 * Event source mappings from DynamoDB streams: SAM's `DynamoDB` function events and `AWS::Lambda::EventSourceMapping`
 * resources whose `EventSourceArn` is a DynamoDB stream ARN. Both take the properties Lambda's
 * CreateEventSourceMapping takes (SAM passes them through), with Lambda's defaults and bounds. Mappings from other
 * sources (SQS, Kinesis …) are counted, so the loader can say once that they are not run.
 */

import { TemplateError, type EventSourceMappingSpec } from '../model.js';
import { uuidFrom } from './naming.js';
import { child, describe, integerIn, isRecord, optionalList, scalarText, type JsonRecord } from './values.js';

const DYNAMODB_STREAM = /^arn:[\w-]+:dynamodb:[^:]*:\d{12}:table\/[^/]+\/stream\/.+$/;
const STARTING_POSITIONS = ['TRIM_HORIZON', 'LATEST'] as const;

function booleanProp(value: unknown, path: string, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new TemplateError(`must be true or false, got ${describe(value)}`, path);
}

function startingPosition(value: unknown, path: string): EventSourceMappingSpec['startingPosition'] {
  if (value === undefined || value === null) throw new TemplateError('StartingPosition is required for a DynamoDB stream', path);
  const text = scalarText(value, path);
  if (!(STARTING_POSITIONS as readonly string[]).includes(text)) throw new TemplateError(`must be TRIM_HORIZON or LATEST, got ${describe(text)}`, path);
  return text as EventSourceMappingSpec['startingPosition'];
}

/** `FilterCriteria.Filters[].Pattern`: JSON text (as CloudFormation wants it) or, leniently, a mapping. */
function filterPatterns(value: unknown, path: string): string[] {
  if (value === undefined || value === null) return [];
  const filters = isRecord(value) ? optionalList(value.Filters, child(path, 'Filters')) : [];
  return filters.map((raw, i) => {
    const at = child(child(path, 'Filters'), i);
    const pattern = isRecord(raw) ? raw.Pattern : undefined;
    const text = isRecord(pattern) ? JSON.stringify(pattern) : scalarText(pattern, child(at, 'Pattern'));
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new TemplateError('must be a JSON event pattern', child(at, 'Pattern'));
    }
    if (!isRecord(parsed)) throw new TemplateError('must be a JSON object', child(at, 'Pattern'));
    return text;
  });
}

function reportsItemFailures(value: unknown, path: string): boolean {
  const types = optionalList(value, path).map((t, i) => scalarText(t, child(path, i)));
  const unknown = types.find((t) => t !== 'ReportBatchItemFailures');
  if (unknown !== undefined) throw new TemplateError(`must list only ReportBatchItemFailures, got ${describe(unknown)}`, path);
  return types.length > 0;
}

/**
 * `DestinationConfig: {OnFailure: {Destination: arn}}` (SAM's DynamoDB event adds `Type: SQS | SNS`, which only
 * tells SAM which policy to write). Portico has no queue or topic to send to; the poller writes the record instead.
 */
function onFailure(value: unknown, path: string): { onFailureDestination?: string } {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new TemplateError(`must be a mapping, got ${describe(value)}`, path);
  const failure = value.OnFailure;
  if (failure === undefined || failure === null) return {};
  const at = child(path, 'OnFailure');
  if (!isRecord(failure)) throw new TemplateError(`must be a mapping, got ${describe(failure)}`, at);
  if (failure.Destination === undefined || failure.Destination === null) throw new TemplateError('Destination is required', child(at, 'Destination'));
  return { onFailureDestination: scalarText(failure.Destination, child(at, 'Destination')) };
}

export interface MappingSource {
  readonly stackName: string;
  readonly logicalId: string;
  readonly functionName: string;
  readonly props: JsonRecord;
  /** Property path for messages. */
  readonly path: string;
}

/** The mapping a DynamoDB event or resource declares; undefined when its source is not a DynamoDB stream. */
export function streamMapping({ stackName, logicalId, functionName, props, path }: MappingSource, arnKey: 'Stream' | 'EventSourceArn'): EventSourceMappingSpec | undefined {
  const arnPath = child(path, arnKey);
  if (props[arnKey] === undefined || props[arnKey] === null) throw new TemplateError(`${arnKey} is required`, arnPath);
  const eventSourceArn = scalarText(props[arnKey], arnPath);
  if (!DYNAMODB_STREAM.test(eventSourceArn)) return undefined;
  return {
    // The source and starting position are part of the identity: re-pointing a mapping starts a new one (and a new
    // checkpoint), as AWS replaces the mapping, instead of resuming another stream at a foreign sequence number.
    id: uuidFrom(`${stackName}:${logicalId}:event-source-mapping:${eventSourceArn}:${String(props.StartingPosition ?? '')}`),
    logicalId,
    functionName,
    eventSourceArn,
    startingPosition: startingPosition(props.StartingPosition, child(path, 'StartingPosition')),
    batchSize: integerIn(props.BatchSize, child(path, 'BatchSize'), 1, 10_000, 100),
    maximumBatchingWindowSeconds: integerIn(props.MaximumBatchingWindowInSeconds, child(path, 'MaximumBatchingWindowInSeconds'), 0, 300, 0),
    filterPatterns: filterPatterns(props.FilterCriteria, child(path, 'FilterCriteria')),
    maximumRetryAttempts: integerIn(props.MaximumRetryAttempts, child(path, 'MaximumRetryAttempts'), -1, 10_000, -1),
    maximumRecordAgeSeconds: integerIn(props.MaximumRecordAgeInSeconds, child(path, 'MaximumRecordAgeInSeconds'), -1, 604_800, -1),
    parallelizationFactor: integerIn(props.ParallelizationFactor, child(path, 'ParallelizationFactor'), 1, 10, 1),
    ...onFailure(props.DestinationConfig, child(path, 'DestinationConfig')),
    bisectBatchOnFunctionError: booleanProp(props.BisectBatchOnFunctionError, child(path, 'BisectBatchOnFunctionError'), false),
    reportBatchItemFailures: reportsItemFailures(props.FunctionResponseTypes, child(path, 'FunctionResponseTypes')),
    enabled: booleanProp(props.Enabled, child(path, 'Enabled'), true),
  };
}
