import { randomInt } from 'node:crypto';
import { json, type StandInResponse } from '../http';

export type TradeState = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';

export type StandInRefund = {
  refundId: string;
  outRefundNo: string;
  outTradeNo: string;
  amountFen: number;
  reason?: string;
  notifyUrl?: string;
  status: 'PROCESSING' | 'SUCCESS';
  createdAt: string;
  succeededAt?: string;
  /** Same out_refund_no with the same parameters is a retry, with others a misuse. */
  fingerprint: string;
};

export type Trade = {
  appid: string;
  mchid: string;
  outTradeNo: string;
  description: string;
  amountFen: number;
  payerOpenid: string;
  notifyUrl: string;
  attach?: string;
  expiresAtMs?: number;
  /** Same out_trade_no with the same parameters reopens the payment, with others it is OUT_TRADE_NO_USED. */
  fingerprint: string;
  prepayId: string;
  prepayIssuedAtMs: number;
  state: TradeState;
  transactionId?: string;
  paidFen?: number;
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

const STATE_DESCRIPTIONS: Record<TradeState, string> = { NOTPAY: '订单未支付', SUCCESS: '支付成功', CLOSED: '订单已关闭', REFUND: '转入退款' };

/** A trade as the query API and the TRANSACTION.SUCCESS resource show it. */
export function transactionJson(trade: Trade): Record<string, unknown> {
  const paid = trade.paidFen !== undefined;
  return {
    appid: trade.appid,
    mchid: trade.mchid,
    out_trade_no: trade.outTradeNo,
    ...(trade.transactionId ? { transaction_id: trade.transactionId, bank_type: 'OTHERS', success_time: trade.successTime } : {}),
    trade_type: 'JSAPI',
    trade_state: trade.state,
    trade_state_desc: STATE_DESCRIPTIONS[trade.state],
    ...(trade.attach === undefined ? {} : { attach: trade.attach }),
    payer: paid ? { openid: trade.payerOpenid } : {},
    amount: paid ? { total: trade.paidFen, payer_total: trade.paidFen, currency: 'CNY', payer_currency: 'CNY' } : { total: trade.amountFen, currency: 'CNY', payer_currency: 'CNY' },
    promotion_detail: [],
  };
}
