import { orderStatuses } from '../../shared/domain/ordering/order';
import { entityId } from '../../shared/schemas/ids';
import { pageFields } from '../../shared/schemas/paging';
import { isoInstant } from '../../shared/schemas/time';
import * as z from '../../shared/schemas/zod';

/** Filters of the operators' order list; `from` and `to` bound the creation time, both inclusive. */
export const adminListOrdersQuery = z
  .object({ ...pageFields, status: z.optional(z.enum(orderStatuses)), storeId: z.optional(entityId), from: z.optional(isoInstant), to: z.optional(isoInstant) })
  .check(z.refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, { message: 'must not be before from', path: ['to'] }));
