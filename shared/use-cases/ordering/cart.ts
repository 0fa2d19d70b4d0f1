import { StoreNotFoundError } from '../../domain/errors';
import { cartView, type CartView } from '../../domain/ordering/cart';
import { ProductNotFoundError } from '../../domain/ordering/errors';
import type { RequestedLine } from '../../domain/ordering/pricing';
import type { Clock } from '../../ports/clock';
import type { CartRepository } from '../../ports/ordering';
import type { StoreCatalog } from '../../ports/store-repository';
import { productsById } from './products';

export type CartDeps = { carts: CartRepository; catalog: Pick<StoreCatalog, 'getStore' | 'listProducts'>; clock: Clock };

/**
 * The caller's cart, priced with the store's current products (the catalog cache, so a price edit shows within its
 * staleness bound; an order reads prices from DynamoDB itself).
 */
export async function getCart(deps: CartDeps, input: { userId: string }): Promise<CartView> {
  const cart = await deps.carts.get(input.userId);
  if (!cart) return cartView(undefined, new Map());
  return cartView(cart, productsById(await deps.catalog.listProducts(cart.storeId)));
}

/**
 * Replaces the caller's cart with these lines of one store.
 *
 * Primary course:
 *  1. Read the store and its products.
 *  2. Refuse an unknown store, and any product this store does not sell (another store's included).
 *  3. Store the lines, and answer the cart priced.
 */
export async function putCart(deps: CartDeps, input: { userId: string; storeId: string; items: RequestedLine[] }): Promise<CartView> {
  const [store, products] = await Promise.all([deps.catalog.getStore(input.storeId), deps.catalog.listProducts(input.storeId)]);
  if (!store) throw new StoreNotFoundError(input.storeId);
  const byId = productsById(products);
  const unknown = input.items.find((line) => !byId.has(line.productId));
  if (unknown) throw new ProductNotFoundError(unknown.productId);
  const cart = { userId: input.userId, storeId: input.storeId, items: input.items, updatedAt: deps.clock.now().toISOString() };
  await deps.carts.put(cart);
  return cartView(cart, byId);
}
