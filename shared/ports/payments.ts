import type { Order } from '../domain/ordering/order';
import type { PaymentAnomaly, PaymentRecord } from '../domain/payment/payment';
import type { RefundRecord } from '../domain/payment/refund';
import type { OutboxEvent } from './outbox';

/** The DynamoDB writes of the payment flow: each one transaction, each guarded by a condition. */
export interface PaymentLedger {
  /** Remembers the order's prepay; false when the order is no longer WAIT_PAY. */
  recordPrepay(orderId: string, prepay: NonNullable<Order['prepay']>): Promise<boolean>;
  /**
   * WAIT_PAY -> PAID with the payment record (unique by transaction id), the coupon LOCKED -> USED and the events.
   * DUPLICATE: this payment was recorded before; NOT_WAITING: the order left WAIT_PAY (nothing written either way).
   */
  markPaid(order: Order, payment: PaymentRecord, events: OutboxEvent[]): Promise<'PAID' | 'DUPLICATE' | 'NOT_WAITING'>;
  /**
   * A payment for an order already cancelled: the payment record and the refund that gives it back, in one
   * transaction (the order stays CANCELLED and lists the refund). DUPLICATE when this payment was recorded before;
   * ANOTHER_PAYMENT when the order's late refund already gives back a different payment (nothing written either way).
   */
  recordLatePayment(order: Order, payment: PaymentRecord, refund: RefundRecord): Promise<'RECORDED' | 'DUPLICATE' | 'ANOTHER_PAYMENT'>;
  findPayment(transactionId: string): Promise<PaymentRecord | undefined>;
}

export interface PaymentAnomalies {
  /** Records an anomaly once (its id is deterministic); false when it was recorded before. */
  record(anomaly: PaymentAnomaly): Promise<boolean>;
}

/** The Redis fast path in front of the payment webhook: orders whose payment is already recorded. */
export interface PaidMarks {
  isPaid(outTradeNo: string): Promise<boolean>;
  /** After the DynamoDB commit; best effort. */
  markPaid(outTradeNo: string): Promise<void>;
}

export type RefundUpdate = {
  status: RefundRecord['status'];
  refundId?: string;
  completedAt?: string;
  /**
   * What the refund's success does to its order, in the same transaction: COMPLETE moves the order's own refund
   * REFUNDING -> REFUNDED; STAMP only sets `refundedAt` (a cancelled order whose late payment went back stays CANCELLED).
   */
  order?: 'COMPLETE' | 'STAMP';
};

export interface RefundRepository {
  get(orderId: string, outRefundNo: string): Promise<RefundRecord | undefined>;
  /**
   * The order's refund, as one transaction: PAID or CONFIRMED -> REFUNDING, the refund record (unique by
   * out_refund_no) listed on the order, and the events. False when the order was not refundable or this refund
   * exists (nothing is written then).
   */
  start(order: Order, refund: RefundRecord, events: OutboxEvent[]): Promise<boolean>;
  /**
   * Moves a refund (and its summary on the order) to `status`, only forward: false when it already was there or
   * settled. `order` carries the summary's position.
   */
  updateStatus(order: Order, refund: RefundRecord, update: RefundUpdate, events?: OutboxEvent[]): Promise<boolean>;
  /** Refunds WeChat Pay has not settled (REQUESTED or PROCESSING) created before `before`, oldest first (an index). */
  unsettled(before: Date, limit: number): Promise<RefundRecord[]>;
}
