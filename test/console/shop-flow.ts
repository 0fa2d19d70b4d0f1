import type { startApi } from '../support/api';
import { getItem } from '../support/dynamo';
import { newRequestId, newShopper, newStore } from '../support/shop';
import { sandbox, waitFor } from '../support/wechat-pay';

type Api = Awaited<ReturnType<typeof startApi>>;

/** An order of a new shopper in a store of the test's own, placed through the API (WAIT_PAY, prepaid). */
export async function placeOrder(api: Api, priceFen = 2800) {
  const { storeId } = await newStore({ latte: { priceFen, stock: 10 } });
  const shopper = await newShopper(api.call);
  const order = (await api.call('POST', '/orders', { token: shopper.token, body: { requestId: newRequestId(), storeId, items: [{ productId: 'latte', quantity: 1 }] } })).body;
  await api.call('POST', `/orders/${order.id}/pay`, { token: shopper.token });
  return { order: order as { id: string; payableFen: number; createdAt: string }, storeId };
}

/** A PAID order: placed, then paid through the WeChat Pay stand-in and the real webhook. */
export async function paidOrder(api: Api) {
  const placed = await placeOrder(api);
  await sandbox().pay(placed.order.id);
  await waitFor(() => getItem('orders', { orderId: placed.order.id }), (row) => row?.status === 'PAID');
  return placed;
}

/** The China calendar date (the filter's date inputs) of an instant. */
export const chinaDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
