import * as z from 'zod';
import type { Payment, Refund } from '../../ports/payment-gateway';

/** A WeChat Pay transaction (query answer, decrypted TRANSACTION.SUCCESS resource), fields we use only. */
export const transactionSchema = z.object({
  appid: z.string(),
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string().optional(),
  trade_state: z.enum(['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR']),
  trade_state_desc: z.string().optional(),
  attach: z.string().optional(),
  success_time: z.string().optional(),
  payer: z.object({ openid: z.string().optional() }).optional(),
  amount: z
    .object({
      total: z.number().int().optional(),
      payer_total: z.number().int().optional(),
      currency: z.string().optional(),
    })
    .optional(),
});

/** A refund (API answer, or decrypted REFUND.* resource, which names its state `refund_status` and adds `mchid`). */
export const refundSchema = z
  .object({
    mchid: z.string().optional(),
    refund_id: z.string(),
    out_refund_no: z.string(),
    transaction_id: z.string(),
    out_trade_no: z.string(),
    status: z.enum(['SUCCESS', 'CLOSED', 'PROCESSING', 'ABNORMAL']).optional(),
    refund_status: z.enum(['SUCCESS', 'CLOSED', 'PROCESSING', 'ABNORMAL']).optional(),
    success_time: z.string().optional(),
    user_received_account: z.string().optional(),
    amount: z.object({ total: z.number().int(), refund: z.number().int() }),
  })
  .transform(({ status, refund_status: refundStatus, ...refund }, context) => {
    const state = status ?? refundStatus;
    if (state) return { ...refund, state };
    context.addIssue({ code: 'custom', message: 'status or refund_status is required' });
    return z.NEVER;
  });

export function toPayment(transaction: z.infer<typeof transactionSchema>): Payment {
  const { amount, payer } = transaction;
  return {
    appid: transaction.appid,
    mchid: transaction.mchid,
    outTradeNo: transaction.out_trade_no,
    state: transaction.trade_state,
    stateDescription: transaction.trade_state_desc,
    transactionId: transaction.transaction_id,
    amountFen: amount?.total,
    payerAmountFen: amount?.payer_total,
    currency: amount?.currency,
    payerOpenid: payer?.openid,
    paidAt: transaction.success_time,
    attach: transaction.attach,
  };
}

export function toRefund(refund: z.output<typeof refundSchema>): Refund {
  return {
    outRefundNo: refund.out_refund_no,
    refundId: refund.refund_id,
    outTradeNo: refund.out_trade_no,
    transactionId: refund.transaction_id,
    state: refund.state,
    refundFen: refund.amount.refund,
    totalFen: refund.amount.total,
    refundedAt: refund.success_time,
    receivedAccount: refund.user_received_account,
  };
}
