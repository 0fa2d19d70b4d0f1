import type { CouponTemplate, UserCoupon } from '../domain/coupons/coupon';
import type { CouponRepository, IdempotencyLedger } from '../ports/coupons';

export function inMemoryCoupons(templates: CouponTemplate[]) {
  const coupons = new Map<string, UserCoupon>();
  const repository: CouponRepository = {
    async getTemplate(templateId) {
      return templates.find((t) => t.templateId === templateId);
    },
    async grant(coupon) {
      const key = `${coupon.userId}/${coupon.id}`;
      if (coupons.has(key)) return false;
      coupons.set(key, { ...coupon });
      return true;
    },
    async listForUser(userId) {
      return [...coupons.values()].filter((c) => c.userId === userId);
    },
    async find(userId, couponId) {
      return coupons.get(`${userId}/${couponId}`);
    },
    async giveBack(userId, couponId, orderId, to) {
      const coupon = coupons.get(`${userId}/${couponId}`);
      if (coupon?.status !== 'USED' || coupon.orderId !== orderId) return false;
      coupons.set(`${userId}/${couponId}`, { ...coupon, status: to, orderId: undefined });
      return true;
    },
  };
  return { repository, coupons };
}

/** The ledger's semantics without Redis: leases that expire when the test says so. */
export function inMemoryLedger() {
  const entries = new Map<string, 'LEASE' | 'DONE'>();
  let available = true;
  const ledger: IdempotencyLedger = {
    async begin(key) {
      if (!available) return 'UNAVAILABLE';
      const entry = entries.get(key);
      if (entry === 'DONE') return 'DONE';
      if (entry === 'LEASE') return 'IN_PROGRESS';
      entries.set(key, 'LEASE');
      return 'ACQUIRED';
    },
    async complete(key) {
      if (available) entries.set(key, 'DONE');
    },
  };
  return {
    ledger,
    entries,
    expireLeases: () => [...entries].forEach(([k, v]) => v === 'LEASE' && entries.delete(k)),
    setAvailable: (value: boolean) => (available = value),
    flush: () => entries.clear(),
  };
}
