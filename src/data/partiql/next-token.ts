// ExecuteStatement's NextToken: the key of the last item a SELECT page evaluated, bound to the statement and its
// parameters by a fingerprint. DynamoDB tells a token it cannot read ("Invalid NextToken") from one minted by another
// request ("NextToken does not match request"); both messages are DynamoDB's.
import { createHash } from 'node:crypto';
import type { Item } from '../types/attribute-value.js';
import { DynamoValidationError } from '../types/errors.js';
import { PARTIQL_MESSAGES } from './messages.js';

export function fingerprint(statement: string, parameters: unknown): string {
  return createHash('sha256').update(JSON.stringify([statement, parameters ?? null])).digest('base64url').slice(0, 22);
}

export function encodeNextToken(print: string, lastKey: Item): string {
  return Buffer.from(JSON.stringify({ f: print, k: lastKey }), 'utf8').toString('base64');
}

/** The start key a token carries (not yet checked against the table's key schema). */
export function decodeNextToken(token: string, print: string): Record<string, unknown> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw new DynamoValidationError(PARTIQL_MESSAGES.invalidNextToken);
  }
  const body = decoded as { f?: unknown; k?: unknown } | null;
  if (typeof body !== 'object' || body === null || typeof body.k !== 'object' || body.k === null) {
    throw new DynamoValidationError(PARTIQL_MESSAGES.invalidNextToken);
  }
  if (body.f !== print) throw new DynamoValidationError(PARTIQL_MESSAGES.tokenMismatch);
  return body.k as Record<string, unknown>;
}
