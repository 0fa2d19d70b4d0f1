/** An order's life. Every transition is a conditional write from the allowed sources, so states never move back. */
export const orderStatuses = ['WAIT_PAY', 'PAID', 'CONFIRMED', 'FINISHED', 'CANCELLED', 'REFUNDING', 'REFUNDED'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

const nextStatuses: Record<OrderStatus, readonly OrderStatus[]> = {
  WAIT_PAY: ['PAID', 'CANCELLED'],
  PAID: ['CONFIRMED', 'REFUNDING'],
  CONFIRMED: ['FINISHED', 'REFUNDING'],
  FINISHED: [],
  CANCELLED: [],
  REFUNDING: ['REFUNDED'],
  REFUNDED: [],
};

/** The statuses an order may be in for a move to `to`: the condition of that transition's write. */
export function sourcesOf(to: OrderStatus): OrderStatus[] {
  return orderStatuses.filter((from) => nextStatuses[from].includes(to));
}

export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return nextStatuses[from].includes(to);
}

/** One line of an order, priced when the order was placed. */
export type OrderLine = { productId: string; name: string; quantity: number; priceFen: number };

/** REQUESTED: recorded, not yet accepted by WeChat Pay; then WeChat Pay's own refund states. */
export const refundStatuses = ['REQUESTED', 'PROCESSING', 'SUCCESS', 'CLOSED', 'ABNORMAL'] as const;
export type RefundStatus = (typeof refundStatuses)[number];
/** Why money goes back: the user asked, an operator did, or a payment arrived for an order already cancelled. */
export type RefundReason = 'USER_REQUESTED' | 'OPERATOR' | 'PAID_AFTER_CANCEL';
export type OrderRefund = { outRefundNo: string; amountFen: number; status: RefundStatus; reason: RefundReason };

export type Order = {
  id: string;
  userId: string;
  /** The payer's openid: WeChat Pay's `payer.openid` and the subscribe messages' `touser`. */
  openid: string;
  storeId: string;
  status: OrderStatus;
  items: OrderLine[];
  totalFen: number;
  discountFen: number;
  payableFen: number;
  couponId?: string;
  /** After this instant an unpaid order is cancelled. */
  payDeadline: string;
  createdAt: string;
  paidAt?: string;
  confirmedAt?: string;
  finishedAt?: string;
  cancelledAt?: string;
  refundedAt?: string;
  refunds: OrderRefund[];
  /** Every status the order reached, oldest first. */
  history: Array<{ status: OrderStatus; at: string }>;
  /** The client's idempotency key, and a digest of what it asked for (the same key with another request is refused). */
  requestId: string;
  requestDigest: string;
  /** The WeChat Pay prepay of this order, reused while it is valid (a prepay_id lives 2 hours). */
  prepay?: { prepayId: string; createdAt: string };
  /** WeChat Pay's id of the payment that paid the order. */
  transactionId?: string;
};

/** What a shopper sees of an order (the contract's order). */
export type OrderView = Pick<
  Order,
  'id' | 'storeId' | 'status' | 'items' | 'totalFen' | 'discountFen' | 'payableFen' | 'payDeadline' | 'createdAt' | 'refunds'
> & { couponId: string | null; paidAt: string | null; cancelledAt: string | null; refundedAt: string | null };

export function orderView(order: Order): OrderView {
  const { id, storeId, status, items, totalFen, discountFen, payableFen, payDeadline, createdAt, refunds } = order;
  return {
    id,
    storeId,
    status,
    items,
    totalFen,
    discountFen,
    payableFen,
    couponId: order.couponId ?? null,
    payDeadline,
    createdAt,
    paidAt: order.paidAt ?? null,
    cancelledAt: order.cancelledAt ?? null,
    refundedAt: order.refundedAt ?? null,
    refunds,
  };
}

/**
 * An order's id is derived from who asked and their request id, so that a retried request maps to the same order
 * and the conditional put refuses a second one. It is also the WeChat Pay `out_trade_no` (6-32 of [0-9A-Za-z_-]):
 * `o` and 31 hex characters of the digest.
 */
export function orderIdFromDigest(hexDigest: string): string {
  return `o${hexDigest.slice(0, 31)}`;
}

/** The text whose digest names an order: user and request id, unambiguous because neither holds a newline. */
export function orderKey(userId: string, requestId: string): string {
  return `${userId}\n${requestId}`;
}
