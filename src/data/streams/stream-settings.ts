// A table's stream settings, kept in its metadata: `StreamSpecification` while a stream is enabled, and the latest
// stream's label and ARN (kept after the stream is disabled, as DescribeTable shows them on AWS). A stream's label is
// the time it was enabled, ISO 8601 without the zone ("2024-05-01T12:00:00.000"), and its ARN is the table's ARN
// followed by `/stream/<label>`. CreateTable, template tables and UpdateTable all go through `enableStream` and
// `disableStream`, so a stream means the same thing whichever way it came.
import { FieldChecks, shape, type Json } from '../service/validation.js';
import type { TableMetadata } from '../service/tables.js';
import { DynamoValidationError } from '../types/errors.js';

export const STREAM_VIEW_TYPES = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'] as const;
export type StreamViewType = (typeof STREAM_VIEW_TYPES)[number];

/** A `StreamSpecification` as a request gave it, validated. */
export interface StreamRequest {
  readonly enabled: boolean;
  readonly viewType: StreamViewType | undefined;
}

/** The stream a table writes to now. */
export interface ActiveStream {
  readonly arn: string;
  readonly label: string;
  readonly viewType: StreamViewType;
}

/**
 * Reads `StreamSpecification` (CreateTable, UpdateTable) into `checks`, in the order DynamoDB reports field errors;
 * call `checkStreamRequest` once the field errors are reported.
 */
export function readStreamSpecification(data: Json, checks: FieldChecks): StreamRequest | undefined {
  const spec = shape.struct(data, 'StreamSpecification');
  if (spec === undefined) return undefined;
  const enabled = shape.boolean(spec, 'StreamEnabled');
  const viewType = shape.string(spec, 'StreamViewType');
  checks.notNull(enabled, 'streamSpecification.streamEnabled');
  checks.enumValue(viewType, 'streamSpecification.streamViewType', STREAM_VIEW_TYPES);
  return { enabled: enabled === true, viewType: viewType as StreamViewType | undefined };
}

/**
 * The checks DynamoDB makes once the fields are well formed (messages as UpdateTable answers them on AWS, observed
 * by aws-controllers-k8s' API quirks lab, DDB-TABLE-050; CreateTable is assumed to share them).
 */
export function checkStreamRequest(request: StreamRequest | undefined): void {
  if (request?.enabled && request.viewType === undefined) {
    throw new DynamoValidationError('One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required');
  }
  if (request && !request.enabled && request.viewType !== undefined) {
    throw new DynamoValidationError('One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified');
  }
}

/**
 * UpdateTable's `StreamSpecification` applied to a table's metadata: enabling needs no stream enabled (a view type
 * cannot change in place: disable, then enable a new stream), disabling needs one. Call `checkStreamRequest` first.
 */
export function applyStreamRequest(m: TableMetadata, request: StreamRequest, tableName: string, now: Date): TableMetadata {
  const enabled = activeStream(m) !== undefined;
  if (request.enabled) {
    if (enabled) throw new DynamoValidationError(`Table already has an enabled stream: TableName: ${tableName}`);
    return enableStream(m, request.viewType!, now);
  }
  if (!enabled) throw new DynamoValidationError(`Table has no stream to disable: TableName: ${tableName}`);
  return disableStream(m);
}

/** The label of a stream enabled at `now`. */
export function streamLabel(now: Date): string {
  return now.toISOString().slice(0, -1);
}

/** The metadata with a new stream enabled (label `label`, by default the time `now`). */
export function enableStream(m: TableMetadata, viewType: StreamViewType, now: Date, label: string = streamLabel(now)): TableMetadata {
  return {
    ...m,
    StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
    LatestStreamLabel: label,
    LatestStreamArn: `${m.TableArn}/stream/${label}`,
    LatestStreamViewType: viewType,
  };
}

/** The metadata with the stream disabled: no new records; the latest stream stays readable until trimmed. */
export function disableStream(m: TableMetadata): TableMetadata {
  const { StreamSpecification: _dropped, ...rest } = m;
  return rest;
}

/** The table's enabled stream, if any. */
export function activeStream(m: TableMetadata): ActiveStream | undefined {
  const spec = m.StreamSpecification;
  if (!spec?.StreamEnabled || !m.LatestStreamArn || !m.LatestStreamLabel) return undefined;
  return { arn: m.LatestStreamArn, label: m.LatestStreamLabel, viewType: spec.StreamViewType };
}
