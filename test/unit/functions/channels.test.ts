import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import type { ChannelListener, RuntimeOutcome } from '../../../src/functions/channels/channel.js';
import { PipeChannel } from '../../../src/functions/channels/pipe-channel.js';
import { RuntimeApiServer } from '../../../src/functions/channels/runtime-api-server.js';

function recordingListener() {
  const seen: { broken: string[]; outcomes: RuntimeOutcome[] } = { broken: [], outcomes: [] };
  const listener: ChannelListener = {
    initDone: () => undefined,
    initError: () => undefined,
    outcome: (outcome) => seen.outcomes.push(outcome),
    broken: (detail) => seen.broken.push(detail),
  };
  return { seen, listener };
}

test('pipe channel: a JSON line that is not an object breaks the environment instead of throwing', () => {
  const socket = new PassThrough();
  const channel = new PipeChannel(socket as unknown as Socket);
  const { seen, listener } = recordingListener();
  channel.listener = listener;
  for (const line of ['null', '42', '"text"', '[1]']) {
    assert.doesNotThrow(() => socket.emit('data', Buffer.from(`${line}\n`)));
  }
  assert.equal(seen.broken.length, 4);
  assert.match(seen.broken[0]!, /not a JSON object/);
  socket.emit('data', Buffer.from('{"type":"response","requestId":"r1","payload":"1"}\n'));
  assert.equal(seen.outcomes.length, 1);
  assert.equal(seen.outcomes[0]!.requestId, 'r1');
});

test('pipe channel: an invoke carries a payload known to be JSON as the value `event`, any other as the string `payload`', () => {
  const socket = new PassThrough();
  const channel = new PipeChannel(socket as unknown as Socket);
  const written: string[] = [];
  socket.on('data', (chunk: Buffer) => written.push(chunk.toString('utf8')));
  const request = {
    requestId: 'r1',
    deadlineMs: 1_700_000_000_000,
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
    traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0',
    clientContext: '{"custom":{"a":"b"}}',
    cognitoIdentity: null,
  };
  channel.deliver({ ...request, payload: '{"a":"\\"x\\"","b":[1]}', payloadIsJson: true });
  channel.deliver({ ...request, payload: '{\n"a": 1}', payloadIsJson: true });
  channel.deliver({ ...request, payload: '"text"' });
  const lines = written.join('').split('\n');
  assert.equal(lines.length, 4);
  const [spliced, multiline, plain] = lines.slice(0, 3).map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual(spliced, { type: 'invoke', ...request, event: { a: '"x"', b: [1] } });
  assert.deepEqual(multiline, { type: 'invoke', ...request, payload: '{\n"a": 1}' });
  assert.deepEqual(plain, { type: 'invoke', ...request, payload: '"text"' });
});

function post(address: string, path: string): Promise<{ status: number; body: string }> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), path, method: 'POST' }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

test('runtime API: a malformed percent-escape in a result URL is answered 400, not thrown out of the server', async () => {
  const api = new RuntimeApiServer();
  const address = await api.listen();
  try {
    const { seen, listener } = recordingListener();
    api.listener = listener;
    const answer = await post(address, '/2018-06-01/runtime/invocation/%E0%A4%A/response');
    assert.equal(answer.status, 400);
    assert.equal(JSON.parse(answer.body).errorType, 'InvalidRequestID');
    assert.equal(seen.outcomes.length, 0);
  } finally {
    api.close();
  }
});
