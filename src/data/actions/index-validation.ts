// Secondary index declarations in CreateTable (GlobalSecondaryIndexes, LocalSecondaryIndexes) and UpdateTable
// (GlobalSecondaryIndexUpdates Create): field checks and DynamoDB's messages from architect/dynalite
// validations/createTable.js (asserted against DynamoDB in its test/createTable.js); the unused-definition message as
// DynamoDB gives it (quoted in aws-cloudformation/cfn-lint issue #1037); limits from the developer guide (5 LSIs,
// 20 GSIs, 100 projected non-key attributes over all indexes).
import type { IndexMetadata, ProjectionType } from '../service/indexes.js';
import type { AttributeDefinition, KeySchemaElement } from '../service/tables.js';
import { FieldChecks, shape, type Json } from '../service/validation.js';
import { DynamoValidationError } from '../types/errors.js';

const INVALID = 'One or more parameter values were invalid: ';
const MAX_LSIS = 5;
const MAX_GSIS = 20;
const MAX_PROJECTED = 100;

/** An index declaration as sent, after the shape checks. */
export interface DeclaredIndex {
  readonly IndexName: string;
  readonly KeySchema: KeySchemaElement[];
  readonly Projection: { ProjectionType?: ProjectionType; NonKeyAttributes?: string[] };
  readonly ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
}

function members(list: unknown[] | undefined): Json[] | undefined {
  return list?.map((entry) => shape.struct({ member: entry }, 'member') ?? {});
}

/** Reads one index list (shape) and adds its field checks under `path` (e.g. 'globalSecondaryIndexes'). */
export function readIndexList(data: Json, key: string, path: string, checks: FieldChecks, global: boolean): DeclaredIndex[] | undefined {
  return members(shape.list(data, key))?.map((index, i) => readIndex(index, `${path}.${i + 1}.member`, checks, global));
}

/** Reads one index declaration (shape) and adds its field checks under `base`. */
export function readIndex(index: Json, base: string, checks: FieldChecks, global: boolean): DeclaredIndex {
  const name = shape.string(index, 'IndexName');
  const keys = members(shape.list(index, 'KeySchema'));
  const projection = shape.struct(index, 'Projection');
  keys?.forEach((k) => (shape.string(k, 'AttributeName'), shape.string(k, 'KeyType')));
  checks.tableName(name, `${base}.indexName`);
  if (checks.notNull(keys, `${base}.keySchema`)) {
    keys!.forEach((k, j) => {
      checks.notNull(k.AttributeName, `${base}.keySchema.${j + 1}.member.attributeName`);
      if (checks.notNull(k.KeyType, `${base}.keySchema.${j + 1}.member.keyType`)) {
        checks.enumValue(k.KeyType, `${base}.keySchema.${j + 1}.member.keyType`, ['HASH', 'RANGE']);
      }
    });
    checks.length(keys, `${base}.keySchema`, 1, 2);
  }
  if (checks.notNull(projection, `${base}.projection`)) {
    checks.enumValue(shape.string(projection!, 'ProjectionType'), `${base}.projection.projectionType`, ['ALL', 'INCLUDE', 'KEYS_ONLY']);
    const nonKey = shape.list(projection!, 'NonKeyAttributes');
    nonKey?.forEach((n) => shape.string({ n }, 'n'));
    checks.length(nonKey, `${base}.projection.nonKeyAttributes`, 1, undefined);
  }
  const throughput = global ? shape.struct(index, 'ProvisionedThroughput') : undefined;
  if (throughput) {
    const write = shape.integer(throughput, 'WriteCapacityUnits');
    const read = shape.integer(throughput, 'ReadCapacityUnits');
    if (checks.notNull(write, `${base}.provisionedThroughput.writeCapacityUnits`)) checks.range(write, `${base}.provisionedThroughput.writeCapacityUnits`, 1, undefined);
    if (checks.notNull(read, `${base}.provisionedThroughput.readCapacityUnits`)) checks.range(read, `${base}.provisionedThroughput.readCapacityUnits`, 1, undefined);
  }
  return index as unknown as DeclaredIndex;
}

function keyNames(keys: readonly KeySchemaElement[]): string[] {
  return keys.map((k) => k.AttributeName);
}

/** Checks every index shares: defined keys, HASH then RANGE, projection type and NonKeyAttributes, unique name. */
function checkIndex(index: DeclaredIndex, defined: readonly string[], seen: Set<string>, payPerRequest: boolean, global: boolean): void {
  const keys = keyNames(index.KeySchema);
  if (keys.some((k) => !defined.includes(k))) {
    throw new DynamoValidationError(`${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${defined.join(', ')}]`);
  }
  if (keys[1] !== undefined && keys[0] === keys[1]) throw new DynamoValidationError('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  if (index.KeySchema[0]!.KeyType !== 'HASH') throw new DynamoValidationError('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (index.KeySchema[1] && index.KeySchema[1].KeyType !== 'RANGE') throw new DynamoValidationError('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  if (!global && index.KeySchema.length !== 2) throw new DynamoValidationError(`${INVALID}Index KeySchema does not have a range key for index: ${index.IndexName}`);
  checkProjectionAndName(index, seen, payPerRequest, global);
}

function checkProjectionAndName(index: DeclaredIndex, seen: Set<string>, payPerRequest: boolean, global: boolean): void {
  const type = index.Projection.ProjectionType;
  if (type === undefined) throw new DynamoValidationError(`${INVALID}Unknown ProjectionType: null`);
  if (index.Projection.NonKeyAttributes && type !== 'INCLUDE') throw new DynamoValidationError(`${INVALID}ProjectionType is ${type}, but NonKeyAttributes is specified`);
  if (global && payPerRequest && index.ProvisionedThroughput) {
    throw new DynamoValidationError(`${INVALID}ProvisionedThroughput should not be specified for index: ${index.IndexName} when BillingMode is PAY_PER_REQUEST`);
  }
  if (global && !payPerRequest && !index.ProvisionedThroughput) throw new DynamoValidationError(`${INVALID}ProvisionedThroughput is not specified for index: ${index.IndexName}`);
  if (seen.has(index.IndexName)) throw new DynamoValidationError(`${INVALID}Duplicate index name: ${index.IndexName}`);
  seen.add(index.IndexName);
}

export interface IndexDeclarations {
  readonly definitions: readonly AttributeDefinition[];
  readonly tableKeys: readonly KeySchemaElement[];
  readonly local: readonly DeclaredIndex[] | undefined;
  readonly global: readonly DeclaredIndex[] | undefined;
  readonly payPerRequest: boolean;
}

/** CreateTable's index rules, in DynamoDB's order (LSIs, then GSIs, then the limits shared by both). */
export function checkIndexDeclarations({ definitions, tableKeys, local, global, payPerRequest }: IndexDeclarations): void {
  const defined = definitions.map((d) => d.AttributeName);
  const seen = new Set<string>();
  if (local) {
    if (local.length === 0) throw new DynamoValidationError(`${INVALID}List of LocalSecondaryIndexes is empty`);
    if (tableKeys.length !== 2) throw new DynamoValidationError(`${INVALID}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`);
    const tableHash = tableKeys[0]!.AttributeName;
    for (const index of local) {
      checkIndex(index, defined, seen, payPerRequest, false);
      const indexHash = index.KeySchema[0]!.AttributeName;
      if (indexHash !== tableHash) {
        throw new DynamoValidationError(
          `${INVALID}Index KeySchema does not have the same leading hash key as table KeySchema for index: ${index.IndexName}. index hash key: ${indexHash}, table hash key: ${tableHash}`,
        );
      }
    }
    if (local.length > MAX_LSIS) throw new DynamoValidationError(`${INVALID}Number of LocalSecondaryIndexes exceeds per-table limit of ${MAX_LSIS}`);
  }
  if (global) {
    if (global.length === 0) throw new DynamoValidationError(`${INVALID}List of GlobalSecondaryIndexes is empty`);
    for (const index of global) checkIndex(index, defined, seen, payPerRequest, true);
    if (global.length > MAX_GSIS) throw new DynamoValidationError(`${INVALID}GlobalSecondaryIndex count exceeds the per-table limit of ${MAX_GSIS}`);
  }
  checkProjectedCount([...(local ?? []), ...(global ?? [])]);
  const used = [...new Set([...keyNames(tableKeys), ...[...(local ?? []), ...(global ?? [])].flatMap((i) => keyNames(i.KeySchema))])];
  if (defined.some((d) => !used.includes(d))) {
    throw new DynamoValidationError(`${INVALID}Some AttributeDefinitions are not used. AttributeDefinitions: [${defined.join(', ')}], keys used: [${used.join(', ')}]`);
  }
}

/** At most 100 NonKeyAttributes over all the table's indexes (an attribute projected by two indexes counts twice). */
export function checkProjectedCount(indexes: readonly Pick<DeclaredIndex, 'Projection'>[]): void {
  const count = indexes.reduce((n, i) => n + (i.Projection.NonKeyAttributes?.length ?? 0), 0);
  if (count > MAX_PROJECTED) throw new DynamoValidationError(`${INVALID}Number of projected attributes in all indexes exceeds limit of ${MAX_PROJECTED}`);
}

/** A GSI Create of UpdateTable: the same rules as in CreateTable, against the table's names and definitions. */
export function checkCreatedIndex(index: DeclaredIndex, definitions: readonly AttributeDefinition[], existing: readonly string[], payPerRequest: boolean): void {
  checkIndex(index, definitions.map((d) => d.AttributeName), new Set(existing), payPerRequest, true);
}

/** The metadata an accepted declaration is stored as. */
export function indexMetadata(index: DeclaredIndex, global: boolean, status?: 'CREATING'): IndexMetadata {
  const projection = index.Projection;
  return {
    IndexName: index.IndexName,
    KeySchema: index.KeySchema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
    Projection: { ProjectionType: projection.ProjectionType!, ...(projection.NonKeyAttributes ? { NonKeyAttributes: [...projection.NonKeyAttributes] } : {}) },
    ...(global
      ? {
          IndexStatus: status ?? 'ACTIVE',
          ReadCapacityUnits: index.ProvisionedThroughput?.ReadCapacityUnits ?? 0,
          WriteCapacityUnits: index.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
        }
      : {}),
  };
}
