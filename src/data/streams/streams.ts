// Which stream a Streams API request names. A table has at most one readable stream here, its latest (an earlier
// stream of the same table is gone once a new one is enabled: its records were trimmed by the time that matters on
// AWS, and keeping both is not worth it locally). The stream has one shard, which is all one process needs; its id
// has AWS's shape (`shardId-<20 digits>-<8 hex>`) and is stable for the stream.
import { createHash } from 'node:crypto';
import { readMetadata } from '../service/tables.js';
import type { Storage, TableInfo } from '../storage/storage.js';
import { streamNotFound } from './errors.js';
import type { StreamViewType } from './stream-settings.js';

export interface StreamInfo {
  readonly arn: string;
  readonly label: string;
  readonly table: TableInfo;
  readonly viewType: StreamViewType;
  /** Whether the table still writes to it. */
  readonly enabled: boolean;
  readonly shardId: string;
}

const STREAM_ARN = /^arn:[\w-]+:dynamodb:[^:]*:\d{12}:table\/([a-zA-Z0-9_.-]{3,255})\/stream\/(.+)$/;

/** The table's latest stream (enabled or not), if it ever had one. */
export function latestStream(table: TableInfo): StreamInfo | undefined {
  const m = readMetadata(table);
  if (!m.LatestStreamArn || !m.LatestStreamLabel || !m.LatestStreamViewType) return undefined;
  return {
    arn: m.LatestStreamArn,
    label: m.LatestStreamLabel,
    table,
    viewType: m.LatestStreamViewType,
    enabled: m.StreamSpecification?.StreamEnabled === true,
    shardId: shardIdOf(m.LatestStreamArn, m.LatestStreamLabel),
  };
}

/** The stream `arn` names; ResourceNotFoundException when there is none. */
export async function resolveStream(storage: Storage, arn: string): Promise<StreamInfo> {
  const match = STREAM_ARN.exec(arn);
  const table = match ? await storage.getTable(match[1]!) : undefined;
  const stream = table && latestStream(table);
  if (!stream || stream.label !== match![2]) throw streamNotFound(arn);
  return stream;
}

/** The table name in a stream ARN (undefined when it is not a DynamoDB stream ARN). */
export function tableOfStreamArn(arn: string): string | undefined {
  return STREAM_ARN.exec(arn)?.[1];
}

function shardIdOf(arn: string, label: string): string {
  const created = Date.parse(`${label}Z`);
  const digits = String(Number.isFinite(created) ? created : 0).padStart(20, '0');
  return `shardId-${digits}-${createHash('sha256').update(arn).digest('hex').slice(0, 8)}`;
}
