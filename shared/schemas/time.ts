import * as z from './zod';

/**
 * An instant in a query (`2026-11-28T16:00:00+08:00`, `2026-11-28T08:00:00Z`): an ISO time with its offset, turned into
 * the UTC form every stored time has (`2026-11-28T08:00:00.000Z`), so that it compares with them as text.
 */
export const isoInstant = z.pipe(
  z.iso.datetime({ offset: true }),
  z.transform((value: string) => new Date(value).toISOString()),
);
