import { DynamoDBClient, DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetFunctionCommand, InvokeCommand, LambdaClient, ListFunctionsCommand, ListLayersCommand } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { SIGNATURE_MISMATCH_MESSAGE } from '../../../src/aws/auth-errors.js';
import { DRAIN_SLACK_BYTES } from '../../../src/aws/endpoint.js';
import { INVOKE_LIMIT, startEndpoint, type TestEndpoint } from './dummy-services.js';
import { signRequest } from './signing.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let endpoint: TestEndpoint;

before(async () => {
  endpoint = await startEndpoint();
});
after(() => endpoint.close());

interface Keys {
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
}

function clientConfig(keys: Keys = {}) {
  return {
    endpoint: endpoint.url,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: keys.accessKeyId ?? 'test', secretAccessKey: keys.secretAccessKey ?? 'test', sessionToken: keys.sessionToken },
  };
}

const lambda = (keys?: Keys) => new LambdaClient(clientConfig(keys));
const dynamo = (keys?: Keys) => new DynamoDBClient(clientConfig(keys));

/** The rejection a promise settles with, so its fields can be asserted. */
async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number; requestId?: string } }> {
  try {
    await promise;
  } catch (err) {
    return err as never;
  }
  throw new assert.AssertionError({ message: 'expected the call to be rejected' });
}

async function signedFetch(path: string, init: { method?: string; body?: string } = {}) {
  const signed = await signRequest({ path, method: init.method ?? 'GET', body: init.body, host: `127.0.0.1:${endpoint.port}` });
  const headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== 'host'));
  return fetch(`${endpoint.url}${signed.url}`, { method: signed.method, headers, body: init.body });
}

test('the Lambda SDK lists functions through the front, signed with the dev pair', async () => {
  const before = endpoint.seen.length;
  const out = await lambda().send(new ListFunctionsCommand({}));
  assert.deepEqual(out.Functions, []);
  assert.equal(out.$metadata.httpStatusCode, 200);
  assert.equal(endpoint.seen.length, before + 1);
  const seen = endpoint.seen.at(-1);
  assert.deepEqual([seen?.accessKeyId, seen?.region], ['test', 'us-east-1']);
  assert.match(seen?.requestId ?? '', UUID);
});

test('an ARN in the path and a query with reserved characters reach the service decoded', async () => {
  const arn = 'arn:aws:lambda:us-east-1:000000000000:function:f1';
  const out = await lambda().send(new GetFunctionCommand({ FunctionName: arn, Qualifier: 'v 1+2/ä' }));
  assert.equal(out.Configuration?.FunctionName, arn);
  const seen = endpoint.seen.at(-1);
  assert.deepEqual(seen?.segments, ['2015-03-31', 'functions', arn]);
  assert.equal(new URLSearchParams(seen?.query).get('Qualifier'), 'v 1+2/ä');
});

test('a wrong secret is an InvalidSignatureException through the Lambda SDK, and the expected canonical request is logged', async () => {
  const warnings = endpoint.logs.warn.length;
  const err = await rejection(lambda({ secretAccessKey: 'wrong' }).send(new ListFunctionsCommand({})));
  assert.equal(err.name, 'InvalidSignatureException');
  assert.equal(err.message, SIGNATURE_MISMATCH_MESSAGE);
  assert.equal(err.$metadata.httpStatusCode, 403);
  assert.match(err.$metadata.requestId ?? '', UUID);
  assert.equal(endpoint.logs.warn.length, warnings + 1);
  assert.match(endpoint.logs.warn.at(-1) ?? '', /expected canonical request:\nGET\n\/2015-03-31\/functions\n/);
});

test('an unknown key is an UnrecognizedClientException through the Lambda SDK', async () => {
  const err = await rejection(lambda({ accessKeyId: 'AKIANOBODY' }).send(new ListFunctionsCommand({})));
  assert.deepEqual([err.name, err.message, err.$metadata.httpStatusCode], ['UnrecognizedClientException', 'The security token included in the request is invalid.', 403]);
});

test('minted session credentials work with their token and fail with another', async () => {
  const minted = endpoint.credentials.mintSessionCredentials();
  await lambda(minted).send(new ListFunctionsCommand({}));
  assert.equal(endpoint.seen.at(-1)?.accessKeyId, minted.accessKeyId);
  const err = await rejection(lambda({ ...minted, sessionToken: 'forged' }).send(new ListFunctionsCommand({})));
  assert.equal(err.name, 'UnrecognizedClientException');
});

test("a service's AwsError reaches the SDK as the modeled exception, with the request id", async () => {
  const err = await rejection(lambda().send(new GetFunctionCommand({ FunctionName: 'missing' })));
  assert.deepEqual([err.name, err.message, err.$metadata.httpStatusCode], ['ResourceNotFoundException', 'Function not found: missing', 404]);
  assert.equal(err.$metadata.requestId, endpoint.seen.at(-1)?.requestId);
});

test('a throwing handler becomes a 500 ServiceException, logged once, with no internals on the wire', async () => {
  const errors = endpoint.logs.error.length;
  const res = await signedFetch('/2015-03-31/functions/boom');
  assert.equal(res.status, 500);
  assert.equal(res.headers.get('x-amzn-errortype'), 'ServiceException');
  assert.match(res.headers.get('x-amzn-requestid') ?? '', UUID);
  const body = await res.text();
  assert.equal(body, '{"Type":"Service","Message":"The request processing has failed because of an unknown error, exception or failure."}');
  assert.equal(endpoint.logs.error.length, errors + 1);
  assert.match(endpoint.logs.error.at(-1) ?? '', /kaboom[\s\S]*at /);
  assert.ok(endpoint.logs.error.at(-1)?.includes(res.headers.get('x-amzn-requestid') ?? 'no id'));

  const sdkErr = await rejection(lambda().send(new GetFunctionCommand({ FunctionName: 'boom' })));
  assert.equal(sdkErr.name, 'ServiceException');
  assert.equal(sdkErr.$metadata.httpStatusCode, 500);
});

test('a handler that never answers is turned into a 500 as well', async () => {
  const res = await signedFetch('/2015-03-31/functions/silent');
  assert.equal(res.status, 500);
  assert.match(endpoint.logs.error.at(-1) ?? '', /returned without responding/);
});

test('an Invoke body over the limit is kept to limit+1 bytes, still verified, and its full length reported', async () => {
  const big = JSON.stringify({ data: 'x'.repeat(5000) });
  const out = await lambda().send(new InvokeCommand({ FunctionName: 'f', Payload: Buffer.from(big) }));
  assert.equal(out.StatusCode, 200);
  assert.deepEqual(endpoint.seen.at(-1), { ...endpoint.seen.at(-1), bodyLength: big.length, bodyKept: INVOKE_LIMIT + 1, bodyTruncated: true });
  await lambda().send(new InvokeCommand({ FunctionName: 'f', Payload: Buffer.from('{}') }));
  assert.deepEqual(endpoint.seen.at(-1), { ...endpoint.seen.at(-1), bodyLength: 2, bodyKept: 2, bodyTruncated: false });
});

test('a body declared far past the limit is refused with 413 before it is read', async () => {
  const declared = INVOKE_LIMIT + 1 + DRAIN_SLACK_BYTES + 1;
  const response = await new Promise<{ status?: number; body: string; connection?: string }>((resolve, reject) => {
    const req = request(`${endpoint.url}/2015-03-31/functions/f/invocations`, { method: 'POST', headers: { 'content-length': declared } });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode, body, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.flushHeaders();
  });
  assert.equal(response.status, 413);
  assert.equal(response.connection, 'close');
  assert.equal(response.body, `{"Type":"User","message":"Request must be smaller than ${INVOKE_LIMIT} bytes"}`);
});

test('a client that disconnects mid-body is dropped quietly and the endpoint keeps serving', async () => {
  const errors = endpoint.logs.error.length;
  await new Promise<void>((resolve) => {
    const req = request(`${endpoint.url}/2015-03-31/functions/f/invocations`, { method: 'POST', headers: { 'content-length': 100 } });
    req.on('error', () => resolve());
    req.write('{"partial":', () => setTimeout(() => req.destroy(), 20));
  });
  const out = await lambda().send(new ListFunctionsCommand({}));
  assert.deepEqual(out.Functions, []);
  assert.equal(endpoint.logs.error.length, errors);
});

test('the DynamoDB SDK works through the same port, and its auth errors are 400s in the JSON shape', async () => {
  const out = await dynamo().send(new ListTablesCommand({}));
  assert.deepEqual(out.TableNames, []);
  const err = await rejection(dynamo({ secretAccessKey: 'wrong' }).send(new ListTablesCommand({})));
  assert.deepEqual([err.name, err.$metadata.httpStatusCode], ['InvalidSignatureException', 400]);
  const missing = await rejection(dynamo().send(new DescribeTableCommand({ TableName: 't' })));
  assert.deepEqual([missing.name, missing.message], ['ResourceNotFoundException', 'Requested resource not found']);
});

test('unsigned requests get the missing-token error in the matched service format', async () => {
  const rest = await fetch(`${endpoint.url}/2015-03-31/functions`);
  assert.equal(rest.status, 403);
  assert.equal(rest.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
  assert.equal(await rest.text(), '{"message":"Missing Authentication Token"}');
  const json = await fetch(endpoint.url, { method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables' }, body: '{}' });
  assert.equal(json.status, 400);
  assert.equal(await json.text(), '{"__type":"com.amazon.coral.service#MissingAuthenticationTokenException","message":"Request is missing Authentication Token"}');
});

test('unknown routes: JSON targets get UnknownOperationException 400, other paths a 404 the SDKs can name', async () => {
  const json = await fetch(endpoint.url, { method: 'POST', headers: { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
  assert.equal(json.status, 400);
  assert.match(json.headers.get('x-amzn-requestid') ?? '', UUID);
  assert.deepEqual(await json.json(), {
    __type: 'com.amazon.coral.service#UnknownOperationException',
    message: "Portico does not implement the operation 'AmazonSQS.ListQueues'",
  });
  const rest = await fetch(`${endpoint.url}/nope`);
  assert.equal(rest.status, 404);
  assert.match(rest.headers.get('x-amzn-requestid') ?? '', UUID);
  assert.equal(rest.headers.get('x-amzn-errortype'), 'UnknownOperationException');
  assert.equal(await rest.text(), '{"message":"Portico does not implement GET /nope"}');
  const sdk = await rejection(lambda().send(new ListLayersCommand({})));
  assert.deepEqual([sdk.name, sdk.message, sdk.$metadata.httpStatusCode], ['UnknownOperationException', 'Portico does not implement GET /2018-10-31/layers', 404]);
});
