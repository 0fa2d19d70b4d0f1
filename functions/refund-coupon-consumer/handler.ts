// Consumer of the committed OrderRefunded: gives the coupon the refunded order used back to its user, once.
import { mqConsumer } from '../../shared/lambda/mq-consumer';
import { rocketmqSource } from '../../shared/adapters/rocketmq/source';
import { dynamoCouponRepository } from '../../shared/adapters/dynamodb/coupon-repository';
import { systemClock } from '../../shared/adapters/system/clock';
import { giveCouponBack } from '../../shared/use-cases/refunds/refund-consumers';

const deps = { coupons: dynamoCouponRepository, clock: systemClock };

export const handler = mqConsumer({
  consumer: 'refundCouponConsumer',
  messages: ['OrderRefunded'],
  source: () => rocketmqSource({ group: 'refundCoupon', messages: ['OrderRefunded'] }),
  handle: async ({ body }) => {
    await giveCouponBack(deps, body);
  },
});
