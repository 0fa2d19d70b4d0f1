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
  completedAt?: string;
};

export function refundSummary({ outRefundNo, amountFen, status, reason }: RefundRecord): OrderRefund {
  return { outRefundNo, amountFen, status, reason };
}

/** Final: WeChat Pay says the money went back (SUCCESS) or will not (CLOSED); ABNORMAL waits for an operator. */
export function isSettled(status: RefundStatus): boolean {
  return status === 'SUCCESS' || status === 'CLOSED';
}
