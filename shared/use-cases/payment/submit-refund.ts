import type { Order } from '../../domain/ordering/order';
import type { RefundRecord } from '../../domain/payment/refund';
import { logger } from '../../logging/logger';
import type { PaymentGateway } from '../../ports/payment-gateway';
import type { RefundRepository } from '../../ports/payments';

export type SubmitRefundDeps = {
  gateway: Pick<PaymentGateway, 'createRefund'>;
  refunds: Pick<RefundRepository, 'updateStatus'>;
  refundNotifyUrl: string;
};

const reasonText: Record<RefundRecord['reason'], string> = {
  USER_REQUESTED: '用户申请退款',
  OPERATOR: '商家退款',
  PAID_AFTER_CANCEL: '订单已取消，退回支付款项',
};

/**
 * Asks WeChat Pay to execute a recorded refund and records its answer. Safe to repeat: WeChat Pay refunds an
 * `out_refund_no` at most once and answers a repeat with the same refund. Only a REQUESTED refund is sent; transient
 * failures throw, so that the caller's retry (a webhook redelivery, a message redelivery, the refund reconciler) sends
 * it again.
 */
export async function submitRefund(deps: SubmitRefundDeps, order: Order, refund: RefundRecord): Promise<RefundRecord['status']> {
  if (refund.status !== 'REQUESTED') return refund.status;
  const answer = await deps.gateway.createRefund({
    outTradeNo: refund.orderId,
    outRefundNo: refund.outRefundNo,
    refundFen: refund.amountFen,
    totalFen: refund.totalFen,
    reason: refund.note ?? reasonText[refund.reason],
    notifyUrl: deps.refundNotifyUrl,
  });
  await deps.refunds.updateStatus(order, refund, { status: answer.state, refundId: answer.refundId, ...(answer.refundedAt ? { completedAt: answer.refundedAt } : {}) });
  logger.info('refund submitted to WeChat Pay', { orderId: refund.orderId, outRefundNo: refund.outRefundNo, refundState: answer.state });
  return answer.state;
}
