import { test } from 'node:test';
import { loadSamApp } from '../../../src/app/sam/load.js';
import { assertTemplateError, loadTemplate, samTemplate, tempApp } from './sam-helpers.js';

const fn = (extra = '', name = 'HelloFunction'): string =>
  `  ${name}:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: app.handler\n      Runtime: nodejs20.x\n${extra}`;

test('errors: invalid YAML reports the line', async () => {
  await assertTemplateError(loadTemplate('Resources:\n  Fn:\n    Type: [unclosed\n'), 'template.yaml', /line \d+/);
  await assertTemplateError(loadTemplate('Resources:\n  Fn:\n    Type: !Bogus x\n'), 'template.yaml', 'line 3', '!Bogus');
  await assertTemplateError(loadTemplate('Resources:\n  A: {Type: X}\n  A: {Type: Y}\n'), 'line 3');
});

test('errors: invalid JSON template reports the line', async () => {
  const dir = await tempApp({ 'template.json': '{\n  "Resources": {\n    "A": { "Type": "X" },\n  }\n}\n' });
  await assertTemplateError(loadSamApp(dir, {}), 'template.json', 'invalid JSON', /line 4/);
});

test('errors: Ref to a missing logical id names the referencing resource and property path', async () => {
  const template = samTemplate(fn('      Environment:\n        Variables:\n          TABLE: !Ref MissingTable\n'));
  await assertTemplateError(loadTemplate(template), 'Resources.HelloFunction.Properties.Environment.Variables.TABLE', '"MissingTable"');
  const getAtt = samTemplate(fn('      Description: !GetAtt Nope.Arn\n'));
  await assertTemplateError(loadTemplate(getAtt), 'Resources.HelloFunction.Properties.Description', 'Fn::GetAtt', '"Nope"');
  const inList = samTemplate(`${fn()}  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags:\n        - Key: a\n          Value: !Ref Ghost\n`);
  await assertTemplateError(loadTemplate(inList), 'Resources.Queue.Properties.Tags[0].Value');
});

test('errors: Ref to a resource dropped by its condition', async () => {
  const template = samTemplate(
    `${fn('      Description: !Ref Table\n')}  Table:\n    Type: AWS::Serverless::SimpleTable\n    Condition: Never\n`,
    "Conditions:\n  Never: !Equals ['a', 'b']\n",
  );
  await assertTemplateError(loadTemplate(template), 'Resources.HelloFunction.Properties.Description', 'condition Never is false');
});

test('errors: template structure', async () => {
  await assertTemplateError(loadTemplate(`Resource:\n${fn()}`), 'Resource: not a template section');
  await assertTemplateError(loadTemplate('Description: nothing\n'), 'Resources: at least one resource');
  await assertTemplateError(loadTemplate('Resources:\n  Fn:\n    Properties: {}\n'), 'Resources.Fn.Type');
  await assertTemplateError(loadTemplate('Resources:\n  My-Fn:\n    Type: AWS::SQS::Queue\n'), 'Resources.My-Fn');
  await assertTemplateError(loadTemplate(''), 'template is empty');
});

test('errors: conditions', async () => {
  await assertTemplateError(loadTemplate(samTemplate(fn('      Description: !If [Unknown, a, b]\n'))), 'Properties.Description', '"Unknown" is not declared');
  const circular = samTemplate(fn(), 'Conditions:\n  A: !Not [!Condition B]\n  B: !Not [!Condition A]\n');
  await assertTemplateError(loadTemplate(circular), 'circular');
  const notBoolean = samTemplate(fn(), 'Conditions:\n  A: !Ref AWS::Region\n');
  await assertTemplateError(loadTemplate(notBoolean), 'Conditions.A', 'true or false');
  await assertTemplateError(loadTemplate(samTemplate(`${fn()}    Condition: Missing\n`)), 'Resources.HelloFunction.Condition');
});

test('errors: intrinsic misuse', async () => {
  const at = 'Resources.HelloFunction.Properties.Description';
  await assertTemplateError(loadTemplate(samTemplate(fn("      Description: !Select [5, [a, b]]\n"))), at, 'out of range');
  await assertTemplateError(loadTemplate(samTemplate(fn('      Description: !FindInMap [M, a, b]\n'), 'Mappings:\n  M:\n    a:\n      c: 1\n')), at, 'no key "b" in Mappings.M.a');
  await assertTemplateError(loadTemplate(samTemplate(fn('      Description: !Sub "${Nothing}"\n'))), at, '"Nothing"');
  await assertTemplateError(loadTemplate(samTemplate(fn('      Description: !Sub "${Unclosed"\n'))), at, 'unclosed');
  await assertTemplateError(loadTemplate(samTemplate(fn('      Description: { "Fn::Bogus": 1 }\n'))), at, 'Fn::Bogus');
  const macro = samTemplate(fn('      Description:\n        Fn::Transform:\n          Name: MyMacro\n'));
  await assertTemplateError(loadTemplate(macro), at, '"MyMacro"');
  const listInSub = samTemplate(fn('      Description: !Sub "${L}"\n'), 'Parameters:\n  L:\n    Type: CommaDelimitedList\n    Default: a,b\n');
  await assertTemplateError(loadTemplate(listInSub), at, 'is a list');
});

test('errors: API events and APIs', async () => {
  const api = (props: string) => `  MyApi:\n    Type: AWS::Serverless::Api\n    Properties:\n${props}`;
  const event = (body: string) => `      Events:\n        Ev:\n${body}`;
  await assertTemplateError(loadTemplate(samTemplate(api('      Variables: {}\n'))), 'Resources.MyApi.Properties.StageName', 'required');
  await assertTemplateError(loadTemplate(samTemplate(api('      StageName: bad stage\n'))), 'Resources.MyApi.Properties.StageName');
  await assertTemplateError(
    loadTemplate(samTemplate(fn(event('          Type: Api\n          Properties:\n            Method: get\n')))),
    'Resources.HelloFunction.Properties.Events.Ev.Properties.Path',
  );
  await assertTemplateError(
    loadTemplate(samTemplate(fn(event('          Type: Api\n          Properties:\n            Path: /x\n            Method: fetch\n')))),
    'Events.Ev.Properties.Method',
    '"fetch"',
  );
  const toHttp = fn(event('          Type: Api\n          Properties:\n            Path: /x\n            Method: get\n            RestApiId: !Ref Http\n'));
  await assertTemplateError(loadTemplate(samTemplate(`${toHttp}  Http:\n    Type: AWS::Serverless::HttpApi\n`)), 'Events.Ev.Properties.RestApiId', 'Http is not one');
  const toNothing = fn(event('          Type: HttpApi\n          Properties:\n            ApiId: abc\n'));
  await assertTemplateError(loadTemplate(samTemplate(toNothing)), 'Events.Ev.Properties.ApiId', 'AWS::Serverless::HttpApi');
  const timeout = fn(event('          Type: Api\n          Properties:\n            Path: /x\n            Method: get\n            TimeoutInMillis: 30000\n'));
  await assertTemplateError(loadTemplate(samTemplate(timeout)), 'Events.Ev.Properties.TimeoutInMillis', '29000');
  const version = fn(event('          Type: HttpApi\n          Properties:\n            PayloadFormatVersion: "3.0"\n'));
  await assertTemplateError(loadTemplate(samTemplate(version)), 'Events.Ev.Properties.PayloadFormatVersion');
});

test('errors: two events routing the same method and path on one API', async () => {
  const route = (name: string) =>
    fn(`      Events:\n        Ev:\n          Type: Api\n          Properties:\n            Path: /same\n            Method: GET\n`, name);
  await assertTemplateError(loadTemplate(samTemplate(`${route('One')}${route('Two')}`)), 'Resources.Two.Properties.Events.Ev', 'GET /same', 'One.Events.Ev');
});

test('errors: invalid options', async () => {
  await assertTemplateError(loadTemplate(samTemplate(fn()), { stackName: '1-bad' }), 'stackName');
  await assertTemplateError(loadTemplate(samTemplate(fn()), { region: 'mars' }), 'region');
  await assertTemplateError(loadTemplate(samTemplate(fn()), { accountId: '12' }), 'accountId');
});
