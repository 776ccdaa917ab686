import { Agent, request } from 'node:http';

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly rawHeaderCount: number;
  /** Header lines as received, in order: [name, value, name, value …]. */
  readonly rawHeaders: readonly string[];
  readonly body: string;
  /** Client-side latency, from issuing the request to the end of the body. */
  readonly ms: number;
}

/** One keep-alive connection: sequential requests reuse it. */
export function keepAliveAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 1 });
}

/** A fresh connection per request, any number in parallel. */
export function parallelAgent(): Agent {
  return new Agent({ keepAlive: false, maxSockets: Infinity });
}

export function get(url: string, agent: Agent | false = false, timeoutMs = 30_000, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { agent, timeout: timeoutMs, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaderCount: res.rawHeaders.length / 2,
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks).toString(),
          ms: performance.now() - started,
        }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
