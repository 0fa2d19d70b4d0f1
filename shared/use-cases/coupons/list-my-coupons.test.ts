import { inMemoryCoupons } from '../../testing/in-memory-coupons';
import { manualClock } from '../../testing/in-memory-users';
import { listMyCoupons } from './list-my-coupons';
import type { UserCoupon } from '../../domain/coupons/coupon';

const coupon = (id: string, userId: string, status: UserCoupon['status'], expiresAt: string): UserCoupon => ({
  id,
  userId,
  templateId: 't',
  name: id,
  discountFen: 100,
  thresholdFen: 1000,
  status,
  grantedAt: '2026-11-01T00:00:00.000Z',
  expiresAt,
});

async function setup() {
  const { repository } = inMemoryCoupons([]);
  await repository.grant(coupon('late', 'u1', 'UNUSED', '2026-12-31T00:00:00.000Z'));
  await repository.grant(coupon('soon', 'u1', 'UNUSED', '2026-12-01T00:00:00.000Z'));
  await repository.grant(coupon('gone', 'u1', 'UNUSED', '2026-11-27T00:00:00.000Z'));
  await repository.grant(coupon('used', 'u1', 'USED', '2026-12-15T00:00:00.000Z'));
  await repository.grant(coupon('other', 'u2', 'UNUSED', '2026-12-15T00:00:00.000Z'));
  return { coupons: repository, clock: manualClock('2026-11-28T00:00:00.000Z') };
}

describe('list my coupons', () => {
  it('lists only the caller\'s coupons, soonest expiry first, with past-due unused ones as EXPIRED', async () => {
    const items = await listMyCoupons(await setup(), { userId: 'u1' });
    expect(items.map((c) => [c.id, c.status])).toEqual([
      ['gone', 'EXPIRED'],
      ['soon', 'UNUSED'],
      ['used', 'USED'],
      ['late', 'UNUSED'],
    ]);
    expect(Object.keys(items[0] as object).sort()).toEqual(['discountFen', 'expiresAt', 'id', 'name', 'status', 'templateId', 'thresholdFen']);
  });

  it('filters by the status the user sees', async () => {
    const deps = await setup();
    expect((await listMyCoupons(deps, { userId: 'u1', status: 'UNUSED' })).map((c) => c.id)).toEqual(['soon', 'late']);
    expect((await listMyCoupons(deps, { userId: 'u1', status: 'EXPIRED' })).map((c) => c.id)).toEqual(['gone']);
  });
});
