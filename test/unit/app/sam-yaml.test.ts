import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TemplateError } from '../../../src/app/model.js';
import { cidrSubnets } from '../../../src/app/sam/cidr.js';
import { parseSub } from '../../../src/app/sam/sub.js';
import { parseTemplateText } from '../../../src/app/sam/yaml.js';

const parse = (text: string): unknown => parseTemplateText(text, 'template.yaml');

test('yaml: every short-form tag becomes its long form', () => {
  const doc = parse(`
ref: !Ref Thing
att: !GetAtt Res.Endpoint.Address
attList: !GetAtt [Res, Arn]
sub: !Sub 'x-\${AWS::Region}'
subList: !Sub ['\${A}', { A: !Ref B }]
join: !Join [',', [a, !Ref C]]
select: !Select [0, !GetAZs '']
split: !Split [',', 'a,b']
if: !If [Cond, a, !Ref AWS::NoValue]
equals: !Equals [!Ref P, x]
and: !And [!Condition A, !Condition B]
or: !Or [!Condition A, !Equals [a, b]]
not: !Not [!Condition A]
map: !FindInMap [M, a, b]
b64: !Base64 text
imp: !ImportValue shared
azs: !GetAZs
cidr: !Cidr [10.0.0.0/16, 2, 8]
transform: !Transform { Name: AWS::Include, Parameters: { Location: a.yaml } }
length: !Length [a, b]
json: !ToJsonString { a: 1 }
`);
  assert.deepEqual(doc, {
    ref: { Ref: 'Thing' },
    att: { 'Fn::GetAtt': ['Res', 'Endpoint.Address'] },
    attList: { 'Fn::GetAtt': ['Res', 'Arn'] },
    sub: { 'Fn::Sub': 'x-${AWS::Region}' },
    subList: { 'Fn::Sub': ['${A}', { A: { Ref: 'B' } }] },
    join: { 'Fn::Join': [',', ['a', { Ref: 'C' }]] },
    select: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
    split: { 'Fn::Split': [',', 'a,b'] },
    if: { 'Fn::If': ['Cond', 'a', { Ref: 'AWS::NoValue' }] },
    equals: { 'Fn::Equals': [{ Ref: 'P' }, 'x'] },
    and: { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] },
    or: { 'Fn::Or': [{ Condition: 'A' }, { 'Fn::Equals': ['a', 'b'] }] },
    not: { 'Fn::Not': [{ Condition: 'A' }] },
    map: { 'Fn::FindInMap': ['M', 'a', 'b'] },
    b64: { 'Fn::Base64': 'text' },
    imp: { 'Fn::ImportValue': 'shared' },
    azs: { 'Fn::GetAZs': '' },
    cidr: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] },
    transform: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 'a.yaml' } } },
    length: { 'Fn::Length': ['a', 'b'] },
    json: { 'Fn::ToJsonString': { a: 1 } },
  });
});

test('yaml: numbers keep their spelling when YAML would change it', () => {
  assert.deepEqual(parse('a: 012345678901\nb: 1.0\nc: 42\nd: !Equals [1.0, x]\ne: 2010-09-09\n'), {
    a: '012345678901',
    b: '1.0',
    c: 42,
    d: { 'Fn::Equals': ['1.0', 'x'] },
    e: '2010-09-09',
  });
});

test('yaml: errors carry the file name and line', () => {
  assert.throws(() => parse('a: 1\nb: [\n'), (err: unknown) => err instanceof TemplateError && /^template\.yaml: invalid YAML at line \d+/.test(err.message));
  assert.throws(() => parseTemplateText('{"a": }', 'x.json'), /x\.json: invalid JSON at line 1/);
  assert.deepEqual(parseTemplateText('{"Ref": "A"}', 'x.json'), { Ref: 'A' });
});

test('sub: placeholders, escapes and errors', () => {
  assert.deepEqual(parseSub('a${B}c${!D}${ E.F }', 'p'), [{ literal: 'a' }, { variable: 'B' }, { literal: 'c' }, { literal: '${D}' }, { variable: 'E.F' }]);
  assert.throws(() => parseSub('${', 'p'), /p: Fn::Sub has an unclosed/);
  assert.throws(() => parseSub('${}', 'p'), /empty/);
});

test('cidr: IPv4 and IPv6 blocks', () => {
  assert.deepEqual(cidrSubnets('192.168.0.0/24', 4, 6, 'p'), ['192.168.0.0/26', '192.168.0.64/26', '192.168.0.128/26', '192.168.0.192/26']);
  assert.deepEqual(cidrSubnets('2001:db8::/56', 2, 64, 'p'), ['2001:db8::/64', '2001:db8:0:1::/64']);
  assert.throws(() => cidrSubnets('10.0.0.0/30', 8, 1, 'p'), /holds only 2 subnets/);
  assert.throws(() => cidrSubnets('10.0.0/8', 1, 8, 'p'), /not a CIDR block/);
});
