// Consumer of the committed OrderFinished: grants the order's reward coupon, exactly once per order.
import { mqConsumer } from '../../shared/lambda/mq-consumer';
import { rocketmqSource } from '../../shared/adapters/rocketmq/source';
import { dynamoCouponRepository } from '../../shared/adapters/dynamodb/coupon-repository';
import { systemClock } from '../../shared/adapters/system/clock';
import { refundConfig } from '../../shared/config/refunds';
import { grantOrderReward } from '../../shared/use-cases/refunds/finish-order';

const deps = { coupons: dynamoCouponRepository, clock: systemClock, rewardTemplateId: refundConfig().REWARD_COUPON_TEMPLATE_ID };

export const handler = mqConsumer({
  consumer: 'orderRewardConsumer',
  messages: ['OrderFinished'],
  source: () => rocketmqSource({ group: 'orderReward', messages: ['OrderFinished'] }),
  handle: async ({ body }) => {
    await grantOrderReward(deps, body);
  },
});
