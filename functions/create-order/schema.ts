import { couponId, entityId } from '../../shared/schemas/ids';
import { lines, requestId } from '../../shared/schemas/ordering';
import * as z from '../../shared/schemas/zod';

/** `items` absent: the cart's lines (the cart is emptied with the order). */
export const createOrderBody = z.object({ requestId, storeId: entityId, items: z.optional(lines), couponId: z.optional(couponId) });
