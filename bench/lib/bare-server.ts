// The gateway benchmarks' baseline: a bare Node `http` server in its own process answering what the hello
// function answers through Portico — the same body and the same response headers (content-type,
// apigw-requestid with a 16-character id, Content-Length, plus Node's Date/Connection/Keep-Alive). It prints
// its URL as `Listening http://127.0.0.1:<port>`.
import { createServer } from 'node:http';
import { serveUntilTerminated } from './serve-until-term.js';

/** bench/apps/hello/src/app.mjs answers this body. */
const BODY = Buffer.from(JSON.stringify({ message: 'hello world' }));
let counter = 0;

const server = createServer((req, res) => {
  req.resume();
  const id = (++counter).toString(36).padStart(15, '0') + '=';
  res.writeHead(200, ['content-type', 'application/json', 'apigw-requestid', id, 'Content-Length', String(BODY.length)] as unknown as string[]);
  res.end(BODY);
});

serveUntilTerminated(server);
