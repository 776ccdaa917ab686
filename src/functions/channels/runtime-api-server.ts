import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { safeDecode } from '../../aws/canonical.js';
import type { ChannelListener, InvocationChannel, InvocationRequest } from './channel.js';
import { MAX_RESPONSE_BYTES } from './channel.js';

const PREFIX = '/2018-06-01/runtime/';
/** Error documents and init errors are small; cap them so a runtime cannot make Portico buffer without bound. */
const MAX_ERROR_BYTES = 1_048_576;

/**
 * The Lambda Runtime API (`/2018-06-01/runtime/...`) for one environment, on its own loopback port so that the
 * server knows which environment is calling without any identifier in the protocol.
 */
export class RuntimeApiServer implements InvocationChannel {
  listener: ChannelListener | undefined;
  private readonly server: Server;
  private waitingNext: ServerResponse | undefined;
  private queued: InvocationRequest | undefined;
  private current: string | undefined;
  private initialised = false;

  constructor() {
    this.server = createServer((req, res) => this.route(req, res));
    this.server.keepAliveTimeout = 0;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `127.0.0.1:${port}`;
  }

  deliver(request: InvocationRequest): void {
    this.current = request.requestId;
    if (this.waitingNext) {
      const res = this.waitingNext;
      this.waitingNext = undefined;
      sendInvocation(res, request);
    } else {
      this.queued = request;
    }
  }

  close(): void {
    this.waitingNext?.destroy();
    this.server.closeAllConnections();
    this.server.close();
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    if (!url.startsWith(PREFIX)) return reply(res, 404, { errorMessage: 'Not found', errorType: 'NotFound' });
    const rest = url.slice(PREFIX.length);
    if (req.method === 'GET' && rest === 'invocation/next') return this.next(res);
    if (req.method === 'POST' && rest === 'init/error') return void this.readBody(req, MAX_ERROR_BYTES, (b) => this.initError(b, res));
    const match = /^invocation\/([^/]+)\/(response|error)$/.exec(rest);
    if (req.method === 'POST' && match) return this.result(req, res, safeDecode(match[1]!), match[2] as 'response' | 'error');
    reply(res, 404, { errorMessage: 'Not found', errorType: 'NotFound' });
  }

  private next(res: ServerResponse): void {
    if (!this.initialised) {
      this.initialised = true;
      this.listener?.initDone();
    }
    if (this.queued) {
      const request = this.queued;
      this.queued = undefined;
      sendInvocation(res, request);
      return;
    }
    this.waitingNext?.destroy();
    this.waitingNext = res;
    res.on('close', () => {
      if (this.waitingNext === res) this.waitingNext = undefined;
    });
  }

  private initError(body: Buffer | undefined, res: ServerResponse): void {
    reply(res, 202, { status: 'OK' });
    this.listener?.initError(errorDocument(body, 'Runtime.Unknown'));
  }

  private result(req: IncomingMessage, res: ServerResponse, requestId: string, kind: 'response' | 'error'): void {
    if (requestId !== this.current) {
      req.resume();
      return reply(res, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
    }
    const limit = kind === 'response' ? MAX_RESPONSE_BYTES : MAX_ERROR_BYTES;
    this.readBody(req, limit, (body) => {
      this.current = undefined;
      if (body === undefined) {
        reply(res, 413, {
          errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
          errorType: 'RequestEntityTooLarge',
        });
        this.listener?.outcome({ kind: 'too-large', requestId });
        return;
      }
      reply(res, 202, { status: 'OK' });
      const errorType = String(req.headers['lambda-runtime-function-error-type'] ?? 'Unhandled');
      const payload = kind === 'response' ? body.toString('utf8') || 'null' : errorDocument(body, errorType);
      this.listener?.outcome({ kind, requestId, payload });
    });
  }

  /** Calls back with the body, or `undefined` once it passes `limit` (the rest is discarded, not buffered). */
  private readBody(req: IncomingMessage, limit: number, done: (body: Buffer | undefined) => void): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => done(over ? undefined : Buffer.concat(chunks)));
    req.on('error', () => undefined);
  }
}

function sendInvocation(res: ServerResponse, request: InvocationRequest): void {
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(request.payload),
    'Lambda-Runtime-Aws-Request-Id': request.requestId,
    'Lambda-Runtime-Deadline-Ms': request.deadlineMs,
    'Lambda-Runtime-Invoked-Function-Arn': request.invokedFunctionArn,
    'Lambda-Runtime-Trace-Id': request.traceId,
  };
  if (request.clientContext) headers['Lambda-Runtime-Client-Context'] = request.clientContext;
  if (request.cognitoIdentity) headers['Lambda-Runtime-Cognito-Identity'] = request.cognitoIdentity;
  res.writeHead(200, headers);
  res.end(request.payload);
}

function reply(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** A runtime's error body as the invoke payload: kept when it is a JSON object, wrapped otherwise. */
function errorDocument(body: Buffer | undefined, errorType: string): string {
  const text = body?.toString('utf8') ?? '';
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return text;
  } catch {
    // Not JSON: fall through and wrap it.
  }
  return JSON.stringify({ errorMessage: text, errorType });
}
