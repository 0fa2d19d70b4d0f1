import * as z from '../../schemas/zod';
import type { Payment, Refund } from '../../ports/payment-gateway';

/** A WeChat Pay transaction (query answer, decrypted TRANSACTION.SUCCESS resource), fields we use only. */
export const transactionSchema = z.object({
  appid: z.string(),
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.optional(z.string()),
  trade_state: z.enum(['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR']),
  trade_state_desc: z.optional(z.string()),
  attach: z.optional(z.string()),
  success_time: z.optional(z.string()),
  payer: z.optional(z.object({ openid: z.optional(z.string()) })),
  amount: z.optional(
    z.object({
      total: z.optional(z.int()),
      payer_total: z.optional(z.int()),
      currency: z.optional(z.string()),
    }),
  ),
});

/** A refund (API answer, or decrypted REFUND.* resource, which names its state `refund_status` and adds `mchid`). */
export const refundSchema = z.pipe(
  z.object({
    mchid: z.optional(z.string()),
    refund_id: z.string(),
    out_refund_no: z.string(),
    transaction_id: z.string(),
    out_trade_no: z.string(),
    status: z.optional(z.enum(['SUCCESS', 'CLOSED', 'PROCESSING', 'ABNORMAL'])),
    refund_status: z.optional(z.enum(['SUCCESS', 'CLOSED', 'PROCESSING', 'ABNORMAL'])),
    success_time: z.optional(z.string()),
    user_received_account: z.optional(z.string()),
    amount: z.object({ total: z.int(), refund: z.int() }),
  }),
  z.transform(({ status, refund_status: refundStatus, ...refund }, context) => {
    const state = status ?? refundStatus;
    if (state) return { ...refund, state };
    context.issues.push({ code: 'custom', message: 'status or refund_status is required', input: refund });
    return z.NEVER;
  }),
);

/** WeChat Pay writes times in China time (`2025-05-20T13:29:35+08:00`); ours are UTC ISO strings, as the API's are. */
function utc(time: string | undefined): string | undefined {
  if (time === undefined) return undefined;
  const instant = new Date(time);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}

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
    paidAt: utc(transaction.success_time),
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
    refundedAt: utc(refund.success_time),
    receivedAccount: refund.user_received_account,
  };
}
