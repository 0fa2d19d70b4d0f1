import * as z from './zod';

/** Ids of stores, products and the like, in paths and bodies: URL-safe, at most 64 characters. */
export const entityId = z.string().check(z.regex(/^[0-9A-Za-z_-]{1,64}$/, 'must be 1-64 characters of 0-9, A-Z, a-z, _ and -'));

/**
 * A coupon's id as coupons are granted (`grantedCouponId`): its template's id, or `<templateId>.<orderId>` for the
 * reward of an order, which holds a dot that an entity id may not.
 */
export const couponId = z.string().check(z.maxLength(64), z.regex(/^[0-9A-Za-z_-]+(\.[0-9A-Za-z_-]+)?$/, 'must be a coupon id as GET /me/coupons lists it (1-64 characters of 0-9, A-Z, a-z, _ and -, at most one ".")'));

/** An order's id, which is also its WeChat Pay `out_trade_no`: 6-32 characters of [0-9A-Za-z_-]. */
export const orderId = z.string().check(z.regex(/^[0-9A-Za-z_-]{6,32}$/, 'must be 6-32 characters of 0-9, A-Z, a-z, _ and -'));
