import { effectiveStatus, grantCoupon, grantedCouponId, type CouponTemplate } from './coupon';

const newUser: CouponTemplate = { templateId: 'tpl-new-user', kind: 'NEW_USER', name: 'New', discountFen: 500, thresholdFen: 2000, validDays: 30 };
const reward: CouponTemplate = { ...newUser, templateId: 'tpl-reward', kind: 'ORDER_REWARD' };

describe('coupon rules', () => {
  it('gives a new-user coupon one id per user, whatever the grant', () => {
    expect(grantedCouponId(newUser, {})).toBe(grantedCouponId(newUser, { orderId: 'o1' }));
  });

  it('gives a reward coupon one id per order', () => {
    expect(grantedCouponId(reward, { orderId: 'o1' })).toBe('tpl-reward.o1');
    expect(grantedCouponId(reward, { orderId: 'o2' })).not.toBe(grantedCouponId(reward, { orderId: 'o1' }));
  });

  it('expires a granted coupon after the template\'s valid days', () => {
    const coupon = grantCoupon(newUser, 'u1', new Date('2026-11-28T00:00:00.000Z'));
    expect(coupon).toMatchObject({ id: 'tpl-new-user', userId: 'u1', status: 'UNUSED', expiresAt: '2026-12-28T00:00:00.000Z' });
  });

  it('shows an unused coupon past its expiry as EXPIRED, and leaves others alone', () => {
    const expiresAt = '2026-12-01T00:00:00.000Z';
    expect(effectiveStatus({ status: 'UNUSED', expiresAt }, new Date('2026-11-30T00:00:00.000Z'))).toBe('UNUSED');
    expect(effectiveStatus({ status: 'UNUSED', expiresAt }, new Date('2026-12-01T00:00:00.000Z'))).toBe('EXPIRED');
    expect(effectiveStatus({ status: 'USED', expiresAt }, new Date('2027-01-01T00:00:00.000Z'))).toBe('USED');
  });
});
