import { orderView, type Order, type OrderView } from '../../domain/ordering/order';
import type { OrderFilter, OrderSearch, PageRequest } from '../../ports/admin';

/** An order as operators see it: the shopper's view and whose order it is. */
export type AdminOrderView = OrderView & { userId: string };

/** A page of an admin list: `nextCursor` is null on the last page. */
export type AdminPage<T> = { items: T[]; nextCursor: string | null };

export const adminOrderView = (order: Order): AdminOrderView => ({ ...orderView(order), userId: order.userId });

/**
 * Orders of every shopper for the operators' console, newest first, a page at a time.
 *
 * Primary course:
 *  1. Read a page of the orders matching the filter (status, store, creation time) from the indexes.
 *  2. Show each with its shopper's id.
 */
export async function searchOrders(deps: { orders: OrderSearch }, input: OrderFilter & PageRequest): Promise<AdminPage<AdminOrderView>> {
  const { limit, cursor, ...filter } = input;
  const page = await deps.orders.search(filter, { limit, cursor });
  return { items: page.items.map(adminOrderView), nextCursor: page.nextCursor ?? null };
}
