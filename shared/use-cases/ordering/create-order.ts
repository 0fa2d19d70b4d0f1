import { StoreNotFoundError } from '../../domain/errors';
import { EmptyOrderError, RequestIdReusedError, StoreClosedError } from '../../domain/ordering/errors';
import { orderIdFromDigest, orderKey, orderView, type Order, type OrderView } from '../../domain/ordering/order';
import { couponDiscount, priceLines, totalOf, type RequestedLine } from '../../domain/ordering/pricing';
import { logger } from '../../logging/logger';
import type { Clock } from '../../ports/clock';
import type { CouponRepository } from '../../ports/coupons';
import type { IdSource } from '../../ports/ids';
import type { CartRepository, OrderRepository, StockCacheInvalidator } from '../../ports/ordering';
import type { Announce, Dispatch } from '../../ports/outbox';
import type { StoreRepository } from '../../ports/store-repository';
import { productsById } from './products';
import { statusChanged } from './status-events';

export type CreateOrderDeps = {
  orders: Pick<OrderRepository, 'create' | 'get'>;
  carts: Pick<CartRepository, 'get'>;
  /** The source of truth (DynamoDB), not the cache: an order is priced from what the store sells now. */
  products: Pick<StoreRepository, 'getStore' | 'findProducts' | 'listProducts'>;
  coupons: Pick<CouponRepository, 'find'>;
  stockCache: StockCacheInvalidator;
  announce: Announce;
  dispatch: Dispatch;
  clock: Clock;
  ids: Pick<IdSource, 'digest'>;
  payTimeoutSeconds: number;
};

export type CreateOrderInput = {
  userId: string;
  openid: string;
  requestId: string;
  storeId: string;
  /** Absent: the cart's lines, and the cart is emptied with the order. */
  items?: RequestedLine[];
  couponId?: string;
};

/** What the request asked for, in a canonical form: the same requestId with another request is refused. */
function requestDigest(deps: CreateOrderDeps, input: CreateOrderInput): string {
  const items = input.items && [...input.items].sort((a, b) => a.productId.localeCompare(b.productId));
  return deps.ids.digest(JSON.stringify({ storeId: input.storeId, items: items ?? 'cart', couponId: input.couponId ?? null }));
}

/** A retried request (its first answer was lost) gets the order its first attempt wrote. */
async function earlierOrder(deps: CreateOrderDeps, orderId: string, digest: string, requestId: string): Promise<Order | undefined> {
  const existing = await deps.orders.get(orderId);
  if (existing && existing.requestDigest !== digest) throw new RequestIdReusedError(requestId);
  return existing;
}

/**
 * Places an order: prices it from the store's products, applies the coupon, and writes it WAIT_PAY with its stock
 * taken and its coupon locked. Idempotent on (user, requestId).
 *
 * Primary course:
 *  1. Derive the order id from (user, requestId), so a retry maps to the same order.
 *  2. Read the store, its products, the cart (when no items are given) and the coupon, together.
 *  3. Price the lines from the products and apply the coupon (threshold, discount, at least 1 fen to pay).
 *  4. In one transaction: the order, each product's stock (never below zero), the coupon UNUSED -> LOCKED, the cart
 *     emptied, and the OrderPayTimeout (due at the deadline) and OrderStatusChanged events.
 *  5. Publish the events (the outbox relay does it if the MQ is down) and drop the cached product list.
 *
 * Alternative course: the order already exists (a retried request) -> the same order, `created: false`.
 */
export async function createOrder(deps: CreateOrderDeps, input: CreateOrderInput): Promise<{ order: OrderView; created: boolean }> {
  const now = deps.clock.now();
  const orderId = orderIdFromDigest(deps.ids.digest(orderKey(input.userId, input.requestId)));
  const digest = requestDigest(deps, input);

  // Everything is read at once. With items given, only those products; from the cart, which names them only once it
  // is read, the store's whole menu, rather than one more round trip.
  const [store, cart, coupon, products] = await Promise.all([
    deps.products.getStore(input.storeId),
    input.items ? undefined : deps.carts.get(input.userId),
    input.couponId ? deps.coupons.find(input.userId, input.couponId) : undefined,
    input.items ? deps.products.findProducts(input.storeId, input.items.map((line) => line.productId)) : deps.products.listProducts(input.storeId),
  ]);
  if (!store) throw new StoreNotFoundError(input.storeId);
  if (store.status !== 'OPEN') throw new StoreClosedError(input.storeId);
  const fromCart = input.items === undefined;
  const requested = input.items ?? (cart?.storeId === input.storeId ? cart.items : []);
  if (requested.length === 0) {
    // The cart is empty because a first attempt of this very request ordered it.
    const earlier = await earlierOrder(deps, orderId, digest, input.requestId);
    if (earlier) return { order: orderView(earlier), created: false };
    throw new EmptyOrderError();
  }

  const items = priceLines(requested, productsById(products));
  const totalFen = totalOf(items);
  const discountFen = input.couponId ? couponDiscount(totalFen, coupon, input.couponId, now) : 0;
  const payDeadline = new Date(now.getTime() + deps.payTimeoutSeconds * 1000);
  const order: Order = {
    id: orderId,
    userId: input.userId,
    openid: input.openid,
    storeId: input.storeId,
    status: 'WAIT_PAY',
    items,
    totalFen,
    discountFen,
    payableFen: totalFen - discountFen,
    ...(input.couponId ? { couponId: input.couponId } : {}),
    payDeadline: payDeadline.toISOString(),
    createdAt: now.toISOString(),
    refunds: [],
    history: [{ status: 'WAIT_PAY', at: now.toISOString() }],
    requestId: input.requestId,
    requestDigest: digest,
  };
  const events = [
    deps.announce('OrderPayTimeout', { orderId, userId: input.userId, payDeadline: order.payDeadline }, payDeadline),
    statusChanged(deps.announce, order, 'WAIT_PAY', now),
  ];

  const outcome = await deps.orders.create({
    order,
    stock: items.map(({ productId, quantity }) => ({ productId, quantity })),
    couponId: input.couponId,
    cartUpdatedAt: fromCart ? cart?.updatedAt : undefined,
    events,
  });
  if (outcome === 'EXISTS') {
    const earlier = await earlierOrder(deps, orderId, digest, input.requestId);
    if (!earlier) throw new Error(`order ${orderId} exists but cannot be read`);
    return { order: orderView(earlier), created: false };
  }
  await Promise.all([deps.dispatch(events), refreshStock(deps, input.storeId)]);
  logger.info('order created', { orderId, storeId: input.storeId, payableFen: order.payableFen, couponId: input.couponId });
  return { order: orderView(order), created: true };
}

/** Best effort: the stock shown to shoppers follows orders within the cache's bound; a failure only delays that. */
export async function refreshStock(deps: { stockCache: StockCacheInvalidator }, storeId: string): Promise<void> {
  try {
    await deps.stockCache.invalidateProducts(storeId);
  } catch (error) {
    logger.warn('could not drop the cached product list after a stock change', { storeId, errorMessage: (error as Error).message });
  }
}
