// MaximumRecordAgeInSeconds: a record older than the limit is discarded instead of delivered (and counts as
// processed), as Lambda does for stream mappings; -1, the default, keeps records until the stream expires them.
// A record's age runs from its dynamodb.ApproximateCreationDateTime (whole seconds since the epoch).
import type { SourceRecord } from './stream-source.js';

/** The stream fields a poller reads from a Lambda event record. */
export function streamFields(record: Record<string, unknown>): { sequenceNumber: string; createdAtSeconds: number } {
  const dynamodb = (record.dynamodb ?? {}) as { SequenceNumber?: unknown; ApproximateCreationDateTime?: unknown };
  return {
    sequenceNumber: String(dynamodb.SequenceNumber ?? ''),
    createdAtSeconds: typeof dynamodb.ApproximateCreationDateTime === 'number' ? dynamodb.ApproximateCreationDateTime : Number.NaN,
  };
}

/**
 * A DynamoDB stream keeps a record 24 hours: with -1 a failing batch is retried until its records reach that age, as
 * on AWS, not forever from memory after the stream has trimmed them (which would stall the mapping for good).
 */
const STREAM_RECORD_LIFETIME_SECONDS = 24 * 60 * 60;

/** Splits records into those past `maxAgeSeconds` (-1: the stream's 24 hours) at `now` and the rest, in stream order. */
export function splitByAge(records: readonly SourceRecord[], maxAgeSeconds: number, now: Date): { expired: SourceRecord[]; live: SourceRecord[] } {
  const oldest = now.getTime() - (maxAgeSeconds < 0 ? STREAM_RECORD_LIFETIME_SECONDS : maxAgeSeconds) * 1000;
  const expired: SourceRecord[] = [];
  const live: SourceRecord[] = [];
  for (const r of records) (streamFields(r.record).createdAtSeconds * 1000 < oldest ? expired : live).push(r);
  return { expired, live };
}
