// What a stream poller needs from a stream: positions are opaque increasing numbers (a position is "after the record
// at this number"); records are Lambda event records. The data service's StreamReader provides it (platform.ts
// wires them), so nothing here knows how streams are stored.

export interface SourceRecord {
  /** The position just after this record. */
  readonly seq: number;
  readonly record: Record<string, unknown>;
}

export interface StreamSource {
  /** Where TRIM_HORIZON or LATEST begins now; undefined while the stream does not exist. */
  startPosition(arn: string, position: 'TRIM_HORIZON' | 'LATEST'): Promise<number | undefined>;
  /**
   * Up to `limit` records after `after`, the position after everything examined, and the stream's shard (named in
   * on-failure records); undefined while no stream.
   */
  read(arn: string, after: number, limit: number): Promise<{ records: SourceRecord[]; next: number; shardId: string } | undefined>;
  readCheckpoint(mappingId: string): Promise<number | undefined>;
  /** Resolves once the position is stored durably. */
  writeCheckpoint(mappingId: string, position: number): Promise<void>;
}
