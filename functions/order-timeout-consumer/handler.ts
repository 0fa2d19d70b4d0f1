// Consumer of OrderPayTimeout (delayed to the order's pay deadline): cancels the order if it is still unpaid.
import { mqConsumer } from '../../shared/lambda/mq-consumer';
import { rocketmqSource } from '../../shared/adapters/rocketmq/source';
import { cancelOrderDeps } from '../../shared/composition/ordering';
import { cancelUnpaidOrder } from '../../shared/use-cases/ordering/cancel-order';

export const handler = mqConsumer({
  consumer: 'orderTimeoutConsumer',
  messages: ['OrderPayTimeout'],
  source: () => rocketmqSource({ group: 'orderTimeout', messages: ['OrderPayTimeout'] }),
  handle: async ({ body }) => {
    await cancelUnpaidOrder(await cancelOrderDeps(), { orderId: body.orderId });
  },
});
