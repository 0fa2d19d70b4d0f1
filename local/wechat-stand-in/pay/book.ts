import { randomInt } from 'node:crypto';
import { json, type StandInResponse } from '../http';

export type TradeState = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';
export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL';

export type StandInRefund = {
  refundId: string;
  outRefundNo: string;
  outTradeNo: string;
  amountFen: number;
  reason?: string;
  notifyUrl?: string;
  status: RefundStatus;
  /** What it turns into after the refund delay: SUCCESS unless a refund outcome was armed. */
  outcome: RefundStatus;
  createdAt: string;
  createdAtMs: number;
  succeededAt?: string;
  /** Same out_refund_no with the same trade and amounts is a retry, with others a misuse. */
  fingerprint: string;
};

export type Trade = {
  appid: string;
  mchid: string;
  outTradeNo: string;
  description: string;
  /** The order amount: `amount.total` everywhere, whatever the user paid. */
  amountFen: number;
  payerOpenid: string;
  notifyUrl: string;
  attach?: string;
  /** The effective time_expire, after WeChat moved a short one. */
  expiresAtMs?: number;
  /** Same out_trade_no with the same parameters reopens the payment, with others it is OUT_TRADE_NO_USED. */
  fingerprint: string;
  prepayId: string;
  prepayIssuedAtMs: number;
  state: TradeState;
  transactionId?: string;
  /** What the user paid: less than the order amount when WeChat Pay granted a discount. */
  payerTotalFen?: number;
  successTime?: string;
  refunds: StandInRefund[];
};

/** Everything WeChat Pay knows in this stand-in. */
export type PayBook = {
  trades: Map<string, Trade>;
  refunds: Map<string, StandInRefund>;
};

/** WeChat Pay's error body `{code, message, detail?}`. */
export function payError(status: number, code: string, message: string, detail?: Record<string, unknown>): StandInResponse {
  return json(status, { code, message, ...(detail ? { detail } : {}) });
}

export const digits = (length: number) => Array.from({ length }, () => randomInt(10)).join('');

export const tradeByTransactionId = (book: PayBook, transactionId: unknown) =>
  transactionId === undefined ? undefined : [...book.trades.values()].find((trade) => trade.transactionId === transactionId);

const STATE_DESCRIPTIONS: Record<TradeState, string> = { NOTPAY: '订单未支付', SUCCESS: '支付成功', CLOSED: '订单已关闭', REFUND: '转入退款' };

const isPaid = (trade: Trade) => trade.transactionId !== undefined;

/** A discount WeChat Pay paid for (the user paid less than the order amount), as promotion_detail shows it. */
function promotionDetail(trade: Trade): Record<string, unknown>[] {
  const discount = trade.amountFen - (trade.payerTotalFen ?? trade.amountFen);
  if (discount <= 0 || !trade.transactionId) return [];
  return [{ coupon_id: trade.transactionId.slice(-10), name: '微信支付立减', scope: 'GLOBAL', type: 'CASH', amount: discount, wechatpay_contribute: discount, merchant_contribute: 0, other_contribute: 0, currency: 'CNY' }];
}

/**
 * A trade as the query API and the TRANSACTION.SUCCESS resource show it. `attach` is echoed only once the trade is
 * paid unless `attachBeforePaid` (see the pay quirks).
 */
export function transactionJson(trade: Trade, attachBeforePaid: boolean): Record<string, unknown> {
  const paid = isPaid(trade);
  const showAttach = trade.attach !== undefined && (paid || attachBeforePaid);
  return {
    appid: trade.appid,
    mchid: trade.mchid,
    out_trade_no: trade.outTradeNo,
    ...(paid ? { transaction_id: trade.transactionId, bank_type: 'OTHERS', success_time: trade.successTime } : {}),
    trade_type: 'JSAPI',
    trade_state: trade.state,
    trade_state_desc: STATE_DESCRIPTIONS[trade.state],
    ...(showAttach ? { attach: trade.attach } : {}),
    payer: paid ? { openid: trade.payerOpenid } : {},
    amount: { total: trade.amountFen, ...(paid ? { payer_total: trade.payerTotalFen } : {}), currency: 'CNY', payer_currency: 'CNY' },
    promotion_detail: promotionDetail(trade),
  };
}
