import type { Socket } from 'node:net';
import type { ChannelListener, InvocationChannel, InvocationRequest } from './channel.js';
import { MAX_RESPONSE_BYTES } from './channel.js';

/** Lines longer than this are not a response we could accept; beyond it the runtime is misbehaving. */
const MAX_LINE_BYTES = 4 * MAX_RESPONSE_BYTES;

interface RuntimeMessage {
  readonly type?: unknown;
  readonly requestId?: unknown;
  readonly payload?: unknown;
  readonly error?: unknown;
  readonly stdout?: unknown;
  readonly stderr?: unknown;
  readonly maxRss?: unknown;
}

/**
 * Portico's private channel to its own runtime clients: newline-delimited JSON over the Unix socket on the
 * child's fd 3 (see runtimes/PROTOCOL.md). Also carries the stem-cell handshake (`ready`, `init`).
 */
export class PipeChannel implements InvocationChannel {
  listener: ChannelListener | undefined;
  private onReady: (() => void) | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => undefined);
  }

  /** Resolves when the stem cell has booted. */
  whenReady(): Promise<void> {
    return new Promise((resolve) => {
      this.onReady = resolve;
    });
  }

  specialise(init: Record<string, unknown>): void {
    this.send({ type: 'init', ...init });
  }

  /**
   * The `invoke` message, written by hand: a payload known to be valid JSON on one line is spliced in as `event`
   * (the runtime parses it with the message, and nothing escapes it here); any other goes as the string `payload`.
   */
  deliver(request: InvocationRequest): void {
    if (this.socket.destroyed) return;
    const { payload } = request;
    const event = request.payloadIsJson === true && payload.indexOf('\n') === -1 ? `,"event":${payload}` : `,"payload":${JSON.stringify(payload)}`;
    this.socket.write(
      `{"type":"invoke","requestId":${JSON.stringify(request.requestId)},"deadlineMs":${JSON.stringify(request.deadlineMs)}` +
        `,"invokedFunctionArn":${JSON.stringify(request.invokedFunctionArn)},"traceId":${JSON.stringify(request.traceId)}` +
        `,"clientContext":${JSON.stringify(request.clientContext)},"cognitoIdentity":${JSON.stringify(request.cognitoIdentity)}${event}}\n`,
    );
  }

  close(): void {
    this.socket.destroy();
  }

  private send(message: object): void {
    if (!this.socket.destroyed) this.socket.write(`${JSON.stringify(message)}\n`);
  }

  private receive(chunk: Buffer): void {
    let start = 0;
    let newline = chunk.indexOf(10);
    while (newline !== -1) {
      let line: string;
      if (this.pending.length === 0) {
        line = chunk.toString('utf8', start, newline);
      } else {
        this.pending.push(chunk.subarray(start, newline));
        line = Buffer.concat(this.pending).toString('utf8');
        this.pending = [];
        this.pendingBytes = 0;
      }
      this.handleLine(line);
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    if (start < chunk.length) this.buffer(chunk.subarray(start));
  }

  private buffer(rest: Buffer): void {
    this.pending.push(rest);
    this.pendingBytes += rest.length;
    if (this.pendingBytes > MAX_LINE_BYTES) {
      this.pending = [];
      this.pendingBytes = 0;
      this.listener?.broken('runtime sent an oversized message');
    }
  }

  private handleLine(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.listener?.broken('runtime sent a message that is not JSON');
      return;
    }
    // `null`, a number or an array is JSON too, and reading `.type` of null would throw out of the socket's handler.
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      this.listener?.broken('runtime sent a message that is not a JSON object');
      return;
    }
    this.dispatch(message as RuntimeMessage);
  }

  private dispatch(message: RuntimeMessage): void {
    const listener = this.listener;
    switch (message.type) {
      case 'ready':
        this.onReady?.();
        return;
      case 'initDone':
        listener?.initDone();
        return;
      case 'initError':
        listener?.initError(JSON.stringify(message.error ?? {}));
        return;
      case 'response':
      case 'error':
        this.dispatchOutcome(message, message.type);
        return;
      default:
        listener?.broken(`runtime sent an unknown message type ${JSON.stringify(message.type)}`);
    }
  }

  private dispatchOutcome(message: RuntimeMessage, kind: 'response' | 'error'): void {
    const requestId = String(message.requestId);
    const payload = kind === 'response' ? String(message.payload ?? 'null') : JSON.stringify(message.error ?? {});
    // A string takes at most 3 bytes of UTF-8 per UTF-16 unit: only a long one needs counting.
    if (kind === 'response' && payload.length * 3 > MAX_RESPONSE_BYTES && Buffer.byteLength(payload) > MAX_RESPONSE_BYTES) {
      this.listener?.outcome({ kind: 'too-large', requestId });
      return;
    }
    this.listener?.outcome({
      kind,
      requestId,
      payload,
      stdoutBytes: numberOr(message.stdout),
      stderrBytes: numberOr(message.stderr),
      maxRssBytes: numberOr(message.maxRss),
    });
  }
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
