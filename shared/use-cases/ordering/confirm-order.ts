import { OrderNotFoundError, OrderStateError } from '../../domain/ordering/errors';
import { orderView, type OrderView } from '../../domain/ordering/order';
import { logger } from '../../logging/logger';
import type { Clock } from '../../ports/clock';
import type { OrderRepository } from '../../ports/ordering';
import type { Announce, Dispatch } from '../../ports/outbox';
import { statusChanged } from './status-events';

export type ConfirmOrderDeps = { orders: Pick<OrderRepository, 'get' | 'advance'>; announce: Announce; dispatch: Dispatch; clock: Clock };

/**
 * The merchant confirms a paid order (admin): PAID -> CONFIRMED, conditional, with its OrderStatusChanged event, which
 * brings the shopper's notice.
 *
 * Fails with OrderNotFoundError, or ORDER_NOT_CONFIRMABLE when the order is not PAID.
 */
export async function confirmOrder(deps: ConfirmOrderDeps, input: { orderId: string }): Promise<OrderView> {
  const order = await deps.orders.get(input.orderId);
  if (!order) throw new OrderNotFoundError(input.orderId);
  const now = deps.clock.now();
  const events = [statusChanged(deps.announce, order, 'CONFIRMED', now)];
  if (order.status !== 'PAID' || !(await deps.orders.advance(order, 'CONFIRMED', now, events))) {
    throw new OrderStateError('ORDER_NOT_CONFIRMABLE', order.id, order.status === 'PAID' ? 'no longer PAID' : order.status);
  }
  await deps.dispatch(events);
  logger.info('order confirmed', { orderId: order.id });
  const at = now.toISOString();
  return orderView({ ...order, status: 'CONFIRMED', confirmedAt: at, history: [...order.history, { status: 'CONFIRMED', at }] });
}
