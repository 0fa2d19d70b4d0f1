import { MAX_LINES, MAX_QUANTITY } from '../domain/ordering/cart';
import { entityId, orderId } from './ids';
import * as z from './zod';

const line = z.object({ productId: entityId, quantity: z.int().check(z.gte(1), z.lte(MAX_QUANTITY)) });

/** Order or cart lines: at most MAX_LINES products, each once. */
export const lines = z.array(line).check(
  z.maxLength(MAX_LINES, `must hold at most ${MAX_LINES} different products`),
  z.refine((items) => new Set(items.map((item) => item.productId)).size === items.length, 'must name each product once (add up the quantities)'),
);

/** The client's idempotency key for one order: a UUID suits, any 8-64 of [0-9A-Za-z_-] will do. */
export const requestId = z.string().check(z.regex(/^[0-9A-Za-z_-]{8,64}$/, 'must be 8-64 characters of 0-9, A-Z, a-z, _ and - (a UUID suits)'));

export const orderIdPath = z.object({ orderId });
