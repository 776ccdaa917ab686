// The benchmark's hello handler: a fixed small JSON body, no logging, no I/O. bench/lib/bare-server.ts answers
// the same bytes; keep the two in step (BODY there).
const body = JSON.stringify({ message: 'hello world' });

export const handler = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body,
});
