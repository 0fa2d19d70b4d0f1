// Consumer of OrderStatusChanged (scheduled long-poll of the ordered status topic, or a batch of messages as the
// event): one subscribe message per (order, status), per order in order.
import { mqConsumer } from '../../shared/lambda/mq-consumer';
import { rocketmqSource } from '../../shared/adapters/rocketmq/source';
import { orderNoticeDeps } from '../../shared/composition/notices';
import { sendOrderNotice } from '../../shared/use-cases/notices/send-order-notice';

const deps = orderNoticeDeps();

export const handler = mqConsumer({
  consumer: 'orderNoticeConsumer',
  messages: ['OrderStatusChanged'],
  // A CANCELLED notice must not overtake the WAIT_PAY one of the same order: each order is a shard, in order.
  ordered: true,
  source: () => rocketmqSource({ group: 'orderNotice', messages: ['OrderStatusChanged'], ordered: true }),
  handle: async ({ body }) => {
    await sendOrderNotice(deps, { orderId: body.orderId, status: body.status });
  },
});
