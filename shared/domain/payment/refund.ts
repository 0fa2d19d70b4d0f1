import type { OrderRefund, RefundReason, RefundStatus } from '../ordering/order';

/** A refund as we keep it (one per `out_refund_no`); the order carries a summary of each in `refunds`. */
export type RefundRecord = {
  orderId: string;
  outRefundNo: string;
  amountFen: number;
  /** The paid total the refund is taken from, as WeChat Pay wants it with every refund. */
  totalFen: number;
  transactionId: string;
  reason: RefundReason;
  /** The shopper's or operator's words, shown in the WeChat refund message (at most 80 bytes). */
  note?: string;
  status: RefundStatus;
  createdAt: string;
  /** WeChat Pay's refund id, once it accepted the refund. */
  refundId?: string;
  /**
   * The id of the transactional half message whose local transaction wrote this record (a shopper's or operator's
   * refund): the check-back commits that one and rolls back any other request's for the same refund.
   */
  halfMessageId?: string;
  completedAt?: string;
};

export function refundSummary({ outRefundNo, amountFen, status, reason }: RefundRecord): OrderRefund {
  return { outRefundNo, amountFen, status, reason };
}

/** Final: WeChat Pay says the money went back (SUCCESS) or will not (CLOSED); ABNORMAL waits for an operator. */
export function isSettled(status: RefundStatus): boolean {
  return status === 'SUCCESS' || status === 'CLOSED';
}

/**
 * How WeChat Pay's account of a refund differs from ours (the amount given back, the total it was taken from, the
 * payment), or undefined when it does not: an authentic refund for other amounts is an anomaly, not an outcome.
 */
export function refundMismatch(
  record: Pick<RefundRecord, 'amountFen' | 'totalFen' | 'transactionId'>,
  reported: { refundFen: number; totalFen: number; transactionId?: string },
): { expected: string; received: string } | undefined {
  if (reported.refundFen !== record.amountFen) return { expected: `a refund of ${record.amountFen} fen`, received: `${reported.refundFen} fen` };
  if (reported.totalFen !== record.totalFen) return { expected: `taken from ${record.totalFen} fen`, received: `from ${reported.totalFen} fen` };
  if (reported.transactionId && reported.transactionId !== record.transactionId) return { expected: 'the payment we refunded', received: 'another transaction' };
  return undefined;
}
