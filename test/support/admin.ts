import { randomInt, randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../shared/adapters/dynamodb/client';
import { toOrderItem } from '../../shared/adapters/dynamodb/order-repository';
import { tableName } from '../../shared/config/tables';
import type { Order, OrderRefund, OrderStatus } from '../../shared/domain/ordering/order';
import type { BatchEvent } from '../../shared/lambda/mq-consumer';
import { LOCAL_ADMIN_API_KEY } from '../../local/services/backing';

export const admin = { 'x-admin-key': LOCAL_ADMIN_API_KEY };

const HOUR_MS = 3_600_000;
let nextHour = Date.UTC(2090 + randomInt(0, 9), 0, 1) + randomInt(0, 300 * 24) * HOUR_MS;

/**
 * The start of an hour no other test uses (far in the future, a different one at each call): orders placed in it,
 * and the stats counted for it, are this test's alone, even while other test files place orders now.
 */
export function freshHour(): Date {
  nextHour += 200 * HOUR_MS;
  return new Date(nextHour);
}

export const minutesAfter = (start: Date, minutes: number) => new Date(start.getTime() + minutes * 60_000);

export type OrderSpec = {
  /** Each status with when it was reached, the first being WAIT_PAY at creation. */
  statuses: Array<[OrderStatus, Date]>;
  storeId?: string;
  payableFen?: number;
  refunds?: OrderRefund[];
};

/** An order as the flows leave it, written straight to the orders table (the flows have their own tests). */
export async function putOrder({ statuses, storeId = 'store-001', payableFen = 2800, refunds = [] }: OrderSpec): Promise<Order> {
  const history = statuses.map(([status, at]) => ({ status, at: at.toISOString() }));
  const createdAt = history[0]!.at;
  const order: Order = {
    id: `o${randomUUID().replace(/-/g, '').slice(0, 31)}`,
    userId: `u-${randomUUID().slice(0, 8)}`,
    openid: `openid-${randomUUID().slice(0, 8)}`,
    storeId,
    status: history[history.length - 1]!.status,
    items: [{ productId: 'latte', name: '拿铁', quantity: 1, priceFen: payableFen }],
    totalFen: payableFen,
    discountFen: 0,
    payableFen,
    payDeadline: new Date(Date.parse(createdAt) + 30 * 60_000).toISOString(),
    createdAt,
    refunds,
    history,
    requestId: randomUUID(),
    requestDigest: 'test',
  };
  await dynamo().send(new PutCommand({ TableName: tableName('orders'), Item: toOrderItem(order) }));
  return order;
}

/** OrderStatusChanged of an order as one consumer batch event (a push delivery). */
export const statusChangedBatch = (order: Pick<Order, 'id' | 'userId'>, status: string): BatchEvent => ({
  messages: [
    {
      messageId: `m-${order.id}-${status}`,
      tag: 'OrderStatusChanged',
      key: `${order.id}.${status}`,
      shardingKey: order.id,
      body: { orderId: order.id, userId: order.userId, status, changedAt: new Date().toISOString() },
    },
  ],
});
