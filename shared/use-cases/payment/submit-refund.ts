import type { Order } from '../../domain/ordering/order';
import type { RefundRecord } from '../../domain/payment/refund';
import { logger } from '../../logging/logger';
import { anomalyId } from '../../domain/payment/payment';
import { PaymentGatewayError, type PaymentGateway } from '../../ports/payment-gateway';
import { settleKnownRefund, type SettleRefundDeps } from './settle-refund';

/** Submitting needs what settling does: WeChat Pay may answer that the refund is already over. */
export type SubmitRefundDeps = SettleRefundDeps & {
  gateway: Pick<PaymentGateway, 'createRefund'>;
  refundNotifyUrl: string;
};

const reasonText: Record<RefundRecord['reason'], string> = {
  USER_REQUESTED: '用户申请退款',
  OPERATOR: '商家退款',
  PAID_AFTER_CANCEL: '订单已取消，退回支付款项',
};

/**
 * WeChat Pay refused the refund itself (4xx: `NOT_ENOUGH`, the merchant's balance too low; `INVALID_REQUEST`...): no
 * retry with the same request helps until someone acts, so operators are told, once per refund and reason, by a
 * REFUND_REFUSED payment anomaly and an error log. The refund stays REQUESTED: the reconciler sends it again on every
 * run, and it goes through once the cause is dealt with (the account topped up). Always rethrows.
 */
async function refused(deps: SubmitRefundDeps, refund: RefundRecord, error: unknown): Promise<never> {
  if (error instanceof PaymentGatewayError && !error.retryable) {
    const firstSeen = await deps.anomalies.record({
      id: anomalyId(refund.orderId, `${refund.outRefundNo}.${error.providerCode}`, 'REFUND_REFUSED'),
      outTradeNo: refund.orderId,
      transactionId: refund.transactionId,
      kind: 'REFUND_REFUSED',
      expected: `a refund of ${refund.amountFen} fen accepted`,
      received: `${error.providerCode}: ${error.providerMessage}`,
      at: deps.clock.now().toISOString(),
    });
    logger.error('WeChat Pay refused a refund; it is retried until an operator deals with the cause', { orderId: refund.orderId, outRefundNo: refund.outRefundNo, providerCode: error.providerCode, firstSeen });
  }
  throw error;
}

/**
 * Asks WeChat Pay to execute a recorded refund and records its answer. Safe to repeat: WeChat Pay refunds an
 * `out_refund_no` at most once and answers a repeat with the same refund. Only a REQUESTED refund is sent; transient
 * failures throw, so that the caller's retry (a webhook redelivery, a message redelivery, the refund reconciler) sends
 * it again.
 *
 * WeChat Pay answers a repeat with the refund as it now stands: when an earlier request was applied but its answer was
 * lost, and the refund has since finished (SUCCESS, CLOSED, ABNORMAL), that outcome is settled here exactly as its
 * notification would settle it (the order REFUNDING -> REFUNDED, the REFUNDED event), since the notification, when it
 * comes, will find the refund already moved and change nothing.
 */
export async function submitRefund(deps: SubmitRefundDeps, order: Order, refund: RefundRecord): Promise<RefundRecord['status']> {
  if (refund.status !== 'REQUESTED') return refund.status;
  const answer = await deps.gateway
    .createRefund({
      outTradeNo: refund.orderId,
      outRefundNo: refund.outRefundNo,
      refundFen: refund.amountFen,
      totalFen: refund.totalFen,
      reason: refund.note ?? reasonText[refund.reason],
      notifyUrl: deps.refundNotifyUrl,
    })
    .catch((error: unknown) => refused(deps, refund, error));
  logger.info('refund submitted to WeChat Pay', { orderId: refund.orderId, outRefundNo: refund.outRefundNo, refundState: answer.state });
  if (answer.state === 'PROCESSING') {
    await deps.refunds.updateStatus(order, refund, { status: 'PROCESSING', refundId: answer.refundId });
  } else {
    await settleKnownRefund(deps, order, refund, answer);
  }
  return answer.state;
}
