// Baseline of the cache-hit measurement (11): a bare Node `http` server in its own process answering exactly what
// Portico answered for the cached route — the same status, the same header names in the same order and the same body
// — given as a JSON file (argv[2]: {"status": 200, "headers": [[name, value], …], "body": "…"}). Per-request id
// headers (request id, apigw id, trace id) get a fresh value of the same length on every answer, as Portico's do.
// Node adds Date, Connection and Keep-Alive itself, as it does for Portico. Prints `Listening http://127.0.0.1:<port>`.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { serveUntilTerminated } from './serve-until-term.js';

interface Answer {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
}

const answer = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Answer;
const BODY = Buffer.from(answer.body);
const PER_REQUEST = /^(x-amzn-requestid|x-amz-apigw-id|x-amzn-trace-id|apigw-requestid)$/i;
/** Names and values, flat, with the per-request ones marked by their index and length. */
const flat: string[] = [];
const varying: Array<{ index: number; length: number }> = [];
for (const [name, value] of answer.headers) {
  if (/^(date|connection|keep-alive|transfer-encoding)$/i.test(name)) continue;
  if (PER_REQUEST.test(name)) varying.push({ index: flat.length + 1, length: value.length });
  flat.push(name, name.toLowerCase() === 'content-length' ? String(BODY.length) : value);
}
let counter = 0;

const server = createServer((req, res) => {
  req.resume();
  const id = (++counter).toString(36);
  const headers = flat.slice();
  for (const { index, length } of varying) headers[index] = id.padStart(length, '0');
  res.writeHead(answer.status, headers as unknown as string[]);
  res.end(BODY);
});

serveUntilTerminated(server);
