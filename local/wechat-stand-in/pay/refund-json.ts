import type { StandInRefund, Trade } from './book';

const RECEIVED_ACCOUNT = '支付用户零钱';

/** A refund of a discounted payment returns the discount share to WeChat Pay, the rest to the user. */
function amounts(refund: StandInRefund, trade: Trade) {
  const total = trade.amountFen;
  const payerTotal = trade.payerTotalFen ?? total;
  const discountRefund = Math.round((refund.amountFen * (total - payerTotal)) / total);
  return { total, refund: refund.amountFen, payer_total: payerTotal, payer_refund: refund.amountFen - discountRefund, discount_refund: discountRefund };
}

/** The Refund object of the create and query answers. */
export function refundJson(refund: StandInRefund, trade: Trade): Record<string, unknown> {
  const { discount_refund: discountRefund, ...amount } = amounts(refund, trade);
  return {
    refund_id: refund.refundId,
    out_refund_no: refund.outRefundNo,
    transaction_id: trade.transactionId,
    out_trade_no: trade.outTradeNo,
    channel: 'ORIGINAL',
    user_received_account: RECEIVED_ACCOUNT,
    ...(refund.succeededAt ? { success_time: refund.succeededAt } : {}),
    create_time: refund.createdAt,
    status: refund.status,
    funds_account: 'AVAILABLE',
    amount: { ...amount, from: [], settlement_total: amount.total, settlement_refund: amount.refund, discount_refund: discountRefund, currency: 'CNY', refund_fee: 0 },
    promotion_detail: [],
  };
}

/** The decrypted resource of REFUND.SUCCESS / REFUND.CLOSED / REFUND.ABNORMAL: `success_time` only on success. */
export function refundResource(refund: StandInRefund, trade: Trade): Record<string, unknown> {
  const { total, refund: refunded, payer_total: payerTotal, payer_refund: payerRefund } = amounts(refund, trade);
  return {
    mchid: trade.mchid,
    transaction_id: trade.transactionId,
    out_trade_no: trade.outTradeNo,
    refund_id: refund.refundId,
    out_refund_no: refund.outRefundNo,
    refund_status: refund.status,
    ...(refund.succeededAt ? { success_time: refund.succeededAt } : {}),
    user_received_account: RECEIVED_ACCOUNT,
    amount: { total, refund: refunded, payer_total: payerTotal, payer_refund: payerRefund },
  };
}
