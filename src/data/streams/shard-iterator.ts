// Shard iterators: opaque to clients, self-contained here (no server-side state to lose or leak). An iterator names
// its stream, shard and position (read records after storage sequence `after`) and when it was issued; it expires
// 15 minutes later, as on AWS. The stream ARN leads the text, as AWS's iterators do.
import { validationException } from '../service/errors.js';
import { expiredIterator } from './errors.js';

export const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;

export interface ShardPosition {
  readonly arn: string;
  readonly shardId: string;
  /** Records with a storage sequence greater than this come next. */
  readonly after: number;
}

interface Encoded {
  s: string;
  a: number;
  t: number;
}

export function encodeIterator(position: ShardPosition, now: Date): string {
  const body: Encoded = { s: position.shardId, a: position.after, t: now.getTime() };
  return `${position.arn}|1|${Buffer.from(JSON.stringify(body)).toString('base64url')}`;
}

/** The position an iterator holds; ValidationException when it is not one, ExpiredIteratorException when too old. */
export function decodeIterator(iterator: string, now: Date): ShardPosition {
  const last = iterator.lastIndexOf('|');
  const mid = iterator.lastIndexOf('|', last - 1);
  let body: Partial<Encoded> | undefined;
  try {
    body = mid > 0 ? (JSON.parse(Buffer.from(iterator.slice(last + 1), 'base64url').toString('utf8')) as Partial<Encoded>) : undefined;
  } catch {
    body = undefined;
  }
  if (!body || typeof body.s !== 'string' || !Number.isSafeInteger(body.a) || !Number.isSafeInteger(body.t)) throw validationException('Invalid ShardIterator');
  if (now.getTime() - body.t! > ITERATOR_LIFETIME_MS) throw expiredIterator();
  return { arn: iterator.slice(0, mid), shardId: body.s, after: body.a! };
}
