import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient, type InvokeCommandInput } from '@aws-sdk/client-lambda';
import type { RunningPortico } from './portico.js';

/**
 * A Lambda client for a running Portico. maxAttempts 1: the SDK would otherwise retry a 429 until the function is
 * free and hide the throttle under test.
 */
export function lambdaClient(portico: RunningPortico): LambdaClient {
  return new LambdaClient({
    endpoint: portico.awsEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

export function invokeJson(lambda: LambdaClient, name: string, payload: unknown, extra: Partial<InvokeCommandInput> = {}) {
  return lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)), ...extra }));
}

export const payloadText = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('utf8');

export const payloadJson = (bytes: Uint8Array | undefined): Record<string, unknown> =>
  JSON.parse(payloadText(bytes)) as Record<string, unknown>;

/** The messages of a function's log group, as `portico up` stored them. */
export async function functionLogs(portico: RunningPortico, name: string): Promise<string> {
  const text = await readFile(join(portico.dataDir, 'logs', 'aws', 'lambda', `${name}.ndjson`), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { message: string }).message)
    .join('');
}

/** Polls `probe` until it returns a value: logs are written off the invocation path, a moment later. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 8000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
