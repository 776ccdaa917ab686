// Stream sequence numbers: the storage's change sequence (an integer, increasing across the store) written as
// DynamoDB writes them, a string of at least 21 digits. Clients compare them as numbers (a longer string is a later
// record), so zero-padding keeps both string and numeric order.
const WIDTH = 21;

export function formatSequenceNumber(seq: number): string {
  return String(seq).padStart(WIDTH, '0');
}

/** The storage sequence of a sequence number, or undefined when it is not one Portico could have issued. */
export function parseSequenceNumber(text: string): number | undefined {
  if (!/^\d{1,40}$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}
