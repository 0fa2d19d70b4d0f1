import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { handler } from '../../functions/new-user-coupon-consumer/handler';
import { dynamoCouponRepository } from '../../shared/adapters/dynamodb/coupon-repository';
import { dynamo } from '../../shared/adapters/dynamodb/client';
import { redis } from '../../shared/adapters/redis/client';
import { tableName } from '../../shared/config/tables';
import { grantCoupon } from '../../shared/domain/coupons/coupon';
import { fakeContext } from '../../shared/testing/lambda';
import { getItem } from '../support/dynamo';

// The coupon's key is its template id, so an unconditional second grant would land on the same item: counting
// coupons cannot tell a refused duplicate from an overwrite. Only the stored item after the duplicate can.
const TEMPLATE_ID = 'tpl-new-user';

const deliver = (userId: string) =>
  handler(
    { messages: [{ messageId: `m-${randomUUID()}`, tag: 'UserRegistered', key: userId, body: { userId, openid: `o-${userId}`, registeredAt: new Date().toISOString() } }] },
    fakeContext('newUserCouponConsumer'),
  );
const storedCoupon = (userId: string) => getItem('userCoupons', { userId, couponId: TEMPLATE_ID });

/** What the order flow will do to a coupon; orders do not exist yet, so the test writes it directly. */
async function markUsed(userId: string, orderId: string): Promise<void> {
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName('userCoupons'),
      Key: { userId, couponId: TEMPLATE_ID },
      UpdateExpression: 'SET #status = :used, orderId = :orderId',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':used': 'USED', ':orderId': orderId },
    }),
  );
}

describe('a new-user coupon already spent', () => {
  it('stays spent when UserRegistered comes again after Redis forgot the grant', async () => {
    const userId = `u-spent-${randomUUID()}`;
    expect(await deliver(userId)).toEqual({ batchItemFailures: [] });
    const granted = await storedCoupon(userId);
    expect(granted).toMatchObject({ userId, couponId: TEMPLATE_ID, templateId: TEMPLATE_ID, status: 'UNUSED' });

    await markUsed(userId, 'order-paid-with-coupon');
    const used = await storedCoupon(userId);
    // The consumer's ledger key (functions/new-user-coupon-consumer/handler.ts); exactly one key must go, or Redis
    // would still refuse the redelivery and the test would prove nothing.
    expect(await redis.del(`wx-shop:coupon-grant:${userId}:${TEMPLATE_ID}`)).toBe(1);
    expect(await deliver(userId)).toEqual({ batchItemFailures: [] });

    const after = await storedCoupon(userId);
    expect(after).toEqual(used);
    expect(after).toMatchObject({ status: 'USED', orderId: 'order-paid-with-coupon', grantedAt: granted!.grantedAt, expiresAt: granted!.expiresAt });
  });

  it('is not granted again by the repository, which answers "already granted" and leaves the item as it was', async () => {
    const userId = `u-regrant-${randomUUID()}`;
    const template = await dynamoCouponRepository.getTemplate(TEMPLATE_ID);
    expect(await dynamoCouponRepository.grant(grantCoupon(template!, userId, new Date('2026-01-01T00:00:00Z')))).toBe(true);
    await markUsed(userId, 'order-1');
    const used = await storedCoupon(userId);

    expect(await dynamoCouponRepository.grant(grantCoupon(template!, userId, new Date('2026-02-01T00:00:00Z')))).toBe(false);

    expect(await storedCoupon(userId)).toEqual(used);
  });
});
