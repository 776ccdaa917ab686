import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSamApp } from '../../../src/app/sam/load.js';
import { physicalName } from '../../../src/app/sam/naming.js';
import { runtimeNotices } from '../../../src/app/sam/runtime.js';
import type { FunctionSpec } from '../../../src/app/model.js';
import { assertTemplateError, findFunction, loadTemplate, samTemplate, tempApp } from './sam-helpers.js';

/** A template with one function `HelloFunction` whose Properties are the given YAML lines (6-space indent). */
const oneFunction = (properties: string, extra = ''): string =>
  samTemplate(`  HelloFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n${properties}${extra}`);

const node = '      CodeUri: src/\n      Handler: app.handler\n      Runtime: nodejs20.x\n';

test('functions: Lambda defaults (timeout 3, memory 128, x86_64, no reserved concurrency)', async () => {
  const fn = findFunction(await loadTemplate(oneFunction(node)), 'HelloFunction');
  assert.equal(fn.timeout, 3);
  assert.equal(fn.memorySize, 128);
  assert.deepEqual(fn.architectures, ['x86_64']);
  assert.equal(fn.reservedConcurrency, undefined);
  assert.equal(fn.description, '');
  assert.deepEqual(fn.environment, {});
});

test('functions: Timeout and MemorySize limits', async () => {
  await assertTemplateError(
    loadTemplate(oneFunction(`${node}      Timeout: 0\n`)),
    /^Resources\.HelloFunction\.Properties\.Timeout: must be between 1 and 900, got 0$/,
  );
  await assertTemplateError(loadTemplate(oneFunction(`${node}      Timeout: 901\n`)), 'Properties.Timeout', '901');
  await assertTemplateError(loadTemplate(oneFunction(`${node}      Timeout: 2.5\n`)), 'Properties.Timeout', 'whole number');
  await assertTemplateError(loadTemplate(oneFunction(`${node}      MemorySize: 64\n`)), 'Resources.HelloFunction.Properties.MemorySize: must be between 128 and 10240, got 64');
  await assertTemplateError(loadTemplate(oneFunction(`${node}      MemorySize: 10241\n`)), 'Properties.MemorySize');
  const edge = findFunction(await loadTemplate(oneFunction(`${node}      Timeout: 900\n      MemorySize: 10240\n`)), 'HelloFunction');
  assert.deepEqual([edge.timeout, edge.memorySize], [900, 10240]);
});

test('functions: runtime families, and an unknown runtime names resource and property', async () => {
  const runtime = async (r: string, handler = '      Handler: app.handler\n'): Promise<FunctionSpec> =>
    findFunction(await loadTemplate(oneFunction(`      CodeUri: src/\n${handler}      Runtime: ${r}\n`)), 'HelloFunction');
  assert.equal((await runtime('nodejs22.x')).family, 'node');
  assert.equal((await runtime('python3.9')).family, 'python');
  const custom = await runtime('provided.al2023', '');
  assert.deepEqual([custom.family, custom.handler], ['provided', undefined]);
  await assertTemplateError(runtime('java21'), 'Resources.HelloFunction.Properties.Runtime', '"java21"');
  await assertTemplateError(runtime('nodejs20.x', ''), 'Resources.HelloFunction.Properties.Handler');
});

test('functions: CodeUri must be a local folder', async () => {
  await assertTemplateError(
    loadTemplate(oneFunction('      CodeUri:\n        Bucket: my-bucket\n        Key: code.zip\n      Handler: app.handler\n      Runtime: nodejs20.x\n')),
    'Resources.HelloFunction.Properties.CodeUri',
    'not supported',
  );
  await assertTemplateError(loadTemplate(oneFunction('      CodeUri: s3://bucket/code.zip\n      Handler: a.b\n      Runtime: nodejs20.x\n')), 'Properties.CodeUri');
  await assertTemplateError(loadTemplate(oneFunction('      CodeUri: missing/\n      Handler: a.b\n      Runtime: nodejs20.x\n')), 'Properties.CodeUri', 'does not exist');
  const noCodeUri = await loadTemplate(oneFunction('      Handler: app.handler\n      Runtime: nodejs20.x\n'));
  assert.equal(findFunction(noCodeUri, 'HelloFunction').codeDir, noCodeUri.appDir, 'SAM CLI uses the template folder');
});

test('functions: InlineCode is written as the Handler module under .portico/inline/<id>/', async () => {
  const code = 'def handler(event, context):\n    return {"statusCode": 200}\n';
  const template = oneFunction(`      Handler: index.handler\n      Runtime: python3.12\n      InlineCode: |\n        def handler(event, context):\n            return {"statusCode": 200}\n`);
  const dir = await tempApp({ 'template.yaml': template });
  const fn = findFunction(await loadSamApp(dir, {}), 'HelloFunction');
  assert.equal(fn.codeDir, join(dir, '.portico', 'inline', 'HelloFunction'));
  assert.equal(await readFile(join(fn.codeDir, 'index.py'), 'utf8'), code);
  const again = findFunction(await loadSamApp(dir, {}), 'HelloFunction');
  assert.equal(again.codeDir, fn.codeDir);
  await assertTemplateError(loadTemplate(oneFunction(`${node}      InlineCode: x\n`)), 'InlineCode', 'not both');
});

test('functions: plain AWS::Lambda::Function with Code.ZipFile or a local Code path', async () => {
  const template = samTemplate(`  Plain:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: plain-fn
      Handler: index.handler
      Runtime: nodejs20.x
      Role: arn:aws:iam::123456789012:role/x
      Timeout: 15
      Environment:
        Variables:
          ENABLED: true
      Code:
        ZipFile: |
          exports.handler = async () => 'zip';
  FromFolder:
    Type: AWS::Lambda::Function
    Properties:
      Handler: app.handler
      Runtime: python3.11
      Role: arn:aws:iam::123456789012:role/x
      Code: src/
  InS3:
    Type: AWS::Lambda::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs20.x
      Role: arn:aws:iam::123456789012:role/x
      Code:
        S3Bucket: bucket
        S3Key: key.zip
`);
  const dir = await tempApp({ 'template.yaml': template, 'src/app.py': 'def handler(e, c): return 1\n' });
  const model = await loadSamApp(dir, {});
  const plain = findFunction(model, 'Plain');
  assert.deepEqual([plain.name, plain.timeout, plain.environment.ENABLED], ['plain-fn', 15, 'true']);
  assert.equal(await readFile(join(plain.codeDir, 'index.js'), 'utf8'), "exports.handler = async () => 'zip';\n");
  assert.equal(findFunction(model, 'FromFolder').codeDir, join(dir, 'src'));
  assert.ok(!model.functions.some((f) => f.logicalId === 'InS3'));
  assert.ok(model.warnings.some((w) => w.startsWith('InS3:')));
});

test('functions: image functions are skipped with a warning', async () => {
  const model = await loadTemplate(oneFunction('      PackageType: Image\n      ImageUri: repo/image:latest\n'));
  assert.deepEqual(model.functions, []);
  assert.ok(model.warnings.some((w) => w.includes('HelloFunction') && w.includes('Image')));
});

test('functions: FunctionName, Description, Architectures and environment values', async () => {
  const fn = findFunction(
    await loadTemplate(
      oneFunction(`${node}      FunctionName: my-name\n      Description: hi\n      Architectures: [arm64]\n      Environment:\n        Variables:\n          FLAG: false\n          N: 1.50\n`),
    ),
    'HelloFunction',
  );
  assert.equal(fn.name, 'my-name');
  assert.equal(fn.arn, 'arn:aws:lambda:us-east-1:123456789012:function:my-name');
  assert.equal(fn.description, 'hi');
  assert.deepEqual(fn.architectures, ['arm64']);
  assert.deepEqual(fn.environment, { FLAG: 'false', N: '1.50' });
  await assertTemplateError(loadTemplate(oneFunction(`${node}      Architectures: [sparc]\n`)), 'Properties.Architectures');
});

test('functions: generated physical names stay within 64 characters', () => {
  const name = physicalName('a-very-long-stack-name-that-goes-on-and-on-forever', 'AnEvenLongerLogicalIdForTheFunctionResource');
  assert.ok(name.length <= 64, name);
  assert.match(name, /^a-very-long.*-AnEvenLonger.*-[A-Z0-9]{12}$/);
  assert.equal(physicalName('s', 'Fn'), physicalName('s', 'Fn'));
  assert.notEqual(physicalName('s', 'Fn'), physicalName('s', 'Fn2'));
});

test('functions: one notice per Node runtime whose major differs from the host', () => {
  const fn = (logicalId: string, runtime: string) => ({ logicalId, runtime, family: runtime.startsWith('node') ? 'node' : 'python' }) as FunctionSpec;
  const notices = runtimeNotices([fn('A', 'nodejs22.x'), fn('B', 'nodejs22.x'), fn('C', 'nodejs20.x'), fn('D', 'python3.9')], '20.11.0');
  assert.deepEqual(notices, ["A, B declare nodejs22.x; Portico runs them on this machine's Node 20.11.0"]);
});
