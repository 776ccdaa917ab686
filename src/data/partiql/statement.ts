// One PartiQL statement from text to result: parameters validated as AttributeValues, the text parsed with them
// bound, the table looked up, then SELECT or a write run. Shared by ExecuteStatement, BatchExecuteStatement and
// ExecuteTransaction.
import { readItem, tableForItems } from '../service/tables.js';
import type { Storage, TableInfo } from '../storage/storage.js';
import type { AttributeValue } from '../types/attribute-value.js';
import type { Statement } from './ast.js';
import { parseStatement } from './parser.js';

/** `Parameters` as sent: each must be a valid AttributeValue (checked as the values of an item are). */
export function bindParameters(raw: readonly unknown[] | undefined): AttributeValue[] {
  if (!raw) return [];
  const asItem = readItem(Object.fromEntries(raw.map((v, i) => [String(i), v])));
  return raw.map((_, i) => asItem[String(i)]!);
}

export interface PreparedStatement {
  readonly statement: Statement;
  readonly table: TableInfo;
}

export async function prepareStatement(storage: Storage, text: string, rawParameters: readonly unknown[] | undefined): Promise<PreparedStatement> {
  const statement = parseStatement(text, bindParameters(rawParameters));
  const table = await tableForItems(storage, statement.target.table);
  return { statement, table };
}
