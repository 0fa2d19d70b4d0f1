import { CouponNotUsableError, EmptyOrderError, ProductNotFoundError } from './errors';
import type { OrderLine } from './order';

export type RequestedLine = { productId: string; quantity: number };
export type PricedProduct = { id: string; name: string; priceFen: number };

/** Prices what the shopper asked for from the store's own products; the client never sets a price. */
export function priceLines(requested: readonly RequestedLine[], products: ReadonlyMap<string, PricedProduct>): OrderLine[] {
  if (requested.length === 0) throw new EmptyOrderError();
  return requested.map(({ productId, quantity }) => {
    const product = products.get(productId);
    if (!product) throw new ProductNotFoundError(productId);
    return { productId, name: product.name, quantity, priceFen: product.priceFen };
  });
}

export function totalOf(lines: readonly OrderLine[]): number {
  return lines.reduce((sum, line) => sum + line.priceFen * line.quantity, 0);
}

export type ApplicableCoupon = { id: string; status: string; expiresAt: string; discountFen: number; thresholdFen: number };

/**
 * What a coupon takes off: its discount, once the total reaches its threshold, and never so much that less than one
 * fen is left to pay (WeChat Pay cannot take a zero payment). Fails when the coupon is not the caller's, not UNUSED,
 * expired or below its threshold.
 */
export function couponDiscount(totalFen: number, coupon: ApplicableCoupon | undefined, couponId: string, now: Date): number {
  if (!coupon) throw new CouponNotUsableError(couponId, 'you hold no such coupon');
  if (coupon.status !== 'UNUSED') throw new CouponNotUsableError(couponId, `it is ${coupon.status}`);
  if (coupon.expiresAt <= now.toISOString()) throw new CouponNotUsableError(couponId, 'it has expired');
  if (totalFen < coupon.thresholdFen) throw new CouponNotUsableError(couponId, `it applies from ${coupon.thresholdFen} fen and the order totals ${totalFen}`);
  return Math.min(coupon.discountFen, totalFen - 1);
}
