// Query and Scan on a secondary index: which index, what a GSI refuses (consistent reads; ALL_ATTRIBUTES unless it
// projects ALL), the ExclusiveStartKey (table key + index key), LastEvaluatedKey and the projection. Messages:
// architect/dynalite actions/query.js and actions/scan.js, asserted against DynamoDB in its test/query.js, test/scan.js;
// "Cannot read from backfilling global secondary index" as DynamoDB answers (quoted in
// aws-cloudformation/cloudformation-coverage-roadmap issue #1075).
import { namedIndex, projectToIndex, type ResolvedIndex } from '../service/indexes.js';
import { keyBytesOf, readItem } from '../service/tables.js';
import type { IndexPosition, KeyAttribute, TableInfo } from '../storage/storage.js';
import type { Item } from '../types/attribute-value.js';
import { DynamoValidationError } from '../types/errors.js';
import { decodeKeyValue, keyAttributesOf, type ReadView } from './read-common.js';

/** The index a read names, refusing what DynamoDB refuses on it. */
export function indexForRead(table: TableInfo, name: string, select: string | undefined, consistent: boolean): ResolvedIndex {
  const index = namedIndex(table, name);
  if (index.backfilling) throw new DynamoValidationError('Cannot read from backfilling global secondary index');
  if (index.global && consistent) throw new DynamoValidationError('Consistent reads are not supported on global secondary indexes');
  if (index.global && select === 'ALL_ATTRIBUTES' && index.projection !== 'ALL') {
    throw new DynamoValidationError(
      `One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${name} because its projection type is not ALL`,
    );
  }
  return index;
}

function indexAttributes(index: ResolvedIndex): KeyAttribute[] {
  return index.sortKey ? [index.partitionKey, index.sortKey] : [index.partitionKey];
}

/** The attributes of a page position: the table key and the index key. */
function startKeyNames(table: TableInfo, index: ResolvedIndex): KeyAttribute[] {
  const { partitionKey, sortKey } = table.keySchema;
  const out = [partitionKey, ...(sortKey ? [sortKey] : [])];
  for (const attr of indexAttributes(index)) if (!out.some((a) => a.name === attr.name)) out.push(attr);
  return out;
}

/** ExclusiveStartKey on an index → storage position; "The provided starting key is invalid" when it is not one. */
export function indexStartOf(table: TableInfo, index: ResolvedIndex, raw: Record<string, unknown> | undefined): IndexPosition | undefined {
  if (raw === undefined) return undefined;
  const item = readItem(raw);
  const attrs = startKeyNames(table, index);
  if (Object.keys(item).length !== attrs.length || attrs.some((a) => item[a.name] === undefined)) {
    throw new DynamoValidationError('The provided starting key is invalid');
  }
  if (attrs.some((a) => Object.keys(item[a.name]!)[0] !== a.type)) {
    throw new DynamoValidationError('The provided key element does not match the schema');
  }
  const { partitionKey, sortKey } = table.keySchema;
  return {
    pk: keyBytesOf(partitionKey, item[partitionKey.name]!),
    sk: sortKey ? keyBytesOf(sortKey, item[sortKey.name]!) : Buffer.alloc(0),
    ipk: keyBytesOf(index.partitionKey, item[index.partitionKey.name]!),
    isk: index.sortKey ? keyBytesOf(index.sortKey, item[index.sortKey.name]!) : Buffer.alloc(0),
  };
}

/**
 * How an index read presents items. A GSI holds only its projection, so the filter and ProjectionExpression see
 * only that; an LSI fetches other attributes from the table when asked (ALL_ATTRIBUTES, a ProjectionExpression or a
 * filter on them), so they see the whole item and only the default result is cut to the projection.
 */
export function indexView(table: TableInfo, index: ResolvedIndex, select: string | undefined): ReadView<IndexPosition> {
  return {
    index: { name: index.name, global: index.global },
    keyOf: (position, item) => {
      const key: Item = keyAttributesOf(table, item ?? position);
      if (item) {
        for (const attr of indexAttributes(index)) key[attr.name] = item[attr.name]!;
        return key;
      }
      key[index.partitionKey.name] = decodeKeyValue(index.partitionKey, position.ipk);
      if (index.sortKey) key[index.sortKey.name] = decodeKeyValue(index.sortKey, position.isk);
      return key;
    },
    ...(index.global ? { filtered: (item: Item) => projectToIndex(index, item) } : {}),
    ...(select === 'ALL_ATTRIBUTES' ? {} : { returned: (item: Item) => projectToIndex(index, item) }),
  };
}
