// What event source mappings read: a stream's records as Lambda event records, positions as storage sequences,
// and the mappings' saved positions (checkpoints, in the same database, so they are as durable as the records).
// A mapping names its stream by ARN; the stream read is the table's latest one, so a mapping keeps working when the
// template's `!GetAtt Table.StreamArn` and the stream a table got earlier differ in label. Records that expired
// (trimmed after 24 hours) are skipped, as Lambda skips them.
import type { Storage } from '../storage/storage.js';
import { lambdaRecord, readChange } from './records.js';
import { latestStream, tableOfStreamArn, type StreamInfo } from './streams.js';

export interface StreamRecordAt {
  /** The storage sequence: the position just after this record. */
  readonly seq: number;
  /** The record as a Lambda event carries it. */
  readonly record: Record<string, unknown>;
}

export interface StreamPage {
  readonly records: StreamRecordAt[];
  /** The position after every record examined (including records of an earlier stream, which are skipped). */
  readonly next: number;
  /** The stream's one shard. */
  readonly shardId: string;
}

const CHECKPOINT_PREFIX = 'event-source-mapping:';

export class StreamReader {
  constructor(
    private readonly storage: Storage,
    private readonly region: string,
  ) {}

  /** The position a new mapping starts from; undefined while the table or its stream does not exist. */
  async startPosition(arn: string, position: 'TRIM_HORIZON' | 'LATEST'): Promise<number | undefined> {
    const stream = await this.stream(arn);
    if (!stream) return undefined;
    const bounds = await this.storage.changeBounds(stream.table.name);
    return position === 'LATEST' ? bounds.last : bounds.trimmedThrough;
  }

  /** Up to `limit` records after `after`; undefined while the table or its stream does not exist. */
  async read(arn: string, after: number, limit: number): Promise<StreamPage | undefined> {
    const stream = await this.stream(arn);
    if (!stream) return undefined;
    const bounds = await this.storage.changeBounds(stream.table.name);
    let next = Math.max(after, bounds.trimmedThrough);
    const records: StreamRecordAt[] = [];
    for (const change of await this.storage.readChanges(stream.table.name, next, limit)) {
      const stored = readChange(change);
      if (stored.label === stream.label) records.push({ seq: change.seq, record: lambdaRecord(stored, change.seq, this.region, stream.arn) });
      next = change.seq;
    }
    return { records, next, shardId: stream.shardId };
  }

  async readCheckpoint(mappingId: string): Promise<number | undefined> {
    const text = await this.storage.readCheckpoint(CHECKPOINT_PREFIX + mappingId);
    return text === undefined ? undefined : Number(text);
  }

  async writeCheckpoint(mappingId: string, position: number): Promise<void> {
    await this.storage.writeCheckpoint(CHECKPOINT_PREFIX + mappingId, String(position));
  }

  private async stream(arn: string): Promise<StreamInfo | undefined> {
    const name = tableOfStreamArn(arn);
    const table = name === undefined ? undefined : await this.storage.getTable(name);
    return table && latestStream(table);
  }
}
