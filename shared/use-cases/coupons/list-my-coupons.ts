import { effectiveStatus, type CouponStatus, type UserCoupon } from '../../domain/coupons/coupon';
import type { Clock } from '../../ports/clock';
import type { CouponRepository } from '../../ports/coupons';

export type ListMyCouponsDeps = { coupons: Pick<CouponRepository, 'listForUser'>; clock: Clock };

export type CouponView = Pick<UserCoupon, 'id' | 'templateId' | 'name' | 'discountFen' | 'thresholdFen' | 'status' | 'expiresAt'>;

/**
 * The caller's coupons, optionally of one status, soonest expiry first.
 *
 * Primary course:
 *  1. Read the user's coupons.
 *  2. Show each with the status the user sees (an unused coupon past its expiry is EXPIRED).
 *  3. Keep those of the asked status.
 */
export async function listMyCoupons(deps: ListMyCouponsDeps, input: { userId: string; status?: CouponStatus }): Promise<CouponView[]> {
  const now = deps.clock.now();
  return (await deps.coupons.listForUser(input.userId))
    .map(({ id, templateId, name, discountFen, thresholdFen, expiresAt, status }) => ({
      id,
      templateId,
      name,
      discountFen,
      thresholdFen,
      status: effectiveStatus({ status, expiresAt }, now),
      expiresAt,
    }))
    .filter((coupon) => !input.status || coupon.status === input.status)
    .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
}
