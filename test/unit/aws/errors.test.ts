import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invalidSignature, missingAuthenticationToken, unrecognizedClient, withSignatureDetails } from '../../../src/aws/auth-errors.js';
import { AwsError, internalFailure, renderError } from '../../../src/aws/errors.js';

const requestId = '11111111-2222-4333-8444-555555555555';

test("REST-JSON (Lambda): x-amzn-ErrorType names the code, the body carries Type and the model's message member", () => {
  const notFound = new AwsError({
    code: 'ResourceNotFoundException',
    message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:f',
    status: 404,
    restType: 'User',
    messageKey: 'Message',
  });
  assert.deepEqual(renderError(notFound, 'rest-json', { requestId }), {
    status: 404,
    headers: { 'x-amzn-RequestId': requestId, 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'ResourceNotFoundException' },
    body: '{"Type":"User","Message":"Function not found: arn:aws:lambda:us-east-1:000000000000:function:f"}',
  });
  const conflict = new AwsError({ code: 'ResourceConflictException', message: 'busy', status: 409, restType: 'User' });
  assert.equal(renderError(conflict, 'rest-json', { requestId }).body, '{"Type":"User","message":"busy"}');
});

test('REST-JSON auth errors are a bare message, as Lambda sends them', () => {
  const rendered = renderError(missingAuthenticationToken('rest-json'), 'rest-json', { requestId });
  assert.equal(rendered.status, 403);
  assert.equal(rendered.headers['x-amzn-ErrorType'], 'MissingAuthenticationTokenException');
  assert.equal(rendered.body, '{"message":"Missing Authentication Token"}');
});

test('JSON (DynamoDB): __type is namespace#Code; auth errors use the coral namespace', () => {
  const opts = { requestId, jsonNamespace: 'com.amazonaws.dynamodb.v20120810' };
  const notFound = new AwsError({ code: 'ResourceNotFoundException', message: 'Requested resource not found', status: 400 });
  assert.deepEqual(renderError(notFound, 'json', opts), {
    status: 400,
    headers: { 'x-amzn-RequestId': requestId, 'Content-Type': 'application/x-amz-json-1.0' },
    body: '{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}',
  });
  assert.equal(
    renderError(unrecognizedClient(), 'json', opts).body,
    '{"__type":"com.amazon.coral.service#UnrecognizedClientException","message":"The security token included in the request is invalid."}',
  );
  const bare = new AwsError({ code: 'UnknownOperationException', message: '', status: 400, namespace: 'com.amazon.coral.service' });
  assert.equal(renderError(bare, 'json', { requestId, jsonContentType: 'application/x-amz-json-1.1' }).body, '{"__type":"com.amazon.coral.service#UnknownOperationException"}');
  const plain = new AwsError({ code: 'ThrottlingException', message: 'slow down', status: 400, namespace: '', fields: { Retry: 1 } });
  assert.equal(renderError(plain, 'json', opts).body, '{"__type":"ThrottlingException","message":"slow down","Retry":1}');
});

test('query (XML): ErrorResponse with Type, the query code, an escaped message and the request id', () => {
  const rendered = renderError(invalidSignature('a < b & "c"'), 'query', { requestId, queryXmlns: 'https://sts.amazonaws.com/doc/2011-06-15/' });
  assert.equal(rendered.status, 403);
  assert.equal(rendered.headers['Content-Type'], 'text/xml');
  assert.equal(
    rendered.body,
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>Sender</Type>\n' +
      '    <Code>SignatureDoesNotMatch</Code>\n    <Message>a &lt; b &amp; &quot;c&quot;</Message>\n  </Error>\n' +
      `  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
  );
});

test('internal failures: ServiceException for REST-JSON, InternalFailure otherwise, both 500 Receiver', () => {
  const rest = renderError(internalFailure('rest-json'), 'rest-json', { requestId });
  assert.equal(rest.status, 500);
  assert.equal(rest.headers['x-amzn-ErrorType'], 'ServiceException');
  assert.equal(rest.body, '{"Type":"Service","Message":"The request processing has failed because of an unknown error, exception or failure."}');
  const query = renderError(internalFailure('query'), 'query', { requestId });
  assert.match(query.body, /<Type>Receiver<\/Type>\n {4}<Code>InternalFailure<\/Code>/);
});

test('with() overrides fields and keeps the rest; signature details follow AWS layout', () => {
  const err = invalidSignature('mismatch').with({ status: 400 });
  assert.deepEqual([err.code, err.status, err.queryCode, err.namespace], ['InvalidSignatureException', 400, 'SignatureDoesNotMatch', 'com.amazon.coral.service']);
  assert.equal(
    withSignatureDetails(err, 'GET\n/', 'AWS4-HMAC-SHA256\nX').message,
    "mismatch\n\nThe Canonical String for this request should have been\n'GET\n/'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\nX'\n",
  );
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'InvalidSignatureException');
});
