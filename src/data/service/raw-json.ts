// Stored items are JSON text already (the storage keeps what JSON.stringify wrote). A response that returns them
// unchanged — GetItem without a projection, a Query or Scan page without filter or projection — carries that text
// as it is instead of parsing it into objects only to serialise them again.

/** JSON text placed verbatim in a response: a top-level member, or an element of a top-level array. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON.stringify(response), with RawJson members and array elements written as their text. */
export function responseText(response: Readonly<Record<string, unknown>>): string {
  let raw = false;
  for (const key in response) {
    const value = response[key];
    if (value instanceof RawJson || (Array.isArray(value) && value.length > 0 && value[0] instanceof RawJson)) {
      raw = true;
      break;
    }
  }
  if (!raw) return JSON.stringify(response);
  let out = '';
  for (const key in response) {
    const value = response[key];
    if (value === undefined) continue;
    out += `${out === '' ? '{' : ','}${JSON.stringify(key)}:${memberText(value)}`;
  }
  return out === '' ? '{}' : `${out}}`;
}

function memberText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (!Array.isArray(value)) return JSON.stringify(value);
  let out = '[';
  for (let i = 0; i < value.length; i++) {
    const element: unknown = value[i];
    out += (i === 0 ? '' : ',') + (element instanceof RawJson ? element.text : JSON.stringify(element));
  }
  return `${out}]`;
}
