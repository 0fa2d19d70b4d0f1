// Consumer of OrderStatusChanged in its own group (scheduled long-poll, or a batch of messages as the event): the
// hourly counters behind GET /admin/stats, each (order, status) counted once however often it is delivered.
import { mqConsumer } from '../../shared/lambda/mq-consumer';
import { rocketmqSource } from '../../shared/adapters/rocketmq/source';
import { dynamoOrderRepository } from '../../shared/adapters/dynamodb/order-repository';
import { dynamoOrderStats } from '../../shared/adapters/dynamodb/order-stats';
import { systemClock } from '../../shared/adapters/system/clock';
import { countOrderStatus } from '../../shared/use-cases/admin/count-order-status';

const deps = { orders: dynamoOrderRepository, stats: dynamoOrderStats, clock: systemClock };

export const handler = mqConsumer({
  consumer: 'orderStatsConsumer',
  messages: ['OrderStatusChanged'],
  // The counts need no order, but an ordered topic is read with orderly consumption (the MQ's ordered-message rules).
  ordered: true,
  source: () => rocketmqSource({ group: 'orderStats', messages: ['OrderStatusChanged'], ordered: true }),
  handle: async ({ body }) => {
    await countOrderStatus(deps, { orderId: body.orderId, status: body.status });
  },
});
