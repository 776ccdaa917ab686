// What BatchGetItem, BatchWriteItem, TransactGetItems and TransactWriteItems share: the request's map/list shapes,
// table lookup once per table, and summed ConsumedCapacity per table. Messages: architect/dynalite
// validations/batchGetItem.js, validations/batchWriteItem.js and actions/batchWriteItem.js, asserted against
// DynamoDB in its test/batchGetItem.js and test/batchWriteItem.js.
import { serializationException } from '../service/errors.js';
import { tableForItems } from '../service/tables.js';
import type { Json } from '../service/validation.js';
import type { Storage, TableInfo } from '../storage/storage.js';
import type { Item } from '../types/attribute-value.js';
import { itemSize } from '../types/item-size.js';

/** A list member that must be a JSON object (coral reports anything else as a SerializationException). */
export function structMember(value: unknown): Json {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
  throw serializationException(Array.isArray(value) ? 'Start of list found where not expected' : 'Unexpected value type in payload');
}

/** Looks each table up once, in request order; the first unknown one is "Requested resource not found". */
export class TableCache {
  private readonly tables = new Map<string, TableInfo>();
  constructor(private readonly storage: Storage) {}

  async get(name: string): Promise<TableInfo> {
    let table = this.tables.get(name);
    if (!table) {
      table = await tableForItems(this.storage, name);
      this.tables.set(name, table);
    }
    return table;
  }
}

/** Capacity units summed per table, answered as a list (BatchGetItem/BatchWriteItem/Transact*). */
export class CapacityTally {
  private readonly units = new Map<string, number>();
  constructor(private readonly returnConsumed: string | undefined) {}

  /** Reads: 1 per 4 KB (half if eventually consistent); writes: 1 per KB; transactional operations cost double. */
  add(table: string, kind: 'read' | 'write', item: Item | undefined, options: { consistent?: boolean; transactional?: boolean } = {}): void {
    const size = item ? itemSize(item) : 0;
    let units = kind === 'write' ? Math.max(1, Math.ceil(size / 1024)) : Math.max(1, Math.ceil(size / 4096)) * (options.consistent ? 1 : 0.5);
    if (options.transactional) units = kind === 'write' ? units * 2 : Math.max(1, Math.ceil(size / 4096)) * 2;
    this.addUnits(table, units);
  }

  /** Units an operation already worked out (a PartiQL write's ConsumedCapacity). */
  addUnits(table: string, units: number): void {
    this.units.set(table, (this.units.get(table) ?? 0) + units);
  }

  result(): { ConsumedCapacity?: Record<string, unknown>[] } {
    if (this.returnConsumed !== 'TOTAL' && this.returnConsumed !== 'INDEXES') return {};
    const indexes = this.returnConsumed === 'INDEXES';
    return {
      ConsumedCapacity: [...this.units].map(([TableName, CapacityUnits]) => ({ TableName, CapacityUnits, ...(indexes ? { Table: { CapacityUnits } } : {}) })),
    };
  }
}
