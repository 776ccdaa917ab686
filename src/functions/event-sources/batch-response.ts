// What a stream-triggered invocation's result means for its batch, as Lambda reads it
// (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html): with
// ReportBatchItemFailures, a response `{"batchItemFailures": [{"itemIdentifier": "<SequenceNumber>"}]}` fails the
// batch from the lowest failed sequence number on; an empty or null list, or a response that is not such an object,
// is a success; an itemIdentifier that is null, empty or not in the batch fails the whole batch. Without
// ReportBatchItemFailures only a function error fails the batch.

export type BatchOutcome =
  | { readonly kind: 'success' }
  /** The records from `index` on (in batch order) failed; the ones before succeeded. */
  | { readonly kind: 'partial'; readonly index: number }
  | { readonly kind: 'failure'; readonly reason: string };

function sequenceNumberOf(record: Record<string, unknown>): unknown {
  const dynamodb = record.dynamodb as Record<string, unknown> | undefined;
  return dynamodb?.SequenceNumber;
}

export function batchOutcome(
  result: { kind: 'response' | 'error'; payload: string },
  records: readonly Record<string, unknown>[],
  reportBatchItemFailures: boolean,
): BatchOutcome {
  if (result.kind === 'error') return { kind: 'failure', reason: `function error: ${result.payload.slice(0, 200)}` };
  if (!reportBatchItemFailures) return { kind: 'success' };
  let response: unknown;
  try {
    response = JSON.parse(result.payload);
  } catch {
    return { kind: 'success' };
  }
  const failures = typeof response === 'object' && response !== null ? (response as Record<string, unknown>).batchItemFailures : undefined;
  if (!Array.isArray(failures) || failures.length === 0) return { kind: 'success' };
  let lowest = records.length;
  for (const failure of failures) {
    const id = typeof failure === 'object' && failure !== null ? (failure as Record<string, unknown>).itemIdentifier : undefined;
    const index = typeof id === 'string' && id !== '' ? records.findIndex((r) => sequenceNumberOf(r) === id) : -1;
    if (index < 0) return { kind: 'failure', reason: `batchItemFailures names ${JSON.stringify(id)}, not a record of the batch` };
    lowest = Math.min(lowest, index);
  }
  return { kind: 'partial', index: lowest };
}
