import { effectiveStatus } from '../../domain/coupons/coupon';
import { logger } from '../../logging/logger';
import type { Clock } from '../../ports/clock';
import type { CouponRepository } from '../../ports/coupons';
import type { OrderRepository } from '../../ports/ordering';
import type { RefundRepository } from '../../ports/payments';
import { submitRefund, type SubmitRefundDeps } from '../payment/submit-refund';

export type ExecuteRefundDeps = SubmitRefundDeps & { orders: Pick<OrderRepository, 'get'>; refunds: Pick<RefundRepository, 'get' | 'updateStatus'> };

/**
 * Consumer of the committed OrderRefunded: asks WeChat Pay to execute the refund. A redelivery cannot refund twice:
 * only a REQUESTED refund is sent, and WeChat Pay refunds an out_refund_no at most once.
 */
export async function executeRefund(deps: ExecuteRefundDeps, input: { orderId: string; outRefundNo: string }): Promise<string> {
  const [refund, order] = await Promise.all([deps.refunds.get(input.orderId, input.outRefundNo), deps.orders.get(input.orderId)]);
  if (!refund || !order) {
    // A committed OrderRefunded always has its record (the check-back commits only then): this is data loss.
    logger.error('OrderRefunded without its refund record or order: nothing to execute', input);
    return 'MISSING';
  }
  return submitRefund(deps, order, refund);
}

export type GiveCouponBackDeps = { coupons: Pick<CouponRepository, 'find' | 'giveBack'>; clock: Clock };

/**
 * Consumer of the committed OrderRefunded: gives the coupon the order used back to its user, USED -> UNUSED (or
 * EXPIRED when it is past its expiry), once: the write is conditional on the coupon being USED by this order.
 */
export async function giveCouponBack(deps: GiveCouponBackDeps, input: { orderId: string; userId: string; couponId?: string }): Promise<'RETURNED' | 'NONE' | 'DUPLICATE'> {
  if (!input.couponId) return 'NONE';
  const coupon = await deps.coupons.find(input.userId, input.couponId);
  if (!coupon || coupon.status !== 'USED' || coupon.orderId !== input.orderId) return 'DUPLICATE';
  const to = effectiveStatus({ status: 'UNUSED', expiresAt: coupon.expiresAt }, deps.clock.now()) === 'EXPIRED' ? 'EXPIRED' : 'UNUSED';
  if (!(await deps.coupons.giveBack(input.userId, input.couponId, input.orderId, to))) return 'DUPLICATE';
  logger.info('coupon of a refunded order given back', { orderId: input.orderId, couponId: input.couponId, couponStatus: to });
  return 'RETURNED';
}
