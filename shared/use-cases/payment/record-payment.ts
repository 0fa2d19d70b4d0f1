import { OrderNotFoundError } from '../../domain/ordering/errors';
import type { Order } from '../../domain/ordering/order';
import { PaymentMismatchError } from '../../domain/payment/errors';
import { anomalyId, lateRefundNo, paymentMismatch, type AnomalyKind, type PaymentRecord } from '../../domain/payment/payment';
import type { RefundRecord } from '../../domain/payment/refund';
import { logger } from '../../logging/logger';
import type { Clock } from '../../ports/clock';
import type { OrderRepository } from '../../ports/ordering';
import type { Announce, Dispatch } from '../../ports/outbox';
import type { Payment } from '../../ports/payment-gateway';
import type { PaidMarks, PaymentAnomalies, PaymentLedger } from '../../ports/payments';
import { statusChanged } from '../ordering/status-events';
import { submitRefund, type SubmitRefundDeps } from './submit-refund';

export type RecordPaymentDeps = SubmitRefundDeps & {
  orders: Pick<OrderRepository, 'get'>;
  ledger: Pick<PaymentLedger, 'markPaid' | 'recordLatePayment'>;
  anomalies: PaymentAnomalies;
  marks: PaidMarks;
  announce: Announce;
  dispatch: Dispatch;
  clock: Clock;
};

export type RecordPaymentInput = { payment: Payment; via: PaymentRecord['via']; notificationId?: string };
export type RecordPaymentOutcome = 'PAID' | 'DUPLICATE' | 'LATE_PAYMENT_REFUNDING';

async function refuse(deps: RecordPaymentDeps, payment: Pick<Payment, 'outTradeNo' | 'transactionId'>, kind: AnomalyKind, expected: string, received: string): Promise<never> {
  const at = deps.clock.now().toISOString();
  const id = anomalyId(payment.outTradeNo, payment.transactionId, kind);
  const recorded = await deps.anomalies.record({ id, outTradeNo: payment.outTradeNo, transactionId: payment.transactionId, kind, expected, received, at });
  logger.error('payment anomaly: an authentic payment does not match its order; the order is left unpaid', { orderId: payment.outTradeNo, anomaly: kind, firstSeen: recorded });
  throw new PaymentMismatchError(payment.outTradeNo, kind);
}

function paymentRecord(deps: RecordPaymentDeps, input: RecordPaymentInput): PaymentRecord {
  const { payment } = input;
  return {
    transactionId: payment.transactionId as string,
    orderId: payment.outTradeNo,
    amountFen: payment.amountFen as number,
    ...(payment.payerAmountFen === undefined ? {} : { payerAmountFen: payment.payerAmountFen }),
    ...(payment.payerOpenid === undefined ? {} : { payerOpenid: payment.payerOpenid }),
    paidAt: payment.paidAt ?? deps.clock.now().toISOString(),
    recordedAt: deps.clock.now().toISOString(),
    via: input.via,
    ...(input.notificationId ? { notificationId: input.notificationId } : {}),
  };
}

/** A payment for a cancelled order: keep it, and give it back in full (the order never turns PAID). */
async function refundLatePayment(deps: RecordPaymentDeps, order: Order, record: PaymentRecord): Promise<RecordPaymentOutcome> {
  const refund: RefundRecord = {
    orderId: order.id,
    outRefundNo: lateRefundNo(order.id),
    amountFen: record.amountFen,
    totalFen: record.amountFen,
    transactionId: record.transactionId,
    reason: 'PAID_AFTER_CANCEL',
    status: 'REQUESTED',
    createdAt: record.recordedAt,
  };
  const outcome = await deps.ledger.recordLatePayment(order, record, refund);
  if (outcome === 'ANOTHER_PAYMENT') return refuse(deps, { outTradeNo: order.id, transactionId: record.transactionId }, 'DUPLICATE_PAYMENT', 'one payment refunded after the cancellation', 'a second payment');
  // On a redelivery the refund may have been recorded but not yet accepted by WeChat Pay: (re)submit it.
  const current = outcome === 'RECORDED' ? { ...order, refunds: [...order.refunds, { outRefundNo: refund.outRefundNo, amountFen: refund.amountFen, status: refund.status, reason: refund.reason }] } : order;
  const known = current.refunds.find((r) => r.outRefundNo === refund.outRefundNo);
  await submitRefund(deps, current, { ...refund, status: known?.status ?? refund.status });
  logger.warn('payment arrived after the order was cancelled; refunding it', { orderId: order.id, outRefundNo: refund.outRefundNo, firstSeen: outcome === 'RECORDED' });
  return 'LATE_PAYMENT_REFUNDING';
}

/**
 * Records a successful WeChat Pay payment exactly once: from the payment webhook, or from the cancellation consumer
 * that found the order paid when it queried WeChat Pay (one code path for both).
 *
 * Primary course:
 *  1. The Redis mark on the order number answers a repeat at once (a fast path; DynamoDB stays the truth).
 *  2. Check the payment against the order: the amount charged and the payer. A mismatch is recorded as an anomaly
 *     for operators and refused; the order stays unpaid.
 *  3. WAIT_PAY -> PAID in one transaction with the payment record (unique by transaction id), the coupon
 *     LOCKED -> USED and the OrderStatusChanged event; then publish it and set the Redis mark.
 *
 * Alternative courses: the same payment again -> DUPLICATE, nothing written; the order was cancelled -> the payment
 * is kept and refunded in full with a deterministic out_refund_no, and the order stays CANCELLED.
 */
export async function recordPayment(deps: RecordPaymentDeps, input: RecordPaymentInput): Promise<RecordPaymentOutcome> {
  const { payment } = input;
  // The fast path and the read it would save run together: a repeat costs no more, a first delivery one step less.
  const [paid, order] = await Promise.all([deps.marks.isPaid(payment.outTradeNo), deps.orders.get(payment.outTradeNo)]);
  if (paid) return 'DUPLICATE';
  if (!order) throw new OrderNotFoundError(payment.outTradeNo);
  const mismatch = paymentMismatch(order, payment);
  if (mismatch) return refuse(deps, payment, mismatch.kind, mismatch.expected, mismatch.received);
  return settle(deps, input, order, true);
}

async function settle(deps: RecordPaymentDeps, input: RecordPaymentInput, order: Order, mayRetry: boolean): Promise<RecordPaymentOutcome> {
  const record = paymentRecord(deps, input);
  if (order.status === 'CANCELLED') return refundLatePayment(deps, order, record);
  if (order.status !== 'WAIT_PAY') {
    if (order.transactionId === record.transactionId) return 'DUPLICATE';
    return refuse(deps, input.payment, 'DUPLICATE_PAYMENT', `order paid by ${order.transactionId ?? 'nothing yet'} (${order.status})`, 'another transaction');
  }
  const events = [statusChanged(deps.announce, order, 'PAID', deps.clock.now())];
  const outcome = await deps.ledger.markPaid(order, record, events);
  if (outcome === 'NOT_WAITING') {
    // Cancelled (or paid) between our read and our write: decide again from what the order is now.
    const now = await deps.orders.get(order.id);
    if (!now || !mayRetry) throw new Error(`order ${order.id} keeps changing under payment ${record.transactionId}`);
    return settle(deps, input, now, false);
  }
  // After the commit, the event and the Redis mark go out together (neither waits for the other).
  await Promise.all([outcome === 'PAID' ? deps.dispatch(events) : undefined, deps.marks.markPaid(order.id)]);
  if (outcome === 'PAID') logger.info('order paid', { orderId: order.id, via: input.via });
  return outcome;
}
