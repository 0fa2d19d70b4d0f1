import { describeError, logger } from '../../logging/logger';
import type { PaymentGateway } from '../../ports/payment-gateway';
import type { RefundRepository } from '../../ports/payments';
import { settleRefund, type SettleRefundDeps } from '../payment/settle-refund';
import { submitRefund, type SubmitRefundDeps } from '../payment/submit-refund';

export type ReconcileRefundsDeps = SettleRefundDeps &
  SubmitRefundDeps & { refunds: RefundRepository; gateway: Pick<PaymentGateway, 'createRefund' | 'queryRefund'> };

/**
 * Scheduled: refunds WeChat Pay has not settled `olderThanSeconds` after they were recorded, whose notification never
 * came or whose submission failed. A REQUESTED one is submitted again (safe: one refund per out_refund_no), and settled
 * at once if WeChat Pay answers that it is already over; a PROCESSING one is queried and its outcome recorded as the
 * notification would record it.
 */
export async function reconcileRefunds(deps: ReconcileRefundsDeps, input: { olderThanSeconds: number; limit?: number }): Promise<{ checked: number; settled: number }> {
  const before = new Date(deps.clock.now().getTime() - input.olderThanSeconds * 1000);
  const open = await deps.refunds.unsettled(before, input.limit ?? 50);
  let settled = 0;
  for (const refund of open) {
    try {
      const order = await deps.orders.get(refund.orderId);
      if (!order) continue;
      if (refund.status === 'REQUESTED') {
        // WeChat Pay may answer that the refund is already over (an earlier request applied, its answer lost).
        if ((await submitRefund(deps, order, refund)) !== 'PROCESSING') settled++;
        continue;
      }
      const answer = await deps.gateway.queryRefund(refund.outRefundNo);
      if (!answer) {
        logger.error('refund recorded as accepted is unknown to WeChat Pay; an operator must look', { orderId: refund.orderId, outRefundNo: refund.outRefundNo });
        continue;
      }
      if ((await settleRefund(deps, { refund: answer })) === 'SETTLED') settled++;
    } catch (error) {
      logger.warn('refund reconciliation failed for one refund; the next run tries again', { orderId: refund.orderId, outRefundNo: refund.outRefundNo, ...describeError(error) });
    }
  }
  if (open.length > 0) logger.info('refund reconciliation run', { checked: open.length, settled });
  return { checked: open.length, settled };
}
