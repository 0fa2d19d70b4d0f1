// Orders for the benchmarks: a product of their own (through the admin API), orders placed through POST /orders, and
// the product's stock as DynamoDB holds it.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { getItem } from '../../test/support/dynamo';
import { requestJson, type Shopper } from './shoppers';

/** The seed's open store; the benchmark's product is added to it, so that nothing else changes its stock. */
export const BENCH_STORE = 'store-001';

/** Creates (or replaces) a product of `stock` units at 28.00 through PUT /admin/stores/{storeId}/products/{productId}. */
export async function putBenchProduct(apiUrl: string, adminKey: string, productId: string, stock: number): Promise<void> {
  const { status, json } = await requestJson(`${apiUrl}/admin/stores/${BENCH_STORE}/products/${productId}`, {
    method: 'PUT',
    headers: { 'x-admin-key': adminKey },
    body: { name: '基准拿铁', priceFen: 2800, stock },
  });
  if (status !== 200) throw new Error(`PUT product answered ${status}: ${JSON.stringify(json)}`);
}

/** The product's stock in DynamoDB (the truth, not the cached list). */
export async function stockOf(productId: string): Promise<number> {
  const item = await getItem('products', { storeId: BENCH_STORE, productId });
  if (typeof item?.stock !== 'number') throw new Error(`product ${productId} has no stock`);
  return item.stock;
}

export type PlacedOrder = { id: string; payDeadline: string; discountFen: number; payableFen: number; start: number; end: number };

/** POST /orders for one unit of `productId`, with its own requestId; fails unless the order was created (201). */
export async function placeOrder(apiUrl: string, shopper: Shopper, productId: string, couponId?: string): Promise<PlacedOrder> {
  const body = { requestId: randomUUID(), storeId: BENCH_STORE, items: [{ productId, quantity: 1 }], ...(couponId ? { couponId } : {}) };
  const start = performance.now();
  const { status, json } = await requestJson(`${apiUrl}/orders`, { method: 'POST', headers: { authorization: `Bearer ${shopper.token}` }, body });
  const end = performance.now();
  if (status !== 201) throw new Error(`POST /orders answered ${status}: ${JSON.stringify(json)}`);
  if (couponId && !(json.discountFen > 0)) throw new Error(`order ${json.id} took coupon ${couponId} but no discount`);
  return { id: json.id as string, payDeadline: json.payDeadline as string, discountFen: json.discountFen as number, payableFen: json.payableFen as number, start, end };
}
