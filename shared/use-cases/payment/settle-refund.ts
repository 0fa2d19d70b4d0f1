import { PaymentMismatchError, RefundNotFoundError } from '../../domain/payment/errors';
import { anomalyId } from '../../domain/payment/payment';
import { refundMismatch, type RefundRecord } from '../../domain/payment/refund';
import type { Order } from '../../domain/ordering/order';
import { OrderNotFoundError } from '../../domain/ordering/errors';
import { logger } from '../../logging/logger';
import type { Clock } from '../../ports/clock';
import type { OrderRepository } from '../../ports/ordering';
import type { Announce, Dispatch } from '../../ports/outbox';
import type { Refund } from '../../ports/payment-gateway';
import type { PaymentAnomalies, RefundRepository, RefundUpdate } from '../../ports/payments';
import { statusChanged } from '../ordering/status-events';

export type SettleRefundDeps = {
  orders: Pick<OrderRepository, 'get'>;
  refunds: RefundRepository;
  anomalies: PaymentAnomalies;
  announce: Announce;
  dispatch: Dispatch;
  clock: Clock;
};

/**
 * Records what WeChat Pay says became of a refund (its notification, or the reconciler's query), once.
 *
 * Primary course:
 *  1. Find our refund record and its order (a refund we do not know is refused).
 *  2. Check WeChat Pay's account against ours: the amount refunded, the total and the payment. A mismatch is
 *     recorded as a REFUND_MISMATCH anomaly for operators and refused; the refund stays as it was (the reconciler's
 *     query asks again).
 *  3. Move the refund forward to WeChat Pay's state (never back), with the summary on the order.
 *  4. A refund that succeeded completes the order's refund (REFUNDING -> REFUNDED), or, for a cancelled order whose late
 *     payment went back, stamps its `refundedAt`; either way OrderStatusChanged REFUNDED, in the same transaction,
 *     brings the refund notice. One that ended CLOSED or ABNORMAL is logged as an error for operators, and the
 *     order's refunds say so.
 */
export async function settleRefund(deps: SettleRefundDeps, input: { refund: Refund }): Promise<'SETTLED' | 'DUPLICATE'> {
  const { refund } = input;
  // Our refund records are keyed by the order they refund, which is the notification's out_trade_no: read both at once.
  const [record, order] = await Promise.all([deps.refunds.get(refund.outTradeNo, refund.outRefundNo), deps.orders.get(refund.outTradeNo)]);
  if (!record) throw new RefundNotFoundError(refund.outRefundNo);
  if (!order) throw new OrderNotFoundError(record.orderId);
  return settleKnownRefund(deps, order, record, refund);
}

/** Steps 2-4 of settleRefund, for a caller that holds the refund record and its order (submitting the refund). */
export async function settleKnownRefund(deps: SettleRefundDeps, order: Order, record: RefundRecord, refund: Refund): Promise<'SETTLED' | 'DUPLICATE'> {
  const mismatch = refundMismatch(record, refund);
  if (mismatch) {
    const at = deps.clock.now().toISOString();
    const id = anomalyId(record.orderId, refund.refundId || record.outRefundNo, 'REFUND_MISMATCH');
    const firstSeen = await deps.anomalies.record({ id, outTradeNo: record.orderId, transactionId: record.transactionId, kind: 'REFUND_MISMATCH', ...mismatch, at });
    logger.error('refund anomaly: WeChat Pay reports a refund that does not match ours; it is left unsettled', { orderId: record.orderId, outRefundNo: record.outRefundNo, firstSeen });
    throw new PaymentMismatchError(record.orderId, 'REFUND_MISMATCH');
  }
  if (refund.state === 'PROCESSING' || record.status === refund.state) return 'DUPLICATE';
  const now = deps.clock.now();
  const events = refund.state === 'SUCCESS' ? [statusChanged(deps.announce, order, 'REFUNDED', now)] : [];
  const effect: RefundUpdate['order'] = refund.state !== 'SUCCESS' ? undefined : order.status === 'REFUNDING' ? 'COMPLETE' : 'STAMP';
  const update: RefundUpdate = { status: refund.state, refundId: refund.refundId, completedAt: refund.refundedAt ?? now.toISOString(), order: effect };
  const moved = await deps.refunds.updateStatus(order, record, update, events);
  if (!moved) return 'DUPLICATE';
  await deps.dispatch(events);
  const log = refund.state === 'SUCCESS' ? logger.info.bind(logger) : logger.error.bind(logger);
  log(refund.state === 'SUCCESS' ? 'refund completed' : 'refund failed at WeChat Pay; an operator must look', { orderId: order.id, outRefundNo: record.outRefundNo, refundState: refund.state });
  return 'SETTLED';
}
