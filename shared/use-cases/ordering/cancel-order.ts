import { OrderStateError } from '../../domain/ordering/errors';
import { orderView, type Order, type OrderView } from '../../domain/ordering/order';
import { logger } from '../../logging/logger';
import type { Clock } from '../../ports/clock';
import type { OrderRepository, StockCacheInvalidator } from '../../ports/ordering';
import type { Announce, Dispatch } from '../../ports/outbox';
import { PaymentGatewayError, type PaymentGateway } from '../../ports/payment-gateway';
import { PaymentInProgressError } from '../../domain/payment/errors';
import { recordPayment, type RecordPaymentDeps } from '../payment/record-payment';
import { refreshStock } from './create-order';
import { statusChanged } from './status-events';
import { ownOrder } from './view-orders';

export type CancelOrderDeps = {
  orders: Pick<OrderRepository, 'get' | 'cancel' | 'overdueUnpaid'>;
  stockCache: StockCacheInvalidator;
  announce: Announce;
  dispatch: Dispatch;
  clock: Clock;
  gateway: Pick<PaymentGateway, 'queryPayment' | 'closePayment'>;
  /** Applies a payment found by the query exactly as the payment webhook would. */
  payments: RecordPaymentDeps;
};

export type CancelOutcome = 'CANCELLED' | 'NOT_WAITING';

const alreadyPaid = (error: unknown) => error instanceof PaymentGatewayError && error.providerCode === 'ORDERPAID';

/** Applies the order's payment if WeChat Pay says it was made; refuses to decide while the shopper is paying. */
async function applyPaymentIfMade(deps: CancelOrderDeps, order: Order): Promise<boolean> {
  const payment = await deps.gateway.queryPayment(order.id);
  if (payment?.state === 'USERPAYING') throw new PaymentInProgressError(order.id);
  if (payment?.state !== 'SUCCESS') return false;
  await recordPayment(deps.payments, { payment, via: 'QUERY' });
  return true;
}

/**
 * Before cancelling an order that has a prepay, makes WeChat Pay agree: a payment already made wins and is applied
 * as the webhook would apply it; otherwise the WeChat Pay order is closed, so that no payment can land after our
 * cancellation (one that still races the close is refunded by the webhook). PAID when a payment was found.
 */
async function closeAtWechatPay(deps: CancelOrderDeps, order: Order): Promise<'PAID' | 'CLOSED'> {
  if (await applyPaymentIfMade(deps, order)) return 'PAID';
  try {
    await deps.gateway.closePayment(order.id);
  } catch (error) {
    if (alreadyPaid(error) && (await applyPaymentIfMade(deps, order))) return 'PAID';
    throw error;
  }
  return 'CLOSED';
}

/**
 * Cancels an unpaid order: WAIT_PAY -> CANCELLED with its stock and coupon given back, in one conditional transaction.
 * Undefined when the order had already left WAIT_PAY (paid, or cancelled by someone else first): nothing changes.
 */
async function cancelUnpaid(deps: CancelOrderDeps, order: Order, why: string): Promise<Order | undefined> {
  if (order.prepay && (await closeAtWechatPay(deps, order)) === 'PAID') return undefined;
  const now = deps.clock.now();
  const events = [statusChanged(deps.announce, order, 'CANCELLED', now)];
  if (!(await deps.orders.cancel(order, now, events))) return undefined;
  await Promise.all([deps.dispatch(events), refreshStock(deps, order.storeId)]);
  logger.info('order cancelled', { orderId: order.id, why });
  const at = now.toISOString();
  return { ...order, status: 'CANCELLED', cancelledAt: at, history: [...order.history, { status: 'CANCELLED', at }] };
}

/**
 * The shopper cancels their unpaid order.
 *
 * Fails with OrderNotFoundError (unknown or another user's) or ORDER_NOT_CANCELLABLE once it left WAIT_PAY.
 */
export async function cancelOrderByUser(deps: CancelOrderDeps, input: { userId: string; orderId: string }): Promise<OrderView> {
  const order = await ownOrder(deps, input);
  const cancelled = order.status === 'WAIT_PAY' ? await cancelUnpaid(deps, order, 'cancelled by the shopper') : undefined;
  if (cancelled) return orderView(cancelled);
  const current = order.status === 'WAIT_PAY' ? ((await deps.orders.get(order.id)) ?? order) : order;
  throw new OrderStateError('ORDER_NOT_CANCELLABLE', order.id, current.status);
}

/**
 * Consumer of OrderPayTimeout (and the sweep): cancels the order if it is still unpaid. A message for an order that
 * no longer waits for payment, or that does not exist (its transaction failed), does nothing.
 */
export async function cancelUnpaidOrder(deps: CancelOrderDeps, input: { orderId: string }): Promise<CancelOutcome> {
  const order = await deps.orders.get(input.orderId);
  if (!order || order.status !== 'WAIT_PAY') return 'NOT_WAITING';
  return (await cancelUnpaid(deps, order, 'unpaid at its deadline')) ? 'CANCELLED' : 'NOT_WAITING';
}

/**
 * Scheduled: cancels orders still unpaid `graceSeconds` after their deadline, whose timeout message was lost or
 * delayed. Reads an index of unpaid orders by deadline, never the whole table.
 */
export async function sweepOverdueOrders(deps: CancelOrderDeps, input: { graceSeconds: number; limit?: number }): Promise<{ cancelled: number }> {
  const before = new Date(deps.clock.now().getTime() - input.graceSeconds * 1000);
  const overdue = await deps.orders.overdueUnpaid(before, input.limit ?? 100);
  let cancelled = 0;
  for (const order of overdue) if ((await cancelUnpaidOrder(deps, { orderId: order.id })) === 'CANCELLED') cancelled++;
  if (overdue.length > 0) logger.warn('sweep cancelled overdue orders whose timeout message did not', { found: overdue.length, cancelled });
  return { cancelled };
}
