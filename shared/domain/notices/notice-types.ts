import type { Order, OrderStatus } from '../ordering/order';

/**
 * The order notices: one subscribe message per status an order reaches, in the order the mini-program asks the user
 * to accept them. REFUNDING has none: the user hears once the money is back (REFUNDED).
 */
export const noticeTypes = ['WAIT_PAY', 'PAID', 'CONFIRMED', 'FINISHED', 'CANCELLED', 'REFUNDED'] as const satisfies readonly OrderStatus[];
export type NoticeType = (typeof noticeTypes)[number];

export function isNoticeType(status: string): status is NoticeType {
  return (noticeTypes as readonly string[]).includes(status);
}

/**
 * When the order reached `status` (its history entry), or undefined when it never did. A cancelled order whose late
 * payment was given back never becomes REFUNDED, yet its shopper hears of the money coming back: for REFUNDED its
 * `refundedAt` counts too.
 */
export function reachedAt(order: Order, status: OrderStatus): string | undefined {
  const entry = order.history.find((reached) => reached.status === status)?.at;
  return entry ?? (status === 'REFUNDED' ? order.refundedAt : undefined);
}
