// A Query or Scan page of the table itself. When nothing filters, projects or counts its items and no capacity is
// asked for, every item is returned exactly as stored, so the stored JSON texts go into the response as they are
// (RawJson) instead of being parsed and serialised again; only the last one is parsed, for LastEvaluatedKey.
import { RawJson } from '../service/raw-json.js';
import type { ItemKey, StoredItem, TableInfo } from '../storage/storage.js';
import type { Item } from '../types/attribute-value.js';
import { keyAttributesOf, readResult, tableView, type ReadResult } from './read-common.js';

type ReadOptions = Parameters<typeof readResult>[3];

export function readTableResult(table: TableInfo, page: { items: StoredItem[]; lastKey?: ItemKey }, options: ReadOptions): ReadResult | RawReadResult {
  const verbatim = !options.filter && !options.paths && options.select !== 'COUNT' && options.returnConsumed !== 'TOTAL' && options.returnConsumed !== 'INDEXES';
  return verbatim ? rawResult(table, page, options.limit) : readResult(table, page, tableView(table), options);
}

export interface RawReadResult {
  Items: RawJson[];
  Count: number;
  ScannedCount: number;
  LastEvaluatedKey?: Item;
}

/** readResult's answer for a page returned whole: the same members, in the same order. */
function rawResult(table: TableInfo, page: { items: StoredItem[]; lastKey?: ItemKey }, limit: number | undefined): RawReadResult {
  const items = page.items.map((stored) => new RawJson(stored.item));
  const last = page.items[page.items.length - 1];
  const full = limit !== undefined && page.items.length >= limit;
  let lastKey: Item | undefined;
  if (last && (full || page.lastKey)) lastKey = keyAttributesOf(table, JSON.parse(last.item) as Item);
  else if (page.lastKey) lastKey = keyAttributesOf(table, page.lastKey);
  return { Items: items, Count: items.length, ScannedCount: items.length, ...(lastKey ? { LastEvaluatedKey: lastKey } : {}) };
}
