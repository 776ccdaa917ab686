// UpdateTimeToLive and DescribeTimeToLive. The setting lives in the table metadata; the sweeper
// (service/ttl-sweeper.ts) deletes expired items. AWS takes up to an hour to apply a change (ENABLING/DISABLING);
// here it applies at once, so the status is always ENABLED or DISABLED. Enabling an enabled table (whatever the
// attribute) answers "TimeToLive is already enabled", disabling a disabled one "TimeToLive is already disabled".
import { tableNotFound, validationException } from '../service/errors.js';
import { readMetadata, type TableMetadata } from '../service/tables.js';
import { FieldChecks, shape } from '../service/validation.js';
import { StorageError } from '../storage/storage.js';
import { namedTable, type Action } from './common.js';

const MAX_ATTRIBUTE_NAME = 255;

export const updateTimeToLive: Action = async (data, ctx) => {
  const name = shape.string(data, 'TableName');
  const spec = shape.struct(data, 'TimeToLiveSpecification');
  const enabled = spec ? shape.boolean(spec, 'Enabled') : undefined;
  const attributeName = spec ? shape.string(spec, 'AttributeName') : undefined;
  const checks = new FieldChecks();
  checks.tableName(name);
  if (checks.notNull(spec, 'timeToLiveSpecification')) {
    checks.notNull(enabled, 'timeToLiveSpecification.enabled');
    if (checks.notNull(attributeName, 'timeToLiveSpecification.attributeName')) {
      if (attributeName!.length < 1) checks.fail(attributeName, 'timeToLiveSpecification.attributeName', 'Member must have length greater than or equal to 1');
      if (attributeName!.length > MAX_ATTRIBUTE_NAME) checks.fail(attributeName, 'timeToLiveSpecification.attributeName', `Member must have length less than or equal to ${MAX_ATTRIBUTE_NAME}`);
    }
  }
  checks.done();
  const table = await ctx.storage.getTable(name!);
  if (!table) throw tableNotFound(name!);
  const metadata = readMetadata(table);
  const current = metadata.TimeToLive;
  if (enabled && current?.Enabled) throw validationException('TimeToLive is already enabled');
  if (!enabled && !current?.Enabled) throw validationException('TimeToLive is already disabled');
  if (!enabled && current && current.AttributeName !== attributeName) {
    throw validationException(`TimeToLive is active on a different AttributeName: current AttributeName is ${current.AttributeName}`);
  }
  const updated: TableMetadata = { ...metadata, TimeToLive: { AttributeName: attributeName!, Enabled: enabled! } };
  try {
    await ctx.storage.updateTableMetadata(name!, JSON.stringify(updated));
  } catch (err) {
    // Deleted in between.
    if (err instanceof StorageError && err.code === 'TableNotFound') throw tableNotFound(name!);
    throw err;
  }
  return { TimeToLiveSpecification: { Enabled: enabled, AttributeName: attributeName } };
};

export const describeTimeToLive: Action = async (data, ctx) => {
  const table = await namedTable(data, ctx);
  const ttl = readMetadata(table).TimeToLive;
  return {
    TimeToLiveDescription: ttl?.Enabled ? { TimeToLiveStatus: 'ENABLED', AttributeName: ttl.AttributeName } : { TimeToLiveStatus: 'DISABLED' },
  };
};
