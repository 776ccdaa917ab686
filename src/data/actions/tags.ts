// TagResource, UntagResource and ListTagsOfResource on a table ARN. Tags live in the table metadata, so they go with
// the table. Messages: architect/dynalite validations/tagResource.js, untagResource.js, listTagsOfResource.js and
// their actions (asserted against DynamoDB in its test/*.js, typos included); limits from the developer guide (50
// tags per resource, keys 1-128 and values 0-256 characters).
import { resourceNotFound } from '../service/errors.js';
import { readMetadata, type TableMetadata } from '../service/tables.js';
import { FieldChecks, shape, type Json } from '../service/validation.js';
import { StorageError, type TableInfo } from '../storage/storage.js';
import { DynamoValidationError } from '../types/errors.js';
import type { Action, ActionContext } from './common.js';

const MAX_TAGS = 50;
const TABLE_ARN = /^arn:aws:dynamodb:.+:\d+:table\/[^/]{2}[^/]+$/;

export type Tag = { Key: string; Value: string };

/** The ARN's table; "Invalid TableArn…" for what is not a table ARN. */
function tableNameOf(arn: string | undefined): string {
  if (arn === undefined) throw new DynamoValidationError('Invalid TableArn');
  if (!TABLE_ARN.test(arn)) throw new DynamoValidationError(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
  return arn.slice(arn.lastIndexOf('/') + 1);
}

async function taggedTable(ctx: ActionContext, arn: string, notFound: string): Promise<TableInfo> {
  const table = await ctx.storage.getTable(tableNameOf(arn));
  // The ARN must name this table in this region and account, not only a table of that name.
  if (!table || readMetadata(table).TableArn !== arn) throw resourceNotFound(notFound);
  return table;
}

async function saveTags(ctx: ActionContext, table: TableInfo, tags: Tag[]): Promise<void> {
  const metadata: TableMetadata = { ...readMetadata(table), Tags: tags };
  try {
    await ctx.storage.updateTableMetadata(table.name, JSON.stringify(metadata));
  } catch (err) {
    // Deleted in between.
    if (err instanceof StorageError && err.code === 'TableNotFound') throw resourceNotFound();
    throw err;
  }
}

/** The request's Tags (CreateTable, TagResource) with their field checks. */
export function readTags(data: Json, checks: FieldChecks): Tag[] | undefined {
  const tags = shape.list(data, 'Tags')?.map((t) => shape.struct({ t }, 't') ?? {});
  tags?.forEach((t, i) => {
    const key = shape.string(t, 'Key');
    const value = shape.string(t, 'Value');
    if (checks.notNull(key, `tags.${i + 1}.member.key`)) checks.length(key, `tags.${i + 1}.member.key`, 1, 128);
    if (checks.notNull(value, `tags.${i + 1}.member.value`)) checks.length(value, `tags.${i + 1}.member.value`, 0, 256);
  });
  return tags as Tag[] | undefined;
}

export const tagResource: Action = async (data, ctx) => {
  const arn = shape.string(data, 'ResourceArn');
  const checks = new FieldChecks();
  const tags = readTags(data, checks);
  if (arn === undefined) throw new DynamoValidationError('Invalid TableArn');
  checks.notNull(tags, 'tags');
  checks.done();
  tableNameOf(arn);
  if (tags!.length === 0) throw new DynamoValidationError('Atleast one Tag needs to be provided as Input.');
  const table = await taggedTable(ctx, arn, `Requested resource not found: ResourcArn: ${arn} not found`);
  const merged = new Map((readMetadata(table).Tags ?? []).map((t) => [t.Key, t.Value]));
  for (const t of tags!) merged.set(t.Key, t.Value);
  if (merged.size > MAX_TAGS) throw new DynamoValidationError(`One or more parameter values were invalid: The number of tags on the resource exceeds the limit of ${MAX_TAGS}`);
  await saveTags(ctx, table, [...merged].map(([Key, Value]) => ({ Key, Value })));
  return {};
};

export const untagResource: Action = async (data, ctx) => {
  const arn = shape.string(data, 'ResourceArn');
  const keys = shape.list(data, 'TagKeys');
  keys?.forEach((k) => shape.string({ k }, 'k'));
  if (arn === undefined) throw new DynamoValidationError('Invalid TableArn');
  const checks = new FieldChecks();
  checks.notNull(keys, 'tagKeys');
  checks.done();
  tableNameOf(arn);
  if (keys!.length === 0) throw new DynamoValidationError('Atleast one Tag Key needs to be provided as Input.');
  const table = await taggedTable(ctx, arn, 'Requested resource not found');
  const removed = new Set(keys as string[]);
  await saveTags(ctx, table, (readMetadata(table).Tags ?? []).filter((t) => !removed.has(t.Key)));
  return {};
};

/** All of a table's tags fit one page (at most 50), so there is never a NextToken. */
export const listTagsOfResource: Action = async (data, ctx) => {
  const arn = shape.string(data, 'ResourceArn');
  shape.string(data, 'NextToken');
  tableNameOf(arn);
  const table = await taggedTable(ctx, arn!, `Requested resource not found: ResourcArn: ${arn} not found`);
  return { Tags: readMetadata(table).Tags ?? [] };
};
