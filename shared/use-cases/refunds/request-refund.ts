import { OrderNotFoundError, OrderStateError } from '../../domain/ordering/errors';
import { orderView, type Order, type OrderView, type RefundReason } from '../../domain/ordering/order';
import { orderRefundNo } from '../../domain/payment/payment';
import { refundSummary, type RefundRecord } from '../../domain/payment/refund';
import { describeError, logger } from '../../logging/logger';
import type { Clock } from '../../ports/clock';
import type { HalfMessage, TxMessagePublisher } from '../../ports/messaging';
import type { OrderRepository } from '../../ports/ordering';
import type { Announce, Dispatch } from '../../ports/outbox';
import type { RefundRepository } from '../../ports/payments';
import { statusChanged } from '../ordering/status-events';

export type RequestRefundDeps = {
  orders: Pick<OrderRepository, 'get'>;
  refunds: Pick<RefundRepository, 'start'>;
  tx: TxMessagePublisher;
  announce: Announce;
  dispatch: Dispatch;
  clock: Clock;
  /** When the MQ starts asking the check-back about a half message left undecided (10-300 s). */
  checkBackAfterSeconds: number;
};

const refundable = (order: Order) => order.status === 'PAID' || order.status === 'CONFIRMED';

/** A commit or rollback that does not get through is the check-back's to settle: it decides from DynamoDB. */
async function decide(deps: RequestRefundDeps, half: HalfMessage, decision: 'commit' | 'rollback'): Promise<void> {
  try {
    if (!(await deps.tx[decision](half))) logger.warn(`refund ${decision} refused; the check-back settles it`, { messageId: half.messageId });
  } catch (error) {
    logger.warn(`refund ${decision} failed; the check-back settles it`, { messageId: half.messageId, ...describeError(error) });
  }
}

/**
 * Refunds a paid order in full, through a transactional message so that the order side and the coupon side stay
 * consistent without calling each other.
 *
 * Primary course:
 *  1. Refuse an order that is not the caller's (404) or not PAID or CONFIRMED (409 ORDER_NOT_REFUNDABLE).
 *  2. Publish the half message OrderRefunded: if the MQ is unreachable, answer 503 MQ_UNAVAILABLE, having changed
 *     nothing.
 *  3. The local transaction: the order -> REFUNDING and the refund record (deterministic out_refund_no, naming the
 *     half message) listed on it.
 *  4. Commit the half message (its consumers execute the WeChat refund and give the coupon back), or roll it back when
 *     the local transaction was refused. A lost decision is settled by the check-back from DynamoDB alone.
 */
export async function requestRefund(deps: RequestRefundDeps, input: { orderId: string; userId?: string; reason: RefundReason; note?: string }): Promise<OrderView> {
  const order = await deps.orders.get(input.orderId);
  if (!order || (input.userId !== undefined && order.userId !== input.userId)) throw new OrderNotFoundError(input.orderId);
  if (!refundable(order) || !order.transactionId) throw new OrderStateError('ORDER_NOT_REFUNDABLE', order.id, order.status);

  const now = deps.clock.now();
  const outRefundNo = orderRefundNo(order.id);
  const body = { orderId: order.id, userId: order.userId, outRefundNo, amountFen: order.payableFen, ...(order.couponId ? { couponId: order.couponId } : {}) };
  const half = await deps.tx.publishHalf('OrderRefunded', body, { checkBackAfterSeconds: deps.checkBackAfterSeconds });
  const refund: RefundRecord = {
    orderId: order.id,
    outRefundNo,
    amountFen: order.payableFen,
    totalFen: order.payableFen,
    transactionId: order.transactionId,
    reason: input.reason,
    ...(input.note ? { note: input.note } : {}),
    status: 'REQUESTED',
    createdAt: now.toISOString(),
    // Which request's half message this record answers for (the check-back commits only that one).
    halfMessageId: half.messageId,
  };

  const events = [statusChanged(deps.announce, order, 'REFUNDING', now)];
  // An error here leaves the outcome unknown (the write may have landed): the check-back decides, not us.
  const started = await deps.refunds.start(order, refund, events);
  if (!started) {
    await decide(deps, half, 'rollback');
    const current = (await deps.orders.get(order.id)) ?? order;
    throw new OrderStateError('ORDER_NOT_REFUNDABLE', order.id, current.status);
  }
  // Neither throws, and neither needs the other: the commit and the status event go out together.
  await Promise.all([decide(deps, half, 'commit'), deps.dispatch(events)]);
  logger.info('refund requested', { orderId: order.id, outRefundNo: refund.outRefundNo, reason: input.reason });
  const at = now.toISOString();
  return orderView({ ...order, status: 'REFUNDING', refunds: [...order.refunds, refundSummary(refund)], history: [...order.history, { status: 'REFUNDING', at }] });
}
