import * as z from './zod';

/** The query of a paged list: `limit` 1-100 (default 20) and the opaque `nextCursor` of the previous page. */
export const pageFields = {
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
};
