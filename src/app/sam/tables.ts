/**
 * DynamoDB tables declared in the template: `AWS::DynamoDB::Table` as CloudFormation defines it, and SAM's
 * `AWS::Serverless::SimpleTable` (a `PrimaryKey` of `id`/String unless given, on-demand unless
 * `ProvisionedThroughput` is set). Names and ARNs come from the resource table, so they are exactly what
 * `!Ref`/`!GetAtt` give.
 */

import {
  TemplateError,
  type TableAttributeDefinition,
  type TableAttributeType,
  type TableIndexSpec,
  type TableKeyElement,
  type TableSpec,
  type TableTag,
  type TableThroughput,
} from '../model.js';
import type { ResourceEntry } from './resources.js';
import type { Scope } from './scope.js';
import { child, describe, integerIn, isRecord, optionalList, requireRecord, scalarText, type JsonRecord } from './values.js';

export const TABLE_TYPES = new Set(['AWS::DynamoDB::Table', 'AWS::Serverless::SimpleTable']);

const SIMPLE_TYPES: Readonly<Record<string, TableAttributeType>> = { String: 'S', Number: 'N', Binary: 'B' };
const STREAM_VIEW_TYPES = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'];
const PROJECTION_TYPES = ['ALL', 'KEYS_ONLY', 'INCLUDE'];
const MAX_CAPACITY = 1_000_000_000_000;

function requiredText(record: JsonRecord, key: string, path: string): string {
  const value = record[key];
  if (value === undefined || value === null) throw new TemplateError(`${key} is required`, child(path, key));
  const text = scalarText(value, child(path, key));
  if (text === '') throw new TemplateError('must not be empty', child(path, key));
  return text;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], path: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new TemplateError(`must be one of ${allowed.join(', ')}, got ${describe(value)}`, path);
  }
  return value as T;
}

function booleanOf(value: unknown, path: string): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new TemplateError(`must be true or false, got ${describe(value)}`, path);
}

function keySchema(value: unknown, path: string): TableKeyElement[] {
  if (value === undefined || value === null) throw new TemplateError('is required', path);
  const list = optionalList(value, path);
  if (list.length < 1 || list.length > 2) throw new TemplateError(`must list one or two keys, got ${list.length}`, path);
  const keys = list.map((raw, i) => {
    const at = child(path, i);
    const element = requireRecord(raw, at);
    const keyType = oneOf(requiredText(element, 'KeyType', at), ['HASH', 'RANGE'] as const, child(at, 'KeyType'));
    return { attributeName: requiredText(element, 'AttributeName', at), keyType };
  });
  if (keys[0]!.keyType !== 'HASH') throw new TemplateError('the first key must be the HASH key', child(path, 0));
  if (keys[1] && keys[1].keyType !== 'RANGE') throw new TemplateError('the second key must be the RANGE key', child(path, 1));
  if (keys[1] && keys[1].attributeName === keys[0]!.attributeName) throw new TemplateError('the HASH and RANGE keys must differ', path);
  return keys;
}

function throughput(value: unknown, path: string): TableThroughput {
  const record = requireRecord(value, path);
  const units = (key: string): number => {
    if (record[key] === undefined || record[key] === null) throw new TemplateError(`${key} is required`, child(path, key));
    return integerIn(record[key], child(path, key), 1, MAX_CAPACITY, 1);
  };
  return { readCapacityUnits: units('ReadCapacityUnits'), writeCapacityUnits: units('WriteCapacityUnits') };
}

function checkDefined(keys: readonly TableKeyElement[], types: ReadonlyMap<string, TableAttributeType>, path: string): void {
  const missing = keys.find((k) => !types.has(k.attributeName));
  if (missing) throw new TemplateError(`key attribute ${describe(missing.attributeName)} is not in AttributeDefinitions`, path);
}

function indexes(value: unknown, path: string, provisioned: boolean, types: ReadonlyMap<string, TableAttributeType>, local: boolean): TableIndexSpec[] {
  return optionalList(value, path).map((raw, i) => {
    const at = child(path, i);
    const index = requireRecord(raw, at);
    const keys = keySchema(index.KeySchema, child(at, 'KeySchema'));
    checkDefined(keys, types, child(at, 'KeySchema'));
    const projection = requireRecord(index.Projection ?? {}, child(at, 'Projection'));
    const projectionType =
      projection.ProjectionType === undefined ? 'ALL' : oneOf(scalarText(projection.ProjectionType, child(at, 'Projection.ProjectionType')), PROJECTION_TYPES, child(at, 'Projection.ProjectionType'));
    const nonKey = optionalList(projection.NonKeyAttributes, child(at, 'Projection.NonKeyAttributes')).map((n, j) =>
      scalarText(n, child(child(at, 'Projection.NonKeyAttributes'), j)),
    );
    const declared = index.ProvisionedThroughput;
    return {
      indexName: requiredText(index, 'IndexName', at),
      keySchema: keys,
      projectionType,
      nonKeyAttributes: nonKey,
      provisionedThroughput: !local && provisioned && declared !== undefined ? throughput(declared, child(at, 'ProvisionedThroughput')) : undefined,
    };
  });
}

/** `Tags` as CloudFormation lists them ([{Key, Value}]) or as SAM's SimpleTable maps them ({key: value}). */
function tags(value: unknown, path: string): { tags?: TableTag[] } {
  if (value === undefined || value === null) return {};
  if (isRecord(value)) return { tags: Object.entries(value).map(([key, v]) => ({ key, value: scalarText(v, child(path, key)) })) };
  return {
    tags: optionalList(value, path).map((raw, i) => {
      const tag = requireRecord(raw, child(path, i));
      return { key: requiredText(tag, 'Key', child(path, i)), value: tag.Value === undefined ? '' : scalarText(tag.Value, child(child(path, i), 'Value')) };
    }),
  };
}

function dynamoDbTable(props: JsonRecord, path: string, warnings: string[]): Omit<TableSpec, 'logicalId' | 'type' | 'name' | 'arn'> {
  const keys = keySchema(props.KeySchema, child(path, 'KeySchema'));
  const defsPath = child(path, 'AttributeDefinitions');
  if (props.AttributeDefinitions === undefined || props.AttributeDefinitions === null) throw new TemplateError('is required', defsPath);
  const definitions: TableAttributeDefinition[] = optionalList(props.AttributeDefinitions, defsPath).map((raw, i) => {
    const at = child(defsPath, i);
    const d = requireRecord(raw, at);
    const attributeType = oneOf(requiredText(d, 'AttributeType', at), ['S', 'N', 'B'] as const, child(at, 'AttributeType'));
    return { attributeName: requiredText(d, 'AttributeName', at), attributeType };
  });
  const types = new Map<string, TableAttributeType>();
  for (const d of definitions) {
    if (types.has(d.attributeName)) throw new TemplateError(`attribute ${describe(d.attributeName)} is defined twice`, defsPath);
    types.set(d.attributeName, d.attributeType);
  }
  checkDefined(keys, types, child(path, 'KeySchema'));
  const billingPath = child(path, 'BillingMode');
  const throughputPath = child(path, 'ProvisionedThroughput');
  let billingMode: TableSpec['billingMode'];
  if (props.BillingMode !== undefined) {
    billingMode = oneOf(scalarText(props.BillingMode, billingPath), ['PROVISIONED', 'PAY_PER_REQUEST'] as const, billingPath);
    if (billingMode === 'PROVISIONED' && props.ProvisionedThroughput === undefined) throw new TemplateError('is required when BillingMode is PROVISIONED', throughputPath);
  } else if (props.ProvisionedThroughput !== undefined) {
    billingMode = 'PROVISIONED';
  } else {
    // CloudFormation would refuse this (PROVISIONED is the default and needs throughput); running it on demand
    // loses nothing locally.
    warnings.push(`${path}: neither BillingMode nor ProvisionedThroughput is set; the table is created on demand (PAY_PER_REQUEST)`);
    billingMode = 'PAY_PER_REQUEST';
  }
  const provisioned = billingMode === 'PROVISIONED';
  if (!provisioned && props.ProvisionedThroughput !== undefined) throw new TemplateError('must not be set when BillingMode is PAY_PER_REQUEST', throughputPath);

  let streamViewType: string | undefined;
  if (props.StreamSpecification !== undefined) {
    const streamPath = child(path, 'StreamSpecification');
    const stream = requireRecord(props.StreamSpecification, streamPath);
    streamViewType = oneOf(requiredText(stream, 'StreamViewType', streamPath), STREAM_VIEW_TYPES, child(streamPath, 'StreamViewType'));
  }
  let timeToLive: TableSpec['timeToLive'];
  if (props.TimeToLiveSpecification !== undefined) {
    const ttlPath = child(path, 'TimeToLiveSpecification');
    const ttl = requireRecord(props.TimeToLiveSpecification, ttlPath);
    const enabled = booleanOf(ttl.Enabled, child(ttlPath, 'Enabled'));
    const attributeName = ttl.AttributeName === undefined ? '' : scalarText(ttl.AttributeName, child(ttlPath, 'AttributeName'));
    if (enabled && attributeName === '') throw new TemplateError('AttributeName is required when Enabled is true', ttlPath);
    timeToLive = { attributeName, enabled };
  }
  return {
    keySchema: keys,
    attributeDefinitions: definitions,
    billingMode,
    provisionedThroughput: provisioned ? throughput(props.ProvisionedThroughput, throughputPath) : undefined,
    streamViewType,
    timeToLive,
    globalSecondaryIndexes: indexes(props.GlobalSecondaryIndexes, child(path, 'GlobalSecondaryIndexes'), provisioned, types, false),
    localSecondaryIndexes: indexes(props.LocalSecondaryIndexes, child(path, 'LocalSecondaryIndexes'), provisioned, types, true),
    ...tags(props.Tags, child(path, 'Tags')),
  };
}

function simpleTable(props: JsonRecord, path: string): Omit<TableSpec, 'logicalId' | 'type' | 'name' | 'arn'> {
  let attributeName = 'id';
  let attributeType: TableAttributeType = 'S';
  if (props.PrimaryKey !== undefined && props.PrimaryKey !== null) {
    const keyPath = child(path, 'PrimaryKey');
    const key = requireRecord(props.PrimaryKey, keyPath);
    attributeName = requiredText(key, 'Name', keyPath);
    const typeName = requiredText(key, 'Type', keyPath);
    const type = SIMPLE_TYPES[typeName];
    if (!type) throw new TemplateError(`must be one of String, Number, Binary, got ${describe(typeName)}`, child(keyPath, 'Type'));
    attributeType = type;
  }
  const declared = props.ProvisionedThroughput;
  const provisioned = declared !== undefined && declared !== null;
  return {
    keySchema: [{ attributeName, keyType: 'HASH' }],
    attributeDefinitions: [{ attributeName, attributeType }],
    billingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
    provisionedThroughput: provisioned ? throughput(declared, child(path, 'ProvisionedThroughput')) : undefined,
    streamViewType: undefined,
    timeToLive: undefined,
    globalSecondaryIndexes: [],
    localSecondaryIndexes: [],
    ...tags(props.Tags, child(path, 'Tags')),
  };
}

/** The model's tables, one per active table resource, in template order. */
export function buildTables(scope: Scope, active: readonly ResourceEntry[], warnings: string[]): TableSpec[] {
  const tables: TableSpec[] = [];
  for (const entry of active) {
    if (!TABLE_TYPES.has(entry.type)) continue;
    const id = entry.logicalId;
    const path = `Resources.${id}.Properties`;
    const props = scope.table.resolvedProperties(id);
    if (!isRecord(props)) throw new TemplateError('must be a mapping', path);
    const declared = entry.type === 'AWS::Serverless::SimpleTable' ? simpleTable(props, path) : dynamoDbTable(props, path, warnings);
    const name = scalarText(scope.table.ref(id, `Resources.${id}`), child(path, 'TableName'));
    if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(name)) {
      throw new TemplateError(`must be 3-255 letters, digits, "_", "-" or ".", got ${describe(name)}`, child(path, 'TableName'));
    }
    const arn = scalarText(scope.table.getAtt(id, 'Arn', `Resources.${id}`), `Resources.${id}`);
    const streamArn = declared.streamViewType ? scalarText(scope.table.getAtt(id, 'StreamArn', `Resources.${id}`), `Resources.${id}`) : undefined;
    tables.push({ logicalId: id, type: entry.type, name, arn, ...declared, streamArn });
  }
  const seen = new Map<string, string>();
  for (const table of tables) {
    const other = seen.get(table.name);
    if (other) throw new TemplateError(`table name ${describe(table.name)} is also used by ${other}`, `Resources.${table.logicalId}.Properties.TableName`);
    seen.set(table.name, table.logicalId);
  }
  return tables;
}
