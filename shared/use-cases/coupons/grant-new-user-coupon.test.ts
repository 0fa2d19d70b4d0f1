import type { CouponTemplate } from '../../domain/coupons/coupon';
import { inMemoryCoupons, inMemoryLedger } from '../../testing/in-memory-coupons';
import { manualClock } from '../../testing/in-memory-users';
import { GrantInProgressError, grantNewUserCoupon, type GrantNewUserCouponDeps } from './grant-new-user-coupon';

const template: CouponTemplate = { templateId: 'tpl-new-user', kind: 'NEW_USER', name: '新人券', discountFen: 500, thresholdFen: 2000, validDays: 30 };

function setup() {
  const coupons = inMemoryCoupons([template]);
  const ledger = inMemoryLedger();
  const deps: GrantNewUserCouponDeps = { coupons: coupons.repository, ledger: ledger.ledger, clock: manualClock(), newUserTemplateId: 'tpl-new-user' };
  return { deps, coupons, ledger };
}

describe('grant the new-user coupon', () => {
  it('grants it once and answers DUPLICATE afterwards from the fast path', async () => {
    const { deps, coupons } = setup();
    expect(await grantNewUserCoupon(deps, { userId: 'u1' })).toBe('GRANTED');
    expect(await grantNewUserCoupon(deps, { userId: 'u1' })).toBe('DUPLICATE');
    expect(coupons.coupons.size).toBe(1);
    expect([...coupons.coupons.values()][0]).toMatchObject({ userId: 'u1', templateId: 'tpl-new-user', status: 'UNUSED', expiresAt: '2026-12-28T08:00:00.000Z' });
  });

  it('asks for a retry while another delivery holds the lease', async () => {
    const { deps, ledger } = setup();
    await ledger.ledger.begin('u1:tpl-new-user');
    await expect(grantNewUserCoupon(deps, { userId: 'u1' })).rejects.toBeInstanceOf(GrantInProgressError);
  });

  it('grants after a crash between the lease and the write, once the lease expired', async () => {
    const { deps, coupons, ledger } = setup();
    const crashing = { ...deps, coupons: { ...deps.coupons, grant: async () => Promise.reject(new Error('killed')) } };
    await expect(grantNewUserCoupon(crashing, { userId: 'u1' })).rejects.toThrow('killed');

    ledger.expireLeases();
    expect(await grantNewUserCoupon(deps, { userId: 'u1' })).toBe('GRANTED');
    expect(coupons.coupons.size).toBe(1);
  });

  it('stays exactly once when Redis is down or was flushed: DynamoDB refuses the duplicate', async () => {
    const { deps, coupons, ledger } = setup();
    ledger.setAvailable(false);
    expect(await grantNewUserCoupon(deps, { userId: 'u1' })).toBe('GRANTED');
    expect(await grantNewUserCoupon(deps, { userId: 'u1' })).toBe('DUPLICATE');
    ledger.setAvailable(true);
    ledger.flush();
    expect(await grantNewUserCoupon(deps, { userId: 'u1' })).toBe('DUPLICATE');
    expect(coupons.coupons.size).toBe(1);
  });

  it('fails loudly when the template is missing', async () => {
    const { deps } = setup();
    await expect(grantNewUserCoupon({ ...deps, newUserTemplateId: 'tpl-gone' }, { userId: 'u1' })).rejects.toThrow('coupon template tpl-gone does not exist');
  });
});
