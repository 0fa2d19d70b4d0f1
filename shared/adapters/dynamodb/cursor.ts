import { InvalidCursorError } from '../../ports/paging';

/**
 * Page cursors of the admin lists: the position of the last item shown, as base64url JSON. A cursor comes back from
 * the client, so it is checked field by field before any of it reaches DynamoDB: exactly the expected fields, each a
 * string that passes its check (an ISO time, an id of the right shape, the digest of the query it was issued for).
 * Operators may read every item anyway, so a hand-made position gains nothing; the checks keep garbage out of the
 * queries and a cursor from being replayed against another filter.
 */
export function encodeCursor(position: Record<string, string>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<K extends string>(cursor: string, checks: Record<K, (value: string) => boolean>): Record<K, string> {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof position !== 'object' || position === null || Array.isArray(position)) throw new InvalidCursorError();
  const fields = Object.keys(checks).sort();
  if (Object.keys(position).sort().join(',') !== fields.join(',')) throw new InvalidCursorError();
  const values = position as Record<string, unknown>;
  for (const field of fields) {
    const value = values[field];
    if (typeof value !== 'string' || !checks[field as K](value)) throw new InvalidCursorError();
  }
  return values as Record<K, string>;
}

/** `2026-11-28T08:00:00.000Z`, as `Date.toISOString` writes every time we store. */
export const isStoredTime = (value: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(value) && !Number.isNaN(Date.parse(value));
