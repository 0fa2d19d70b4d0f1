// Consumer of UserRegistered (scheduled long-poll of the user topic, or a batch of messages as the event).
import { mqConsumer } from '../../shared/lambda/mq-consumer';
import { rocketmqSource } from '../../shared/adapters/rocketmq/source';
import { dynamoCouponRepository } from '../../shared/adapters/dynamodb/coupon-repository';
import { redisIdempotencyLedger } from '../../shared/adapters/redis/idempotency-ledger';
import { redis } from '../../shared/adapters/redis/client';
import { couponConfig } from '../../shared/config/coupons';
import { systemClock } from '../../shared/adapters/system/clock';
import { grantNewUserCoupon } from '../../shared/use-cases/coupons/grant-new-user-coupon';

const config = couponConfig();
const deps = {
  coupons: dynamoCouponRepository,
  ledger: redisIdempotencyLedger(redis, { prefix: 'wx-shop:coupon-grant', leaseSeconds: config.COUPON_GRANT_LEASE_SECONDS, doneSeconds: 7 * 86_400 }),
  clock: systemClock,
  newUserTemplateId: config.NEW_USER_COUPON_TEMPLATE_ID,
};

export const handler = mqConsumer({
  consumer: 'newUserCouponConsumer',
  messages: ['UserRegistered'],
  source: () => rocketmqSource({ group: 'newUserCoupon', messages: ['UserRegistered'] }),
  handle: async ({ body }) => {
    await grantNewUserCoupon(deps, { userId: body.userId });
  },
});
