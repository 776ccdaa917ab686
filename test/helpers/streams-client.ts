// A minimal DynamoDB Streams client for tests: signed JSON 1.0 requests as the SDK sends them (signing name
// `dynamodb`, X-Amz-Target `DynamoDBStreams_20120810.<Op>`). @aws-sdk/client-dynamodb-streams is not a dependency;
// this signs with the same signer the SDK uses.
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';

class Sha256 extends Hash {
  constructor(secret?: SourceData) {
    super('sha256', secret);
  }
}

export interface StreamsResponse {
  status: number;
  body: Record<string, unknown>;
}

export class StreamsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type.split('#').pop()!;
  }
}

const signer = new SignatureV4({
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  region: 'us-east-1',
  service: 'dynamodb',
  sha256: Sha256,
});

/** Sends one Streams operation; resolves to the parsed body or rejects with a StreamsError. */
export async function streamsCall(endpoint: string, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const url = new URL(endpoint);
  const body = JSON.stringify(input);
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDBStreams_20120810.${operation}`,
    },
    body,
  });
  const res = await fetch(`${endpoint}/`, { method: 'POST', headers: signed.headers, body });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new StreamsError(res.status, String(json.__type), String(json.message ?? json.Message ?? ''));
  return json;
}

/** Every record of the table's latest stream from TRIM_HORIZON, following NextShardIterator until a page is empty. */
export async function readAllRecords(endpoint: string, tableName: string): Promise<Record<string, unknown>[]> {
  const { Streams } = (await streamsCall(endpoint, 'ListStreams', { TableName: tableName })) as { Streams: { StreamArn: string }[] };
  const arn = Streams[0]!.StreamArn;
  const described = (await streamsCall(endpoint, 'DescribeStream', { StreamArn: arn })) as { StreamDescription: { Shards: { ShardId: string }[] } };
  let iterator = (await streamsCall(endpoint, 'GetShardIterator', { StreamArn: arn, ShardId: described.StreamDescription.Shards[0]!.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))
    .ShardIterator as string | undefined;
  const records: Record<string, unknown>[] = [];
  while (iterator) {
    const page = (await streamsCall(endpoint, 'GetRecords', { ShardIterator: iterator })) as { Records: Record<string, unknown>[]; NextShardIterator?: string };
    records.push(...page.Records);
    if (page.Records.length === 0) break;
    iterator = page.NextShardIterator;
  }
  return records;
}
