import type { Order, OrderStatus } from '../../domain/ordering/order';
import type { Announce, OutboxEvent } from '../../ports/outbox';

/** The OrderStatusChanged event of a move, written in the move's own transaction. */
export function statusChanged(announce: Announce, order: Pick<Order, 'id' | 'userId'>, status: OrderStatus, at: Date): OutboxEvent {
  return announce('OrderStatusChanged', { orderId: order.id, userId: order.userId, status, changedAt: at.toISOString() });
}
