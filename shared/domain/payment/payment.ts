import type { Order } from '../ordering/order';

/** A payment WeChat Pay reported for one of our orders, as we keep it (one per WeChat transaction id). */
export type PaymentRecord = {
  transactionId: string;
  orderId: string;
  /** The order amount WeChat Pay charged; `payerAmountFen` may be lower after a WeChat-side discount. */
  amountFen: number;
  payerAmountFen?: number;
  payerOpenid?: string;
  paidAt: string;
  recordedAt: string;
  /** How we learnt of it: the webhook, or the cancellation consumer's query. */
  via: 'NOTIFICATION' | 'QUERY';
  notificationId?: string;
};

/**
 * REFUND_MISMATCH: a refund WeChat Pay reports with amounts (or a payment) other than the refund we asked for;
 * REFUND_REFUSED: WeChat Pay refused to take a refund (its balance too low, ...), retried until someone acts.
 */
export const anomalyKinds = ['AMOUNT_MISMATCH', 'MERCHANT_MISMATCH', 'PAYER_MISMATCH', 'DUPLICATE_PAYMENT', 'REFUND_MISMATCH', 'REFUND_REFUSED'] as const;
export type AnomalyKind = (typeof anomalyKinds)[number];

/** An authentic payment that does not match our order: the order is left as it is and an operator must look. */
export type PaymentAnomaly = {
  id: string;
  outTradeNo: string;
  transactionId?: string;
  kind: AnomalyKind;
  expected: string;
  received: string;
  at: string;
};

export type ReportedPayment = {
  outTradeNo: string;
  transactionId?: string;
  amountFen?: number;
  payerOpenid?: string;
  state: string;
};

/**
 * What is wrong with a payment for this order, if anything: WeChat Pay charged another amount than the order's
 * payable amount, or another payer than the one who placed it. Merchant and app are checked with the signature.
 */
export function paymentMismatch(order: Pick<Order, 'id' | 'payableFen' | 'openid'>, payment: ReportedPayment): Pick<PaymentAnomaly, 'kind' | 'expected' | 'received'> | undefined {
  if (payment.amountFen !== order.payableFen) return { kind: 'AMOUNT_MISMATCH', expected: `${order.payableFen} fen`, received: `${payment.amountFen ?? 'no'} fen` };
  if (payment.payerOpenid !== order.openid) return { kind: 'PAYER_MISMATCH', expected: 'the openid that placed the order', received: 'another openid' };
  return undefined;
}

/** One anomaly per (transaction, kind): WeChat Pay redelivers a refused notification for a day, recorded once. */
export function anomalyId(outTradeNo: string, transactionId: string | undefined, kind: AnomalyKind): string {
  return `${outTradeNo}.${transactionId ?? 'none'}.${kind}`;
}

/**
 * Refund numbers are derived, never random, so that a retry can never refund twice: WeChat Pay refunds an
 * `out_refund_no` at most once. `-PAC` refunds a payment that arrived after the order was cancelled; `-RF` is the
 * order's (full) refund asked for by the shopper or an operator.
 */
export function lateRefundNo(orderId: string): string {
  return `${orderId}-PAC`;
}

export function orderRefundNo(orderId: string): string {
  return `${orderId}-RF`;
}
