import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CartChangedError, CouponNotUsableError, OutOfStockError } from '../../domain/ordering/errors';
import type { Order } from '../../domain/ordering/order';
import type { OrderRepository } from '../../ports/ordering';
import { InvalidCursorError } from '../../ports/paging';
import { tableName } from '../../config/tables';
import { dynamo } from './client';
import { orderMove } from './order-moves';
import { outboxPut } from './outbox';
import { transactWrite, type TransactItem } from './transactions';

/**
 * Orders in one table keyed by orderId. Two indexes: `byUser` (userId, createdAt) for a shopper's list, and the sparse
 * `awaitingPayment` (the attribute exists only while the order is WAIT_PAY, sorted by payDeadline) for the sweep
 * that cancels overdue orders whose timeout message was lost.
 */
type OrderItem = Omit<Order, 'id'> & { orderId: string; awaitingPayment?: 'WAIT_PAY' };

const AWAITING = 'WAIT_PAY';

export function toOrderItem({ id, ...order }: Order): OrderItem {
  return { orderId: id, ...order, ...(order.status === 'WAIT_PAY' ? { awaitingPayment: AWAITING } : {}) };
}

export function fromOrderItem(item: Record<string, unknown>): Order {
  const { orderId, awaitingPayment: _awaiting, ...order } = item as OrderItem;
  return { id: orderId, ...order };
}

function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

/** A cursor is only good for the user it was issued to: it carries the user id, which is checked. */
function decodeCursor(cursor: string | undefined, userId: string): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const fields = Object.keys(key).sort().join(',');
    if (fields === 'createdAt,orderId,userId' && key.userId === userId && typeof key.createdAt === 'string' && typeof key.orderId === 'string') return key;
  } catch {
    // falls through
  }
  throw new InvalidCursorError();
}

const stockTake = (productId: string, quantity: number, storeId: string): TransactItem => ({
  Update: {
    TableName: tableName('products'),
    Key: { storeId, productId },
    UpdateExpression: 'SET stock = stock - :quantity',
    ConditionExpression: 'attribute_exists(productId) AND stock >= :quantity',
    ExpressionAttributeValues: { ':quantity': quantity },
  },
});

const stockReturn = (productId: string, quantity: number, storeId: string): TransactItem => ({
  Update: {
    TableName: tableName('products'),
    Key: { storeId, productId },
    UpdateExpression: 'ADD stock :quantity',
    ConditionExpression: 'attribute_exists(productId)',
    ExpressionAttributeValues: { ':quantity': quantity },
  },
});

export const dynamoOrderRepository: OrderRepository = {
  async create({ order, stock, couponId, cartUpdatedAt, events }) {
    const items: TransactItem[] = [
      { Put: { TableName: tableName('orders'), Item: toOrderItem(order), ConditionExpression: 'attribute_not_exists(orderId)' } },
      ...stock.map(({ productId, quantity }) => stockTake(productId, quantity, order.storeId)),
    ];
    const couponAt = couponId ? items.length : -1;
    if (couponId) {
      items.push({
        Update: {
          TableName: tableName('userCoupons'),
          Key: { userId: order.userId, couponId },
          UpdateExpression: 'SET #status = :locked, orderId = :orderId',
          ConditionExpression: 'attribute_exists(couponId) AND #status = :unused AND expiresAt > :now',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':locked': 'LOCKED', ':unused': 'UNUSED', ':orderId': order.id, ':now': order.createdAt },
        },
      });
    }
    const cartAt = cartUpdatedAt ? items.length : -1;
    if (cartUpdatedAt) {
      items.push({
        Delete: {
          TableName: tableName('carts'),
          Key: { userId: order.userId },
          ConditionExpression: 'updatedAt = :seen',
          ExpressionAttributeValues: { ':seen': cartUpdatedAt },
        },
      });
    }
    items.push(...events.map(outboxPut));
    const outcome = await transactWrite(items, (index) => {
      if (index === 0) return 'EXISTS' as const;
      if (index === couponAt) throw new CouponNotUsableError(couponId as string, 'it is not UNUSED or has expired');
      if (index === cartAt) throw new CartChangedError();
      throw new OutOfStockError(stock[index - 1]?.productId ?? '?');
    });
    return outcome ?? 'CREATED';
  },

  async get(orderId) {
    const { Item } = await dynamo().send(new GetCommand({ TableName: tableName('orders'), Key: { orderId }, ConsistentRead: true }));
    return Item ? fromOrderItem(Item) : undefined;
  },

  async listForUser(userId, { limit, cursor }) {
    const page = await dynamo().send(
      new QueryCommand({
        TableName: tableName('orders'),
        IndexName: 'byUser',
        KeyConditionExpression: 'userId = :userId',
        ExpressionAttributeValues: { ':userId': userId },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, userId),
      }),
    );
    return { items: (page.Items ?? []).map(fromOrderItem), nextCursor: encodeCursor(page.LastEvaluatedKey) };
  },

  async cancel(order, at, events) {
    const items: TransactItem[] = [
      orderMove(order.id, 'CANCELLED', at.toISOString(), { set: { cancelledAt: at.toISOString() }, remove: ['awaitingPayment'] }),
      ...order.items.map(({ productId, quantity }) => stockReturn(productId, quantity, order.storeId)),
    ];
    if (order.couponId) {
      items.push({
        Update: {
          TableName: tableName('userCoupons'),
          Key: { userId: order.userId, couponId: order.couponId },
          UpdateExpression: 'SET #status = :unused REMOVE orderId',
          ConditionExpression: '#status = :locked AND orderId = :orderId',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':unused': 'UNUSED', ':locked': 'LOCKED', ':orderId': order.id },
        },
      });
    }
    items.push(...events.map(outboxPut));
    const outcome = await transactWrite(items, (index) => {
      if (index === 0) return false;
      throw new Error(`cancelling order ${order.id}: condition of transaction item ${index} failed (stock or coupon out of line with the order)`);
    });
    return outcome ?? true;
  },

  async advance(order, to, at, events) {
    const stampedAt = { CONFIRMED: 'confirmedAt', FINISHED: 'finishedAt' }[to];
    const items: TransactItem[] = [orderMove(order.id, to, at.toISOString(), { set: { [stampedAt]: at.toISOString() } }), ...events.map(outboxPut)];
    return (await transactWrite(items, () => false)) ?? true;
  },

  async overdueUnpaid(before, limit) {
    const { Items } = await dynamo().send(
      new QueryCommand({
        TableName: tableName('orders'),
        IndexName: 'awaitingPayment',
        KeyConditionExpression: 'awaitingPayment = :awaiting AND payDeadline < :before',
        ExpressionAttributeValues: { ':awaiting': AWAITING, ':before': before.toISOString() },
        Limit: limit,
      }),
    );
    return (Items ?? []).map(fromOrderItem);
  },
};
