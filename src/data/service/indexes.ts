// Secondary indexes as the service sees them: their metadata (kept in the table's metadata JSON), their key attributes
// with types, the index entries an item produces (sparse: an item lacking an index key attribute is not in the index),
// the write-time type checks, and the projection applied on reads. Messages: architect/dynalite db/index.js
// (validateItem/validateUpdates) and, for empty index keys, DynamoDB's own ("A value specified for a secondary index
// key is not supported", quoted in dynalite issue #184; "Size limit exceeded for Index Key", dynalite issue #35).
import type { AttributeValue, Item } from '../types/attribute-value.js';
import { DynamoValidationError } from '../types/errors.js';
import type { IndexEntry, KeyAttribute, TableInfo } from '../storage/storage.js';
import { keyBytesOf, readMetadata, type KeySchemaElement, type TableMetadata } from './tables.js';

export type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
export type IndexStatus = 'CREATING' | 'UPDATING' | 'DELETING' | 'ACTIVE';

export interface Projection {
  ProjectionType: ProjectionType;
  NonKeyAttributes?: string[];
}

/** One index as stored in the table metadata (GlobalSecondaryIndexes / LocalSecondaryIndexes). */
export interface IndexMetadata {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: Projection;
  /** Global indexes only: CREATING while UpdateTable's backfill runs, else ACTIVE. */
  IndexStatus?: IndexStatus;
  /** Global indexes of provisioned tables (0 on demand). */
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

/** An index ready for item work: typed key attributes and the attributes its projection keeps. */
export interface ResolvedIndex {
  readonly name: string;
  readonly global: boolean;
  /** A global index UpdateTable is still backfilling: it takes writes but cannot be read yet. */
  readonly backfilling: boolean;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly projection: ProjectionType;
  /** Table key, index key and (INCLUDE) non-key attributes; undefined for ALL. */
  readonly projected?: ReadonlySet<string>;
}

// TableInfo objects are cached by the storage until the table changes, so resolving once per object is enough.
const resolved = new WeakMap<TableInfo, readonly ResolvedIndex[]>();

function resolve(table: TableInfo, m: TableMetadata, index: IndexMetadata, global: boolean): ResolvedIndex {
  const types = new Map(m.AttributeDefinitions.map((d) => [d.AttributeName, d.AttributeType]));
  const attr = (k: KeySchemaElement): KeyAttribute => ({ name: k.AttributeName, type: types.get(k.AttributeName)! });
  const [hash, range] = index.KeySchema;
  const type = index.Projection.ProjectionType;
  const { partitionKey, sortKey } = table.keySchema;
  const keys = [partitionKey.name, ...(sortKey ? [sortKey.name] : []), ...index.KeySchema.map((k) => k.AttributeName)];
  return {
    name: index.IndexName,
    global,
    backfilling: index.IndexStatus === 'CREATING',
    partitionKey: attr(hash!),
    ...(range ? { sortKey: attr(range) } : {}),
    projection: type,
    ...(type === 'ALL' ? {} : { projected: new Set([...keys, ...(type === 'INCLUDE' ? (index.Projection.NonKeyAttributes ?? []) : [])]) }),
  };
}

/** The table's indexes, local first, in declaration order. */
export function tableIndexes(table: TableInfo): readonly ResolvedIndex[] {
  let indexes = resolved.get(table);
  if (!indexes) {
    const m = readMetadata(table);
    indexes = [
      ...(m.LocalSecondaryIndexes ?? []).map((i) => resolve(table, m, i, false)),
      ...(m.GlobalSecondaryIndexes ?? []).map((i) => resolve(table, m, i, true)),
    ];
    resolved.set(table, indexes);
  }
  return indexes;
}

/** The index a Query or Scan names: "The table does not have the specified index: <name>" when there is none. */
export function namedIndex(table: TableInfo, name: string): ResolvedIndex {
  const index = tableIndexes(table).find((i) => i.name === name);
  if (!index) throw new DynamoValidationError(`The table does not have the specified index: ${name}`);
  return index;
}

function indexKeyAttributes(index: ResolvedIndex): KeyAttribute[] {
  return index.sortKey ? [index.partitionKey, index.sortKey] : [index.partitionKey];
}

const MAX_INDEX_HASH_BYTES = 2048;
const MAX_INDEX_RANGE_BYTES = 1024;

function checkIndexKeySize(index: ResolvedIndex, attr: KeyAttribute, value: AttributeValue): void {
  const size = 'S' in value ? Buffer.byteLength(value.S, 'utf8') : 'B' in value ? Buffer.from(value.B, 'base64').length : 0;
  const max = attr === index.partitionKey ? MAX_INDEX_HASH_BYTES : MAX_INDEX_RANGE_BYTES;
  if (size > max) {
    throw new DynamoValidationError(
      `One or more parameter values were invalid: Size limit exceeded for Index Key ${attr.name} Actual Size: ${size} bytes Max Size: ${max} bytes IndexName: ${index.name}`,
    );
  }
}

/**
 * An item about to be written must give each index key attribute it carries the declared type, and no empty
 * string or binary value.
 */
export function checkIndexKeys(table: TableInfo, item: Item): void {
  for (const index of tableIndexes(table)) {
    for (const attr of indexKeyAttributes(index)) {
      const value = item[attr.name];
      if (value === undefined) continue;
      const actual = Object.keys(value)[0];
      if (actual !== attr.type) {
        throw new DynamoValidationError(
          `One or more parameter values were invalid: Type mismatch for Index Key ${attr.name} Expected: ${attr.type} Actual: ${actual} IndexName: ${index.name}`,
        );
      }
      const empty = 'S' in value ? value.S === '' : 'B' in value && value.B === '';
      if (empty) {
        throw new DynamoValidationError(
          'One or more parameter values are not valid. A value specified for a secondary index key is not supported. ' +
            `The AttributeValue for a key attribute cannot contain an empty ${'S' in value ? 'string' : 'binary'} value. IndexName: ${index.name}, IndexKey: ${attr.name}`,
        );
      }
      checkIndexKeySize(index, attr, value);
    }
  }
}

function indexable(value: AttributeValue | undefined, attr: KeyAttribute): value is AttributeValue {
  if (value === undefined || Object.keys(value)[0] !== attr.type) return false;
  return !('S' in value && value.S === '') && !('B' in value && value.B === '');
}

/** The index entries of an item (checked with `checkIndexKeys`); undefined for a table without indexes. */
export function indexEntriesOf(table: TableInfo, item: Item): IndexEntry[] | undefined {
  const indexes = tableIndexes(table);
  if (indexes.length === 0) return undefined;
  const entries: IndexEntry[] = [];
  for (const index of indexes) {
    const hash = item[index.partitionKey.name];
    const range = index.sortKey ? item[index.sortKey.name] : undefined;
    // Sparse: no entry without every index key attribute. A value of another type only exists in items written before
    // the index (UpdateTable's backfill skips them, as DynamoDB's reports them as violations rather than index them).
    if (!indexable(hash, index.partitionKey) || (index.sortKey && !indexable(range, index.sortKey))) continue;
    entries.push({
      index: index.name,
      pk: keyBytesOf(index.partitionKey, hash!),
      sk: index.sortKey ? keyBytesOf(index.sortKey, range!) : Buffer.alloc(0),
    });
  }
  return entries;
}

/** The item as the index holds it: only its projected attributes (all of them for ALL). */
export function projectToIndex(index: ResolvedIndex, item: Item): Item {
  if (!index.projected) return item;
  const out: Item = {};
  for (const name of Object.keys(item)) if (index.projected.has(name)) out[name] = item[name]!;
  return out;
}
