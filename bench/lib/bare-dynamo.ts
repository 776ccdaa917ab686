// Measurement 9's ceiling: a bare Node `http` server in its own process that parses the JSON body and answers
// CreateTable, PutItem, GetItem and Query from a Map with DynamoDB's response shapes (application/x-amz-json-1.0,
// x-amz-crc32) — no validation, no signature check, no expression parsing (Query returns the partition named by the
// first expression attribute value, in sort-key order). What this machine and load generator can do at most.
// Prints `Listening http://127.0.0.1:<port>`.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';

type Item = Record<string, Record<string, unknown>>;
interface Table {
  readonly hash: string;
  readonly range: string | undefined;
  /** partition value → sort value → item */
  readonly partitions: Map<string, Map<string, Item>>;
}

const tables = new Map<string, Table>();

function scalar(attr: Record<string, unknown> | undefined): string {
  if (!attr) return '';
  const value = Object.values(attr)[0];
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  const body = Buffer.from(JSON.stringify(payload));
  res.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.0',
    'x-amz-crc32': String(crc32(body)),
    'x-amzn-RequestId': 'bare',
    'Content-Length': String(body.length),
  });
  res.end(body);
}

function answer(target: string, input: Record<string, unknown>): unknown {
  const name = String(input.TableName);
  if (target === 'CreateTable') {
    const schema = (input.KeySchema as { AttributeName: string; KeyType: string }[]) ?? [];
    const hash = schema.find((k) => k.KeyType === 'HASH')?.AttributeName ?? 'pk';
    const range = schema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
    tables.set(name, { hash, range, partitions: new Map() });
    return { TableDescription: { TableName: name, TableStatus: 'ACTIVE', KeySchema: schema, ItemCount: 0 } };
  }
  const table = tables.get(name);
  if (!table) return { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' };
  if (target === 'PutItem') {
    const item = input.Item as Item;
    const key = scalar(item[table.hash]);
    let partition = table.partitions.get(key);
    if (!partition) table.partitions.set(key, (partition = new Map()));
    partition.set(table.range ? scalar(item[table.range]) : '', item);
    return {};
  }
  if (target === 'GetItem') {
    const key = input.Key as Item;
    const item = table.partitions.get(scalar(key[table.hash]))?.get(table.range ? scalar(key[table.range]) : '');
    return item ? { Item: item } : {};
  }
  if (target === 'Query') {
    const values = (input.ExpressionAttributeValues as Item | undefined) ?? {};
    const partition = table.partitions.get(scalar(Object.values(values)[0]));
    const items = partition ? [...partition.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]) : [];
    return { Items: items, Count: items.length, ScannedCount: items.length };
  }
  return {};
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const target = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      send(res, 400, { __type: 'com.amazon.coral.service#SerializationException' });
      return;
    }
    const output = answer(target, input) as Record<string, unknown>;
    send(res, output.__type ? 400 : 200, output);
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`Listening http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
