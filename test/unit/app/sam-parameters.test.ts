import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParameters } from '../../../src/app/sam/parameters.js';
import { assertTemplateError, loadTemplate, samTemplate } from './sam-helpers.js';

const withParams = (params: string): string =>
  samTemplate(
    `  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs20.x
      Environment:
        Variables:
          VALUE: !Join [',', [!Join ['+', !Ref List], !Ref Text]]
`,
    `Parameters:\n${params}`,
  );

const params = `  Text:
    Type: String
    Default: hello
  List:
    Type: CommaDelimitedList
    Default: a,b
`;

test('parameters: Default used, override wins, lists split on commas', async () => {
  const defaults = await loadTemplate(withParams(params));
  assert.equal(defaults.functions[0]!.environment.VALUE, 'a+b,hello');
  const overridden = await loadTemplate(withParams(params), { parameterOverrides: { Text: 'bye', List: 'x,y,z' } });
  assert.equal(overridden.functions[0]!.environment.VALUE, 'x+y+z,bye');
});

test('parameters: a missing value with no Default names the parameter', async () => {
  const template = withParams(`  Text:\n    Type: String\n  List:\n    Type: CommaDelimitedList\n    Default: a\n`);
  await assertTemplateError(loadTemplate(template), 'Parameters.Text', /no value/);
  const ok = await loadTemplate(template, { parameterOverrides: { Text: 'given' } });
  assert.equal(ok.functions[0]!.environment.VALUE, 'a,given');
});

test('parameters: AllowedValues are enforced for defaults and overrides', async () => {
  const template = withParams(`${params}  Stage:\n    Type: String\n    Default: dev\n    AllowedValues: [dev, prod]\n`);
  await loadTemplate(template, { parameterOverrides: { Stage: 'prod' } });
  await assertTemplateError(loadTemplate(template, { parameterOverrides: { Stage: 'qa' } }), 'Parameters.Stage', '"qa"', 'dev, prod');
  const badDefault = withParams(`${params}  Stage:\n    Type: String\n    Default: qa\n    AllowedValues: [dev, prod]\n`);
  await assertTemplateError(loadTemplate(badDefault), 'Parameters.Stage');
});

test('parameters: Number, List<Number>, pattern and length constraints', () => {
  const spec = {
    Count: { Type: 'Number', Default: 5, MinValue: 1, MaxValue: 10 },
    Ports: { Type: 'List<Number>', Default: '80,443' },
    Name: { Type: 'String', Default: 'abc', AllowedPattern: '[a-z]+', MinLength: 2, MaxLength: 5, ConstraintDescription: 'lower-case letters' },
  };
  const { values } = resolveParameters(spec, {});
  assert.equal(values.get('Count'), '5', 'a YAML number Default becomes text');
  assert.deepEqual(values.get('Ports'), ['80', '443']);
  assert.throws(() => resolveParameters(spec, { Count: 'many' }), /Parameters\.Count: "many" is not a number/);
  assert.throws(() => resolveParameters(spec, { Count: '11' }), /Parameters\.Count: 11 is above MaxValue 10/);
  assert.throws(() => resolveParameters(spec, { Ports: '80,http' }), /Parameters\.Ports: "http" is not a number/);
  assert.throws(() => resolveParameters(spec, { Name: 'ABC' }), /Parameters\.Name: .*AllowedPattern.*\(lower-case letters\)/);
  assert.throws(() => resolveParameters(spec, { Name: 'a' }), /MinLength 2/);
  assert.throws(() => resolveParameters(spec, { Name: 'abcdefg' }), /MaxLength 5/);
});

test('parameters: SSM and AWS-specific types; unknown types rejected; unknown overrides warned', () => {
  const { values, warnings } = resolveParameters(
    {
      Secret: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/app/secret' },
      Zones: { Type: 'AWS::SSM::Parameter::Value<List<String>>', Default: 'a,b' },
      Vpc: { Type: 'AWS::EC2::VPC::Id', Default: 'vpc-1' },
      Subnets: { Type: 'List<AWS::EC2::Subnet::Id>', Default: 'subnet-1,subnet-2' },
    },
    { Nope: 'x' },
  );
  assert.equal(values.get('Secret'), '/app/secret');
  assert.deepEqual(values.get('Zones'), ['a', 'b']);
  assert.equal(values.get('Vpc'), 'vpc-1');
  assert.deepEqual(values.get('Subnets'), ['subnet-1', 'subnet-2']);
  assert.ok(warnings.some((w) => w.includes('Secret') && w.includes('SSM')));
  assert.ok(warnings.some((w) => w.includes('Nope')));
  assert.throws(() => resolveParameters({ X: { Type: 'Strin', Default: 'a' } }, {}), /Parameters\.X\.Type: unsupported parameter Type "Strin"/);
  assert.throws(() => resolveParameters({ X: { Default: 'a' } }, {}), /Parameters\.X: Type is required/);
});
