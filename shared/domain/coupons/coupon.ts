/** What a coupon template is for: which flow grants it. */
export type CouponKind = 'NEW_USER' | 'ORDER_REWARD';

export type CouponTemplate = {
  templateId: string;
  kind: CouponKind;
  name: string;
  discountFen: number;
  /** The order total (fen) from which the coupon applies. */
  thresholdFen: number;
  /** Days from the grant until the coupon expires. */
  validDays: number;
};

export const couponStatuses = ['UNUSED', 'LOCKED', 'USED', 'EXPIRED'] as const;
export type CouponStatus = (typeof couponStatuses)[number];

/** A coupon a user holds. */
export type UserCoupon = {
  id: string;
  userId: string;
  templateId: string;
  name: string;
  discountFen: number;
  thresholdFen: number;
  status: CouponStatus;
  grantedAt: string;
  expiresAt: string;
  /** The order holding a LOCKED coupon, or the one a USED coupon paid for. */
  orderId?: string;
};

/**
 * The coupon's id is derived from why it was granted, so that granting twice writes the same key and the
 * conditional write refuses the second: once per user for a new-user template, once per order for a reward.
 */
export function grantedCouponId(template: Pick<CouponTemplate, 'templateId' | 'kind'>, grantFor: { orderId?: string }): string {
  return template.kind === 'NEW_USER' ? template.templateId : `${template.templateId}.${grantFor.orderId}`;
}

/** A new coupon granted from a template at `now`. */
export function grantCoupon(template: CouponTemplate, userId: string, now: Date, grantFor: { orderId?: string } = {}): UserCoupon {
  return {
    id: grantedCouponId(template, grantFor),
    userId,
    templateId: template.templateId,
    name: template.name,
    discountFen: template.discountFen,
    thresholdFen: template.thresholdFen,
    status: 'UNUSED',
    grantedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + template.validDays * 86_400_000).toISOString(),
  };
}

/** The status a shopper sees: an unused coupon past its expiry is EXPIRED even before anything rewrites it. */
export function effectiveStatus(coupon: Pick<UserCoupon, 'status' | 'expiresAt'>, now: Date): CouponStatus {
  return coupon.status === 'UNUSED' && coupon.expiresAt <= now.toISOString() ? 'EXPIRED' : coupon.status;
}
