import { RefundNotFoundError } from '../../domain/payment/errors';
import { OrderNotFoundError } from '../../domain/ordering/errors';
import { logger } from '../../logging/logger';
import type { Clock } from '../../ports/clock';
import type { OrderRepository } from '../../ports/ordering';
import type { Announce, Dispatch } from '../../ports/outbox';
import type { Refund } from '../../ports/payment-gateway';
import type { RefundRepository } from '../../ports/payments';
import { statusChanged } from '../ordering/status-events';

export type SettleRefundDeps = {
  orders: Pick<OrderRepository, 'get'>;
  refunds: RefundRepository;
  announce: Announce;
  dispatch: Dispatch;
  clock: Clock;
};

/**
 * Records what WeChat Pay says became of a refund (its notification, or the reconciler's query), once.
 *
 * Primary course:
 *  1. Find our refund record and its order (a refund we do not know is refused).
 *  2. Move the refund forward to WeChat Pay's state (never back), with the summary on the order.
 *  3. A refund that succeeded brings the REFUNDED notice (OrderStatusChanged REFUNDED, in the same transaction); one
 *     that ended CLOSED or ABNORMAL is logged as an error for operators, and the order's refunds say so.
 */
export async function settleRefund(deps: SettleRefundDeps, input: { refund: Refund }): Promise<'SETTLED' | 'DUPLICATE'> {
  const { refund } = input;
  const record = await deps.refunds.get(refund.outTradeNo, refund.outRefundNo);
  if (!record) throw new RefundNotFoundError(refund.outRefundNo);
  const order = await deps.orders.get(record.orderId);
  if (!order) throw new OrderNotFoundError(record.orderId);
  if (refund.state === 'PROCESSING' || record.status === refund.state) return 'DUPLICATE';
  const now = deps.clock.now();
  const events = refund.state === 'SUCCESS' ? [statusChanged(deps.announce, order, 'REFUNDED', now)] : [];
  const moved = await deps.refunds.updateStatus(order, record, { status: refund.state, refundId: refund.refundId, completedAt: refund.refundedAt ?? now.toISOString() }, events);
  if (!moved) return 'DUPLICATE';
  await deps.dispatch(events);
  const log = refund.state === 'SUCCESS' ? logger.info.bind(logger) : logger.error.bind(logger);
  log(refund.state === 'SUCCESS' ? 'refund completed' : 'refund failed at WeChat Pay; an operator must look', { orderId: order.id, outRefundNo: record.outRefundNo, refundState: refund.state });
  return 'SETTLED';
}
