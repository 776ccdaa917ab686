/** The app model's tables and the event source mappings reading their streams (see model.ts). */

/** DynamoDB key attribute types, as DynamoDB spells them. */
export type TableAttributeType = 'S' | 'N' | 'B';

export interface TableKeyElement {
  readonly attributeName: string;
  readonly keyType: 'HASH' | 'RANGE';
}

export interface TableAttributeDefinition {
  readonly attributeName: string;
  readonly attributeType: TableAttributeType;
}

export interface TableThroughput {
  readonly readCapacityUnits: number;
  readonly writeCapacityUnits: number;
}

export interface TableIndexSpec {
  readonly indexName: string;
  readonly keySchema: readonly TableKeyElement[];
  /** `ALL`, `KEYS_ONLY` or `INCLUDE`. */
  readonly projectionType: string;
  readonly nonKeyAttributes: readonly string[];
  /** GSIs of provisioned tables only. */
  readonly provisionedThroughput: TableThroughput | undefined;
}

/**
 * A table declared in the template (`AWS::DynamoDB::Table`, `AWS::Serverless::SimpleTable`), as declared: indexes,
 * streams and TTL are kept even where the data service does not implement them yet.
 */
export interface TableSpec {
  readonly logicalId: string;
  readonly type: string;
  /** Physical name, exactly what `!Ref` gives (`TableName` or `<stack>-<logicalId>-<SUFFIX>`). */
  readonly name: string;
  /** What `!GetAtt Table.Arn` gives. */
  readonly arn: string;
  readonly keySchema: readonly TableKeyElement[];
  readonly attributeDefinitions: readonly TableAttributeDefinition[];
  readonly billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  /** Set exactly when billingMode is PROVISIONED. */
  readonly provisionedThroughput: TableThroughput | undefined;
  /** `StreamSpecification.StreamViewType`, undefined without a stream. */
  readonly streamViewType: string | undefined;
  /** What `!GetAtt Table.StreamArn` gives, when the table has a stream: the stream Portico creates has this ARN. */
  readonly streamArn?: string | undefined;
  /** `TimeToLiveSpecification`, undefined when not declared. */
  readonly timeToLive: { readonly attributeName: string; readonly enabled: boolean } | undefined;
  readonly globalSecondaryIndexes: readonly TableIndexSpec[];
  readonly localSecondaryIndexes: readonly TableIndexSpec[];
  /** `Tags` (a Key/Value list on AWS::DynamoDB::Table, a map on SimpleTable); absent when not declared. */
  readonly tags?: readonly TableTag[];
}

export interface TableTag {
  readonly key: string;
  readonly value: string;
}

/**
 * An event source mapping from a DynamoDB stream to a function: a SAM `DynamoDB` event or an
 * `AWS::Lambda::EventSourceMapping` whose `EventSourceArn` is a table's stream. Defaults are Lambda's.
 */
export interface EventSourceMappingSpec {
  /** The mapping's UUID, stable for the stack and logical id (it keys the mapping's saved position). */
  readonly id: string;
  /** `<Function><Event>` for SAM events (the resource SAM generates), else the resource's logical id. */
  readonly logicalId: string;
  /** The function's name or ARN, as `FunctionName` resolved. */
  readonly functionName: string;
  /** The stream's ARN (`!GetAtt Table.StreamArn`). */
  readonly eventSourceArn: string;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  /** 1–10,000, default 100. */
  readonly batchSize: number;
  /** `MaximumBatchingWindowInSeconds`, 0–300, default 0. */
  readonly maximumBatchingWindowSeconds: number;
  /** `FilterCriteria.Filters[].Pattern`, as JSON text; a record is delivered when any matches (or there are none). */
  readonly filterPatterns: readonly string[];
  /** -1 (the default): retry until the record expires; else 0–10,000. */
  readonly maximumRetryAttempts: number;
  /** `MaximumRecordAgeInSeconds`: -1 (the default) for no limit, else up to 604,800; older records are discarded. */
  readonly maximumRecordAgeSeconds: number;
  /**
   * `ParallelizationFactor`, 1–10 (default 1): accepted and kept, but a Portico stream has one shard and records of
   * one item key must stay in order, so batches are still delivered one at a time.
   */
  readonly parallelizationFactor: number;
  /** `DestinationConfig.OnFailure.Destination`: where AWS sends a discarded batch's metadata (recorded in the log here). */
  readonly onFailureDestination?: string;
  readonly bisectBatchOnFunctionError: boolean;
  /** `FunctionResponseTypes: [ReportBatchItemFailures]`. */
  readonly reportBatchItemFailures: boolean;
  readonly enabled: boolean;
}
