import * as z from './zod';

/** Ids of stores, products, coupons and the like, in paths and bodies: URL-safe, at most 64 characters. */
export const entityId = z.string().check(z.regex(/^[0-9A-Za-z_-]{1,64}$/, 'must be 1-64 characters of 0-9, A-Z, a-z, _ and -'));

/** An order's id, which is also its WeChat Pay `out_trade_no`: 6-32 characters of [0-9A-Za-z_-]. */
export const orderId = z.string().check(z.regex(/^[0-9A-Za-z_-]{6,32}$/, 'must be 6-32 characters of 0-9, A-Z, a-z, _ and -'));
