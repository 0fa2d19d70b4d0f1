import type { Cart } from '../domain/ordering/cart';
import type { Order } from '../domain/ordering/order';
import type { OutboxEvent } from './outbox';
import type { Page } from './paging';

export type StockTake = { productId: string; quantity: number };

/** Everything one new order writes, in one transaction. */
export type NewOrder = {
  order: Order;
  /** Stock taken per product: refused when any product has less than asked for. */
  stock: StockTake[];
  /** The coupon to lock for this order (UNUSED -> LOCKED): refused when it is not the user's, not UNUSED or expired. */
  couponId?: string;
  /** Empties the cart the order was priced from, refused when the cart changed since (its `updatedAt`). */
  cartUpdatedAt?: string;
  /** The order's outbox events (OrderPayTimeout, OrderStatusChanged). */
  events: OutboxEvent[];
};


export interface OrderRepository {
  /**
   * Writes the order, takes its stock, locks its coupon, empties the cart and stores its events, all or nothing.
   * `EXISTS` when an order with this id was written before (a retried request): nothing is written then.
   * Throws OutOfStockError, CouponNotUsableError or CartChangedError, having written nothing.
   */
  create(newOrder: NewOrder): Promise<'CREATED' | 'EXISTS'>;
  get(orderId: string): Promise<Order | undefined>;
  /** A user's orders, newest first. `cursor` is the opaque `nextCursor` of the previous page. */
  listForUser(userId: string, page: { limit: number; cursor?: string }): Promise<Page<Order>>;
  /**
   * WAIT_PAY -> CANCELLED, giving back the order's stock and coupon (LOCKED -> UNUSED) and storing its events, in one
   * transaction. False when the order was no longer WAIT_PAY: nothing is written then.
   */
  cancel(order: Order, at: Date, events: OutboxEvent[]): Promise<boolean>;
  /**
   * A plain move (PAID -> CONFIRMED, CONFIRMED -> FINISHED): the status, its timestamp and the history, with the
   * events, conditional on the move's allowed sources. False when the order was not in one of them.
   */
  advance(order: Order, to: 'CONFIRMED' | 'FINISHED', at: Date, events: OutboxEvent[]): Promise<boolean>;
  /** Orders still WAIT_PAY whose pay deadline is before `before`, oldest deadline first (an index, never a scan). */
  overdueUnpaid(before: Date, limit: number): Promise<Order[]>;
}

export interface CartRepository {
  get(userId: string): Promise<Cart | undefined>;
  put(cart: Cart): Promise<void>;
}

/** Drops cached copies of a store's products after their stock changed, so that readers see it within the bound. */
export interface StockCacheInvalidator {
  invalidateProducts(storeId: string): Promise<void>;
}
