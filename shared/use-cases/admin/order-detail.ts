import { OrderNotFoundError } from '../../domain/ordering/errors';
import type { Order } from '../../domain/ordering/order';
import type { NoticeRecord, NoticeRepository } from '../../ports/notices';
import type { OrderRepository } from '../../ports/ordering';
import type { PaymentLedger } from '../../ports/payments';
import { adminOrderView, type AdminOrderView } from './search-orders';

export type OrderDetailDeps = {
  orders: Pick<OrderRepository, 'get'>;
  payments: Pick<PaymentLedger, 'findPayment'>;
  notices: Pick<NoticeRepository, 'listForOrder'>;
};

export type OrderDetail = AdminOrderView & {
  payments: Array<{ transactionId: string; amountFen: number; paidAt: string }>;
  notices: Array<{ status: NoticeRecord['status']; result: NoticeRecord['result']; sentAt: string | null }>;
  history: Order['history'];
};

/**
 * One order with everything an operator checks when a shopper calls: its payment, the notices sent and every status
 * it reached.
 *
 * Primary course:
 *  1. Read the order (ORDER_NOT_FOUND when there is none).
 *  2. Read the payment it carries (paid, or paid after its cancellation and refunded) and its notices, together.
 */
export async function orderDetail(deps: OrderDetailDeps, input: { orderId: string }): Promise<OrderDetail> {
  const order = await deps.orders.get(input.orderId);
  if (!order) throw new OrderNotFoundError(input.orderId);
  const [payment, notices] = await Promise.all([
    order.transactionId ? deps.payments.findPayment(order.transactionId) : undefined,
    deps.notices.listForOrder(order.id),
  ]);
  return {
    ...adminOrderView(order),
    payments: payment ? [{ transactionId: payment.transactionId, amountFen: payment.amountFen, paidAt: payment.paidAt }] : [],
    notices: notices.map(({ status, result, sentAt }) => ({ status, result, sentAt: sentAt ?? null })),
    history: order.history,
  };
}
