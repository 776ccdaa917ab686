// The AWS CLI v1 and boto3 sign with botocore, a second independent SigV4
// implementation (its own path and query encoding): both must verify.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { startEndpoint, type TestEndpoint } from './dummy-services.js';

const run = promisify(execFile);
const hasAwsCli = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
const hasBoto3 = spawnSync('python3', ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0;

let endpoint: TestEndpoint;
before(async () => {
  endpoint = await startEndpoint();
});
after(() => endpoint.close());

/** The caller's environment minus anything that could point the clients elsewhere. */
function clientEnv(secret = 'test', extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: secret,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent/portico-aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/portico-aws-credentials',
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
    ...extra,
  };
}

async function aws(args: string[], secret?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('aws', ['--endpoint-url', endpoint.url, '--output', 'json', ...args], { env: clientEnv(secret) });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

test('AWS CLI v1: lambda list-functions verifies with the dev pair', { skip: !hasAwsCli && 'aws CLI not installed' }, async () => {
  const result = await aws(['lambda', 'list-functions']);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), { Functions: [] });
  assert.equal(endpoint.seen.at(-1)?.accessKeyId, 'test');
});

test('AWS CLI v1: an ARN and an awkward qualifier verify; DynamoDB works on the same port', { skip: !hasAwsCli && 'aws CLI not installed' }, async () => {
  const arn = 'arn:aws:lambda:us-east-1:000000000000:function:f1';
  const result = await aws(['lambda', 'get-function', '--function-name', arn, '--qualifier', 'v 1+2/ä']);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(endpoint.seen.at(-1)?.segments, ['2015-03-31', 'functions', arn]);
  assert.equal(new URLSearchParams(endpoint.seen.at(-1)?.query).get('Qualifier'), 'v 1+2/ä');
  const tables = await aws(['dynamodb', 'list-tables']);
  assert.equal(tables.code, 0, tables.stderr);
  assert.deepEqual(JSON.parse(tables.stdout), { TableNames: [] });
});

test('AWS CLI v1: a wrong secret is reported as InvalidSignatureException', { skip: !hasAwsCli && 'aws CLI not installed' }, async () => {
  const result = await aws(['lambda', 'list-functions'], 'wrong-secret');
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /An error occurred \(InvalidSignatureException\) when calling the ListFunctions operation: The request signature we calculated does not match/);
});

const BOTO3_SCRIPT = `
import boto3, json, sys
from botocore.config import Config
from botocore.exceptions import ClientError
url, key, secret, token, call = sys.argv[1:6]
def client(name):
    return boto3.client(name, endpoint_url=url, region_name='us-east-1', aws_access_key_id=key,
                        aws_secret_access_key=secret, aws_session_token=token or None,
                        config=Config(retries={'max_attempts': 0}))
calls = {
    'list': lambda: client('lambda').list_functions(),
    'get': lambda: client('lambda').get_function(FunctionName='arn:aws:lambda:us-east-1:000000000000:function:f1', Qualifier='v 1+2/ä'),
    'tables': lambda: client('dynamodb').list_tables(),
}
try:
    out = calls[call]()
    out.pop('ResponseMetadata', None)
    print(json.dumps({'ok': True, 'out': out}, default=str))
except ClientError as e:
    print(json.dumps({'ok': False, 'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'],
                      'status': e.response['ResponseMetadata']['HTTPStatusCode']}))
`;

async function boto3(call: string, keys: { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string } = {}) {
  const args = ['-c', BOTO3_SCRIPT, endpoint.url, keys.accessKeyId ?? 'test', keys.secretAccessKey ?? 'test', keys.sessionToken ?? '', call];
  const { stdout } = await run('python3', args, { env: clientEnv() });
  return JSON.parse(stdout) as { ok: boolean; out?: Record<string, unknown>; code?: string; message?: string; status?: number };
}

test('boto3: list_functions, get_function with an ARN and list_tables verify', { skip: !hasBoto3 && 'boto3 not installed' }, async () => {
  assert.deepEqual(await boto3('list'), { ok: true, out: { Functions: [] } });
  const got = await boto3('get');
  assert.equal(got.ok, true, JSON.stringify(got));
  assert.equal(new URLSearchParams(endpoint.seen.at(-1)?.query).get('Qualifier'), 'v 1+2/ä');
  assert.deepEqual(await boto3('tables'), { ok: true, out: { TableNames: [] } });
});

test('boto3: wrong secret, unknown key and forged session token are refused as AWS refuses them', { skip: !hasBoto3 && 'boto3 not installed' }, async () => {
  assert.deepEqual(await boto3('list', { secretAccessKey: 'wrong' }), {
    ok: false,
    code: 'InvalidSignatureException',
    message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    status: 403,
  });
  const dynamo = await boto3('tables', { secretAccessKey: 'wrong' });
  assert.deepEqual([dynamo.code, dynamo.status], ['InvalidSignatureException', 400]);
  assert.deepEqual((await boto3('list', { accessKeyId: 'AKIANOBODY' })).code, 'UnrecognizedClientException');
  const minted = endpoint.credentials.mintSessionCredentials();
  assert.equal((await boto3('list', minted)).ok, true);
  assert.equal(endpoint.seen.at(-1)?.accessKeyId, minted.accessKeyId);
  assert.equal((await boto3('list', { ...minted, sessionToken: 'forged' })).code, 'UnrecognizedClientException');
});
