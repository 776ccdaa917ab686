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

/** Splits records into those past `maxAgeSeconds` at `now` and the rest, both in stream order. */
export function splitByAge(records: readonly SourceRecord[], maxAgeSeconds: number, now: Date): { expired: SourceRecord[]; live: SourceRecord[] } {
  if (maxAgeSeconds < 0) return { expired: [], live: [...records] };
  const oldest = now.getTime() - maxAgeSeconds * 1000;
  const expired: SourceRecord[] = [];
  const live: SourceRecord[] = [];
  for (const r of records) (streamFields(r.record).createdAtSeconds * 1000 < oldest ? expired : live).push(r);
  return { expired, live };
}
