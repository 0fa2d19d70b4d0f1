import { OrderNotFoundError } from '../../domain/ordering/errors';
import { orderView, type Order, type OrderView } from '../../domain/ordering/order';
import type { OrderRepository } from '../../ports/ordering';
import type { Page } from '../../ports/paging';

export type ViewOrdersDeps = { orders: Pick<OrderRepository, 'get' | 'listForUser'> };

/** The caller's order. Another user's order is not found, exactly as a missing one (nothing tells them apart). */
export async function ownOrder(deps: { orders: Pick<OrderRepository, 'get'> }, input: { userId: string; orderId: string }): Promise<Order> {
  const order = await deps.orders.get(input.orderId);
  if (!order || order.userId !== input.userId) throw new OrderNotFoundError(input.orderId);
  return order;
}

export async function getOrder(deps: ViewOrdersDeps, input: { userId: string; orderId: string }): Promise<OrderView> {
  return orderView(await ownOrder(deps, input));
}

/** The caller's orders, newest first, a page at a time. */
export async function listOrders(deps: ViewOrdersDeps, input: { userId: string; limit: number; cursor?: string }): Promise<Page<OrderView>> {
  const page = await deps.orders.listForUser(input.userId, { limit: input.limit, cursor: input.cursor });
  return { items: page.items.map(orderView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}
