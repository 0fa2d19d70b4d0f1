import { statusContribution } from '../../domain/admin/order-stats';
import { logger } from '../../logging/logger';
import type { OrderStats } from '../../ports/admin';
import type { Clock } from '../../ports/clock';
import type { OrderRepository } from '../../ports/ordering';

export type CountOrderStatusDeps = { orders: Pick<OrderRepository, 'get'>; stats: Pick<OrderStats, 'countOnce'>; clock: Clock };

export type CountOutcome = 'COUNTED' | 'ALREADY_COUNTED' | 'NOT_COUNTED';

/**
 * Adds an OrderStatusChanged to the operators' hourly figures, once per (order, status) however often it is delivered.
 *
 * Primary course:
 *  1. Read the order: the hour comes from its history (when the status was reached, not when the message arrived, so
 *     a redelivery lands in the same bucket) and the amount from the order itself.
 *  2. Count it: the (order, status) marker and the bucket's counters are written together, or not at all.
 *
 * A status that is not counted, an order that does not exist (a message whose transaction failed) or a status the
 * order never reached counts nothing and is acked.
 */
export async function countOrderStatus(deps: CountOrderStatusDeps, input: { orderId: string; status: string }): Promise<CountOutcome> {
  const order = await deps.orders.get(input.orderId);
  const contribution = order && statusContribution(order, input.status);
  if (!contribution) {
    logger.info('status not counted', { orderId: input.orderId, status: input.status, orderFound: Boolean(order) });
    return 'NOT_COUNTED';
  }
  const counted = await deps.stats.countOnce({ ...contribution, orderId: input.orderId, status: input.status, countedAt: deps.clock.now() });
  return counted ? 'COUNTED' : 'ALREADY_COUNTED';
}
