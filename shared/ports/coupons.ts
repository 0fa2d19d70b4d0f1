import type { CouponTemplate, UserCoupon } from '../domain/coupons/coupon';

export interface CouponRepository {
  getTemplate(templateId: string): Promise<CouponTemplate | undefined>;
  /** Writes the coupon unless the user already holds one with its id; true when this call granted it. */
  grant(coupon: UserCoupon): Promise<boolean>;
  listForUser(userId: string): Promise<UserCoupon[]>;
  /** One of the user's coupons; undefined when the user holds none with this id (another user's included). */
  find(userId: string, couponId: string): Promise<UserCoupon | undefined>;
  /**
   * Gives a coupon a refunded order had used back to its user: USED by that order -> `to` (UNUSED, or EXPIRED when
   * past its expiry). False when it was not USED by this order (given back before): nothing changes then.
   */
  giveBack(userId: string, couponId: string, orderId: string, to: 'UNUSED' | 'EXPIRED'): Promise<boolean>;
}

/**
 * The Redis fast path in front of an idempotent effect. `begin` takes a lease with an expiry (not a bare mark), so a
 * consumer that dies between `begin` and the effect only delays the effect until the lease expires.
 */
export interface IdempotencyLedger {
  /**
   * ACQUIRED: this caller holds the lease, go ahead; DONE: the effect happened before; IN_PROGRESS: another caller
   * holds the lease; UNAVAILABLE: Redis cannot answer, rely on the durable check alone.
   */
  begin(key: string): Promise<'ACQUIRED' | 'DONE' | 'IN_PROGRESS' | 'UNAVAILABLE'>;
  /** Marks the effect done (after it happened). Best effort. */
  complete(key: string): Promise<void>;
}
