// UpdateTable's StreamSpecification: validated and kept in the table metadata (`StreamSpecification`, AWS's own
// shape). The change log and the Streams API that read this setting live with the streams code. "Table already has an
// enabled stream: TableName: <name>" is DynamoDB's answer to enabling a second stream (quoted in scylladb issue
// #6939 and aws-controllers-k8s issue #1000); the other two messages are Portico's, not confirmed against AWS.
import type { TableMetadata } from '../service/tables.js';
import { FieldChecks, shape, type Json } from '../service/validation.js';
import { DynamoValidationError } from '../types/errors.js';

export const STREAM_VIEW_TYPES = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'] as const;

export interface StreamSpecification {
  StreamEnabled: boolean;
  StreamViewType?: (typeof STREAM_VIEW_TYPES)[number];
}

/** Reads the request's StreamSpecification (shape and field checks), or undefined when there is none. */
export function readStreamSpecification(data: Json, checks: FieldChecks): StreamSpecification | undefined {
  const spec = shape.struct(data, 'StreamSpecification');
  if (!spec) return undefined;
  const enabled = shape.boolean(spec, 'StreamEnabled');
  const viewType = shape.string(spec, 'StreamViewType');
  checks.notNull(enabled, 'streamSpecification.streamEnabled');
  checks.enumValue(viewType, 'streamSpecification.streamViewType', STREAM_VIEW_TYPES);
  return { StreamEnabled: enabled ?? false, ...(viewType ? { StreamViewType: viewType as StreamSpecification['StreamViewType'] } : {}) };
}

/** The metadata with the stream setting applied; refuses a second stream and switching off a stream there is not. */
export function applyStreamSpecification(metadata: TableMetadata, name: string, spec: StreamSpecification): TableMetadata {
  const current = metadata.StreamSpecification;
  if (spec.StreamEnabled) {
    if (current?.StreamEnabled) throw new DynamoValidationError(`Table already has an enabled stream: TableName: ${name}`);
    if (!spec.StreamViewType) throw new DynamoValidationError('One or more parameter values were invalid: StreamViewType is required when StreamEnabled is true');
    return { ...metadata, StreamSpecification: { StreamEnabled: true, StreamViewType: spec.StreamViewType } };
  }
  if (!current?.StreamEnabled) throw new DynamoValidationError(`Table does not have an enabled stream: TableName: ${name}`);
  return { ...metadata, StreamSpecification: { StreamEnabled: false } };
}
