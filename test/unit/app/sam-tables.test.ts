import { test } from 'node:test';
import assert from 'node:assert/strict';
import { physicalName } from '../../../src/app/sam/naming.js';
import { assertTemplateError, loadTemplate, samTemplate } from './sam-helpers.js';

const outputs = (lines: Record<string, string>): string =>
  `Outputs:\n${Object.entries(lines).map(([k, v]) => `  ${k}:\n    Value: ${v}\n`).join('')}`;

const table = (props: string): string => samTemplate(`  Things:\n    Type: AWS::DynamoDB::Table\n    Properties:\n${props}`);

const KEYED = `      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
        - AttributeName: sk
          AttributeType: N
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
        - AttributeName: sk
          KeyType: RANGE
`;

test('tables: a SimpleTable without properties gets the key id (String), on demand, and the name Ref gives', async () => {
  const model = await loadTemplate(
    samTemplate('  Notes:\n    Type: AWS::Serverless::SimpleTable\n') + outputs({ Name: '!Ref Notes', Arn: '!GetAtt Notes.Arn' }),
    { stackName: 'stk' },
  );
  assert.equal(model.tables.length, 1);
  const notes = model.tables[0]!;
  assert.equal(notes.logicalId, 'Notes');
  assert.equal(notes.type, 'AWS::Serverless::SimpleTable');
  assert.equal(notes.name, physicalName('stk', 'Notes', 255));
  assert.equal(notes.name, model.outputs.Name);
  assert.equal(notes.arn, model.outputs.Arn);
  assert.equal(notes.arn, `arn:aws:dynamodb:us-east-1:123456789012:table/${notes.name}`);
  assert.deepEqual(notes.keySchema, [{ attributeName: 'id', keyType: 'HASH' }]);
  assert.deepEqual(notes.attributeDefinitions, [{ attributeName: 'id', attributeType: 'S' }]);
  assert.equal(notes.billingMode, 'PAY_PER_REQUEST');
  assert.equal(notes.provisionedThroughput, undefined);
});

test('tables: a SimpleTable with PrimaryKey, TableName and ProvisionedThroughput', async () => {
  const model = await loadTemplate(
    samTemplate(`  Counters:
    Type: AWS::Serverless::SimpleTable
    Properties:
      TableName: !Sub \${AWS::StackName}-counters
      PrimaryKey:
        Name: n
        Type: Number
      ProvisionedThroughput:
        ReadCapacityUnits: 2
        WriteCapacityUnits: "3"
`) + outputs({ Name: '!Ref Counters' }),
    { stackName: 'stk' },
  );
  const counters = model.tables[0]!;
  assert.equal(counters.name, 'stk-counters');
  assert.equal(model.outputs.Name, 'stk-counters');
  assert.deepEqual(counters.keySchema, [{ attributeName: 'n', keyType: 'HASH' }]);
  assert.deepEqual(counters.attributeDefinitions, [{ attributeName: 'n', attributeType: 'N' }]);
  assert.equal(counters.billingMode, 'PROVISIONED');
  assert.deepEqual(counters.provisionedThroughput, { readCapacityUnits: 2, writeCapacityUnits: 3 });
});

test('tables: an explicit AWS::DynamoDB::Table keeps everything it declares', async () => {
  const model = await loadTemplate(
    table(`      TableName: things
      BillingMode: PAY_PER_REQUEST
${KEYED}      StreamSpecification:
        StreamViewType: NEW_AND_OLD_IMAGES
      TimeToLiveSpecification:
        AttributeName: expires
        Enabled: true
      GlobalSecondaryIndexes:
        - IndexName: bySk
          KeySchema:
            - AttributeName: sk
              KeyType: HASH
          Projection:
            ProjectionType: INCLUDE
            NonKeyAttributes: [title]
      LocalSecondaryIndexes:
        - IndexName: local
          KeySchema:
            - AttributeName: pk
              KeyType: HASH
            - AttributeName: sk
              KeyType: RANGE
          Projection:
            ProjectionType: KEYS_ONLY
      Tags:
        - Key: team
          Value: storage
`) + outputs({ Name: '!Ref Things', Stream: '!GetAtt Things.StreamArn' }),
  );
  const things = model.tables[0]!;
  assert.equal(things.name, 'things');
  assert.equal(model.outputs.Name, 'things');
  assert.ok(model.outputs.Stream!.startsWith(`${things.arn}/stream/`));
  assert.deepEqual(things.keySchema, [
    { attributeName: 'pk', keyType: 'HASH' },
    { attributeName: 'sk', keyType: 'RANGE' },
  ]);
  assert.deepEqual(things.attributeDefinitions, [
    { attributeName: 'pk', attributeType: 'S' },
    { attributeName: 'sk', attributeType: 'N' },
  ]);
  assert.equal(things.billingMode, 'PAY_PER_REQUEST');
  assert.equal(things.streamViewType, 'NEW_AND_OLD_IMAGES');
  assert.deepEqual(things.timeToLive, { attributeName: 'expires', enabled: true });
  assert.deepEqual(things.globalSecondaryIndexes, [
    { indexName: 'bySk', keySchema: [{ attributeName: 'sk', keyType: 'HASH' }], projectionType: 'INCLUDE', nonKeyAttributes: ['title'], provisionedThroughput: undefined },
  ]);
  assert.equal(things.localSecondaryIndexes[0]!.indexName, 'local');
  assert.equal(things.localSecondaryIndexes[0]!.projectionType, 'KEYS_ONLY');
  assert.deepEqual(things.tags, [{ key: 'team', value: 'storage' }]);
});

test('tables: a generated table name equals what Ref gives, and provisioned is the default billing mode', async () => {
  const model = await loadTemplate(
    table(`${KEYED}      ProvisionedThroughput:
        ReadCapacityUnits: 5
        WriteCapacityUnits: 5
`) + outputs({ Name: '!Ref Things', Arn: '!GetAtt Things.Arn' }),
    { stackName: 'gen-stack' },
  );
  const things = model.tables[0]!;
  assert.equal(things.name, model.outputs.Name);
  assert.equal(things.name, physicalName('gen-stack', 'Things', 255));
  assert.equal(things.arn, model.outputs.Arn);
  assert.equal(things.billingMode, 'PROVISIONED');
  assert.deepEqual(things.provisionedThroughput, { readCapacityUnits: 5, writeCapacityUnits: 5 });
});

test('tables: a table with neither BillingMode nor ProvisionedThroughput runs on demand, with a notice', async () => {
  const model = await loadTemplate(table(KEYED));
  assert.equal(model.tables[0]!.billingMode, 'PAY_PER_REQUEST');
  assert.ok(model.warnings.some((w) => w.includes('Resources.Things.Properties') && w.includes('PAY_PER_REQUEST')), model.warnings.join('\n'));
});

test('tables: a table whose Condition is false is not in the model', async () => {
  const model = await loadTemplate(
    samTemplate('  Notes:\n    Type: AWS::Serverless::SimpleTable\n    Condition: Never\n', 'Conditions:\n  Never: !Equals [a, b]\n'),
  );
  assert.deepEqual(model.tables, []);
});

test('tables: malformed definitions name the resource and property', async () => {
  await assertTemplateError(
    loadTemplate(samTemplate('  Notes:\n    Type: AWS::Serverless::SimpleTable\n    Properties:\n      PrimaryKey:\n        Name: id\n        Type: Str\n')),
    'Resources.Notes.Properties.PrimaryKey.Type',
    'String, Number, Binary',
  );
  await assertTemplateError(
    loadTemplate(samTemplate('  Notes:\n    Type: AWS::Serverless::SimpleTable\n    Properties:\n      PrimaryKey:\n        Type: String\n')),
    'Resources.Notes.Properties.PrimaryKey.Name',
  );
  await assertTemplateError(loadTemplate(table('      BillingMode: PAY_PER_REQUEST\n')), 'Resources.Things.Properties.KeySchema', 'required');
  await assertTemplateError(
    loadTemplate(table(`${KEYED.replace('KeyType: RANGE', 'KeyType: SORT')}      BillingMode: PAY_PER_REQUEST\n`)),
    'Resources.Things.Properties.KeySchema[1].KeyType',
  );
  await assertTemplateError(
    loadTemplate(table(`${KEYED.replace('AttributeType: N', 'AttributeType: X')}      BillingMode: PAY_PER_REQUEST\n`)),
    'Resources.Things.Properties.AttributeDefinitions[1].AttributeType',
  );
  await assertTemplateError(
    loadTemplate(table(`${KEYED.replace('AttributeName: sk\n          AttributeType', 'AttributeName: other\n          AttributeType')}      BillingMode: PAY_PER_REQUEST\n`)),
    'Resources.Things.Properties.KeySchema',
    '"sk" is not in AttributeDefinitions',
  );
  await assertTemplateError(loadTemplate(table(`${KEYED}      BillingMode: PROVISIONED\n`)), 'Resources.Things.Properties.ProvisionedThroughput', 'PROVISIONED');
  await assertTemplateError(loadTemplate(table(`${KEYED}      BillingMode: ON_DEMAND\n`)), 'Resources.Things.Properties.BillingMode');
  await assertTemplateError(
    loadTemplate(table(`${KEYED}      BillingMode: PAY_PER_REQUEST\n      StreamSpecification:\n        StreamViewType: ALL\n`)),
    'Resources.Things.Properties.StreamSpecification.StreamViewType',
  );
  await assertTemplateError(
    loadTemplate(table(`${KEYED}      BillingMode: PAY_PER_REQUEST\n      TableName: "a b"\n`)),
    'Resources.Things.Properties.TableName',
  );
});

test('DynamoDB stream events and AWS::Lambda::EventSourceMapping become event source mappings', async () => {
  const model = await loadTemplate(
    table(`${KEYED}      BillingMode: PAY_PER_REQUEST
      StreamSpecification:
        StreamViewType: NEW_IMAGE
  Consumer:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs20.x
      FunctionName: consumer
      Events:
        Changes:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt Things.StreamArn
            StartingPosition: LATEST
            BatchSize: 5
            MaximumBatchingWindowInSeconds: 2
            MaximumRetryAttempts: 3
            MaximumRecordAgeInSeconds: 3600
            ParallelizationFactor: 4
            DestinationConfig:
              OnFailure:
                Type: SQS
                Destination: arn:aws:sqs:us-east-1:123456789012:failed
            BisectBatchOnFunctionError: true
            FunctionResponseTypes: [ReportBatchItemFailures]
            FilterCriteria:
              Filters:
                - Pattern: '{"eventName": ["INSERT"]}'
  Explicit:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Consumer
      EventSourceArn: !GetAtt Things.StreamArn
      StartingPosition: TRIM_HORIZON
      Enabled: false
  FromQueue:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Consumer
      EventSourceArn: arn:aws:sqs:us-east-1:123456789012:queue
`),
  );
  const [sam, explicit] = model.eventSourceMappings;
  assert.equal(model.eventSourceMappings.length, 2, 'the SQS mapping is not a stream mapping');
  assert.deepEqual({ ...sam!, id: undefined }, {
    id: undefined,
    logicalId: 'ConsumerChanges',
    functionName: 'consumer',
    eventSourceArn: model.tables[0]!.streamArn,
    startingPosition: 'LATEST',
    batchSize: 5,
    maximumBatchingWindowSeconds: 2,
    filterPatterns: ['{"eventName": ["INSERT"]}'],
    maximumRetryAttempts: 3,
    maximumRecordAgeSeconds: 3600,
    parallelizationFactor: 4,
    onFailureDestination: 'arn:aws:sqs:us-east-1:123456789012:failed',
    bisectBatchOnFunctionError: true,
    reportBatchItemFailures: true,
    enabled: true,
  });
  assert.match(sam!.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(explicit!.logicalId, 'Explicit');
  assert.equal(explicit!.functionName, 'consumer');
  assert.equal(explicit!.batchSize, 100);
  assert.equal(explicit!.maximumRetryAttempts, -1);
  assert.equal(explicit!.maximumRecordAgeSeconds, -1);
  assert.equal(explicit!.parallelizationFactor, 1);
  assert.equal(explicit!.onFailureDestination, undefined);
  assert.equal(explicit!.enabled, false);
  assert.notEqual(explicit!.id, sam!.id);
  assert.ok(model.warnings.some((w) => /EventSourceMapping \(1\)/.test(w)), model.warnings.join('\n'));
  assert.ok(!model.warnings.some((w) => /DynamoDB \(/.test(w)), model.warnings.join('\n'));
});

test('stream mappings: MaximumRecordAgeInSeconds, ParallelizationFactor and DestinationConfig are checked', async () => {
  const mapping = (props: string) =>
    loadTemplate(
      table(`${KEYED}      BillingMode: PAY_PER_REQUEST
      StreamSpecification:
        StreamViewType: KEYS_ONLY
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: consumer
      EventSourceArn: !GetAtt Things.StreamArn
      StartingPosition: LATEST
${props}`),
    );
  await assertTemplateError(mapping('      MaximumRecordAgeInSeconds: 604801\n'), 'Resources.Mapping.Properties.MaximumRecordAgeInSeconds', 'between -1 and 604800');
  await assertTemplateError(mapping('      ParallelizationFactor: 11\n'), 'Resources.Mapping.Properties.ParallelizationFactor', 'between 1 and 10');
  await assertTemplateError(mapping('      DestinationConfig:\n        OnFailure: {}\n'), 'Resources.Mapping.Properties.DestinationConfig.OnFailure.Destination', 'required');
  const model = await mapping('      DestinationConfig:\n        OnFailure:\n          Destination: arn:aws:sns:us-east-1:123456789012:failed\n');
  assert.equal(model.eventSourceMappings[0]!.onFailureDestination, 'arn:aws:sns:us-east-1:123456789012:failed');
});
