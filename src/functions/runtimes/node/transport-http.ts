/**
 * A Lambda Runtime API client (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html), used when the init
 * message says `transport: "http"`. Loaded lazily: an idle stem cell never pays for node:http.
 *
 * Like the RIC's RAPIDClient it uses one keep-alive connection (maxSockets 1). Node's agent unrefs idle keep-alive
 * sockets, so between requests nothing here keeps the event loop alive (runtime.ts relies on that).
 */
import { Agent, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { ErrorDocument, Invocation, Transport } from './transport.js';

const BASE = '/2018-06-01/runtime';
const ERROR_TYPE_HEADER = 'Lambda-Runtime-Function-Error-Type';

export class RuntimeApiClient implements Transport {
  private readonly hostname: string;
  private readonly port: number;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  /** `host:port`, the value of AWS_LAMBDA_RUNTIME_API. */
  constructor(hostPort: string) {
    const colon = hostPort.lastIndexOf(':');
    this.hostname = colon > 0 ? hostPort.slice(0, colon) : hostPort;
    this.port = colon > 0 ? Number(hostPort.slice(colon + 1)) : 80;
  }

  async next(): Promise<Invocation> {
    const { status, headers, body } = await this.send('GET', `${BASE}/invocation/next`);
    if (status !== 200) throw new Error(`Runtime API /invocation/next answered ${status}: ${body}`);
    return toInvocation(headers, body);
  }

  async respond(requestId: string, body: string): Promise<void> {
    await this.send('POST', `${BASE}/invocation/${encodeURIComponent(requestId)}/response`, body);
  }

  async fail(requestId: string, error: ErrorDocument): Promise<void> {
    const path = `${BASE}/invocation/${encodeURIComponent(requestId)}/error`;
    await this.send('POST', path, JSON.stringify(error), { [ERROR_TYPE_HEADER]: error.errorType });
  }

  async initError(error: ErrorDocument): Promise<void> {
    await this.send('POST', `${BASE}/init/error`, JSON.stringify(error), { [ERROR_TYPE_HEADER]: error.errorType });
  }

  private send(
    method: 'GET' | 'POST',
    path: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
    const allHeaders: Record<string, string | number> = { ...headers };
    if (body !== undefined) {
      allHeaders['Content-Type'] = 'application/json';
      allHeaders['Content-Length'] = Buffer.byteLength(body);
    }
    const options = { hostname: this.hostname, port: this.port, method, path, headers: allHeaders, agent: this.agent };
    return new Promise((resolve, reject) => {
      const req = request(options, (res: IncomingMessage) => {
        res.setEncoding('utf8');
        let data = '';
        res.on('data', (chunk: string) => (data += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function toInvocation(headers: IncomingHttpHeaders, payload: string): Invocation {
  const requestId = header(headers, 'lambda-runtime-aws-request-id');
  if (!requestId) throw new Error('invocation id is missing or invalid');
  return {
    requestId,
    deadlineMs: Number(header(headers, 'lambda-runtime-deadline-ms')),
    invokedFunctionArn: header(headers, 'lambda-runtime-invoked-function-arn') ?? '',
    traceId: header(headers, 'lambda-runtime-trace-id'),
    clientContext: header(headers, 'lambda-runtime-client-context'),
    cognitoIdentity: header(headers, 'lambda-runtime-cognito-identity'),
    tenantId: header(headers, 'lambda-runtime-aws-tenant-id'),
    payload,
  };
}
