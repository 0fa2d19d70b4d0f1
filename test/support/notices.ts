import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../shared/adapters/dynamodb/client';
import { toOrderItem } from '../../shared/adapters/dynamodb/order-repository';
import { tableName } from '../../shared/config/tables';
import type { Order, OrderStatus } from '../../shared/domain/ordering/order';
import { defaultTemplates } from '../../local/wechat-stand-in/templates';
import type { BatchEvent } from '../../shared/lambda/mq-consumer';

/** The stand-in's template id of a notice type (the local stack configures NOTICE_TEMPLATE_* from these). */
export const templateOf = (type: string) => defaultTemplates.find((template) => template.type === type)!.templateId;

/**
 * An order that reached `statuses` (a minute apart, starting now), written straight to the orders table: the order
 * flows have their own tests, the notices only read orders.
 */
export async function putOrder(openid: string, statuses: OrderStatus[] = ['WAIT_PAY'], id = `o${randomUUID().replace(/-/g, '').slice(0, 31)}`): Promise<Order> {
  const start = Date.now();
  const history = statuses.map((status, i) => ({ status, at: new Date(start + i * 60_000).toISOString() }));
  const order: Order = {
    id,
    userId: `u-${randomUUID().slice(0, 8)}`,
    openid,
    storeId: 'store-001',
    status: statuses[statuses.length - 1]!,
    items: [
      { productId: 'p-latte', name: '拿铁', quantity: 2, priceFen: 1800 },
      { productId: 'p-bagel', name: '贝果', quantity: 1, priceFen: 1250 },
    ],
    totalFen: 4850,
    discountFen: 500,
    payableFen: 4350,
    payDeadline: new Date(start + 30 * 60_000).toISOString(),
    createdAt: history[0]!.at,
    refunds: [],
    history,
    requestId: randomUUID(),
    requestDigest: 'test',
  };
  await dynamo().send(new PutCommand({ TableName: tableName('orders'), Item: toOrderItem(order) }));
  return order;
}

/** OrderStatusChanged of an order, as the order flows publish it. */
export const statusChanged = (order: Pick<Order, 'id' | 'userId'>, status: string) => ({ orderId: order.id, userId: order.userId, status, changedAt: new Date().toISOString() });

/** The same OrderStatusChanged as a consumer's batch event (a push delivery). */
export const statusBatch = (order: Pick<Order, 'id' | 'userId'>, status: string): BatchEvent => ({
  messages: [{ messageId: `m-${order.id}-${status}`, tag: 'OrderStatusChanged', key: `${order.id}.${status}`, shardingKey: order.id, body: statusChanged(order, status) }],
});
