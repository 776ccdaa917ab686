// Reading a request body with bounded memory. The whole body is hashed (the
// signature covers all of it) and counted (a service reports the real size in
// its "too large" error), but only the first limit+1 bytes are kept: one byte
// past the limit is enough for the service to know it was exceeded.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface ReadBody {
  kind: 'complete';
  /** At most `maxBytes + 1` bytes: the start of the body. */
  body: Buffer;
  /** Bytes received in total. */
  length: number;
  /** True when `length > body.length` (the body went past the limit). */
  truncated: boolean;
  sha256: string;
}

/** The sender kept going past `drainBytes`: we stopped reading and the connection must close. */
export interface AbandonedBody {
  kind: 'abandoned';
  length: number;
}

/** The client went away before sending its whole body: nothing to answer, nothing to log. */
export class ClientAbortedError extends Error {
  constructor() {
    super('request closed before its body was complete');
    this.name = 'ClientAbortedError';
  }
}

export function readBody(req: IncomingMessage, maxBytes: number, drainBytes: number): Promise<ReadBody | AbandonedBody> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let kept = 0;
    let length = 0;
    let settled = false;

    const finish = (result: ReadBody | AbandonedBody | Error) => {
      if (settled) return;
      settled = true;
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length > drainBytes) {
        req.pause();
        finish({ kind: 'abandoned', length });
        return;
      }
      hash.update(chunk);
      const room = maxBytes + 1 - kept;
      if (room > 0) {
        const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
        chunks.push(piece);
        kept += piece.length;
      }
    };
    const onEnd = () => {
      const body = Buffer.concat(chunks, kept);
      finish({ kind: 'complete', body, length, truncated: length > body.length, sha256: hash.digest('hex') });
    };
    // An error or a 'close' before 'end' both mean the client went away mid-body.
    const onError = () => finish(new ClientAbortedError());
    const onClose = () => finish(new ClientAbortedError());

    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/** Content-Length when it is present and well-formed. */
export function declaredLength(req: IncomingMessage): number | undefined {
  const value = req.headers['content-length'];
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}
