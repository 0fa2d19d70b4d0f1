import type { PricedProduct, RequestedLine } from './pricing';

/** At most this many distinct products in a cart or an order, and this many of one product. */
export const MAX_LINES = 20;
export const MAX_QUANTITY = 99;

/** A shopper's cart: one store at a time; prices are never stored, they are read when the cart is shown or ordered. */
export type Cart = { userId: string; storeId: string; items: RequestedLine[]; updatedAt: string };

export type CartView = {
  storeId: string | null;
  items: Array<{ productId: string; name: string; quantity: number; priceFen: number; subtotalFen: number }>;
  totalFen: number;
};

/** The cart priced with the store's current products; a product the store no longer sells is left out. */
export function cartView(cart: Cart | undefined, products: ReadonlyMap<string, PricedProduct>): CartView {
  if (!cart) return { storeId: null, items: [], totalFen: 0 };
  const items = cart.items.flatMap(({ productId, quantity }) => {
    const product = products.get(productId);
    return product ? [{ productId, name: product.name, quantity, priceFen: product.priceFen, subtotalFen: product.priceFen * quantity }] : [];
  });
  return { storeId: cart.storeId, items, totalFen: items.reduce((sum, item) => sum + item.subtotalFen, 0) };
}
