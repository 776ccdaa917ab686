/**
 * Portico's private control channel: NDJSON over the Unix socket on fd 3 (PROTOCOL.md). It carries the stem-cell
 * handshake (ready, init, initDone/initError) in every mode, and the invocations themselves in `pipe` mode.
 *
 * The socket keeps the process alive only while the runtime waits for work. While an invocation runs it is unref'd,
 * so that the event loop can drain and 'beforeExit' can implement callbackWaitsForEmptyEventLoop (see runtime.ts).
 */
import { Socket } from 'node:net';
import { outputStats } from './console.js';
import type { ErrorDocument, InitMessage, Invocation, Transport } from './transport.js';

interface InvokeMessage extends Invocation {
  readonly type: 'invoke';
}

type Incoming = InitMessage | InvokeMessage | { readonly type?: unknown };

export class PipeChannel implements Transport {
  private readonly socket: Socket;
  private buffered = '';
  private readonly invocations: Invocation[] = [];
  private waitingInvoke: ((invocation: Invocation) => void) | undefined;
  private init: InitMessage | undefined;
  private waitingInit: ((message: InitMessage) => void) | undefined;

  /** Opens fd 3. Portico closing its end means the environment must go: exit at once. */
  constructor(fd = 3) {
    this.socket = new Socket({ fd, readable: true, writable: true });
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => this.receive(chunk));
    const leave = () => process.exit(0);
    this.socket.on('end', leave);
    this.socket.on('close', leave);
    this.socket.on('error', leave);
  }

  send(message: object): Promise<void> {
    return new Promise((resolve) => {
      this.socket.write(JSON.stringify(message) + '\n', () => resolve());
    });
  }

  waitForInit(): Promise<InitMessage> {
    if (this.init) return Promise.resolve(this.init);
    return new Promise((resolve) => (this.waitingInit = resolve));
  }

  /** In http mode the Runtime API carries invocations; fd 3 must then never hold the process open on its own. */
  release(): void {
    this.socket.unref();
  }

  next(): Promise<Invocation> {
    const queued = this.invocations.shift();
    if (queued) return Promise.resolve(this.running(queued));
    this.socket.ref();
    return new Promise((resolve) => {
      this.waitingInvoke = (invocation) => resolve(this.running(invocation));
    });
  }

  respond(requestId: string, body: string): Promise<void> {
    return this.send({ type: 'response', requestId, payload: body, ...outputStats() });
  }

  fail(requestId: string, error: ErrorDocument): Promise<void> {
    return this.send({ type: 'error', requestId, error, ...outputStats() });
  }

  private running(invocation: Invocation): Invocation {
    this.socket.unref();
    return invocation;
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    let newline: number;
    while ((newline = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      if (line.trim()) this.dispatch(line);
    }
  }

  private dispatch(line: string): void {
    let message: Incoming;
    try {
      message = JSON.parse(line) as Incoming;
    } catch {
      return; // not ours to answer: Portico never sends malformed lines
    }
    if (message.type === 'init') this.receiveInit(message as InitMessage);
    else if (message.type === 'invoke') this.receiveInvoke(message as InvokeMessage);
  }

  private receiveInit(message: InitMessage): void {
    if (this.init) return; // a stem cell is specialised once
    this.init = message;
    this.waitingInit?.(message);
    this.waitingInit = undefined;
  }

  private receiveInvoke(message: InvokeMessage): void {
    const { type: _type, ...invocation } = message;
    const waiting = this.waitingInvoke;
    this.waitingInvoke = undefined;
    if (waiting) waiting(invocation);
    else this.invocations.push(invocation);
  }
}
