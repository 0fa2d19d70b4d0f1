// Orders in the states the payment and refund benchmarks start from, brought there through the API of the timed
// gateway (never through the counting proxies): unpaid, prepaid (POST /orders/{id}/pay), paid (a genuine payment
// notification delivered to POST /wxpay/notify) and refunding (POST /orders/{id}/refund).
import { shopperOf, type FlowContext } from './flow-bench';
import { captureNotifications, deliverNotification } from './notifications';
import { placeOrder, type PlacedOrder } from './orders';
import { inBatches, requestJson, type Shopper } from './shoppers';

export type ShopperOrder = { order: PlacedOrder; shopper: Shopper };

const indices = (count: number) => Array.from({ length: count }, (_, i) => i);

/** `count` WAIT_PAY orders of one unit of the benchmark's product, the shoppers taking turns. */
export const unpaidOrders = (ctx: FlowContext, count: number): Promise<ShopperOrder[]> =>
  inBatches(indices(count), ctx.shoppers.length, async (i) => ({ order: await placeOrder(ctx.api, shopperOf(ctx, i), ctx.product), shopper: shopperOf(ctx, i) }));

/** POST /orders/{id}/pay as its shopper: the wx.requestPayment parameters; fails unless 200. */
export async function payOrder(api: string, { order, shopper }: ShopperOrder): Promise<{ package: string }> {
  const { status, json } = await requestJson(`${api}/orders/${order.id}/pay`, { method: 'POST', headers: { authorization: `Bearer ${shopper.token}` } });
  if (status !== 200 || !String(json?.package).startsWith('prepay_id=')) throw new Error(`POST /orders/${order.id}/pay answered ${status}: ${JSON.stringify(json)}`);
  return json as { package: string };
}

/** Unpaid orders whose WeChat Pay trade is open: each asked to pay once, its prepay_id kept on the order. */
export async function prepaidOrders(ctx: FlowContext, count: number): Promise<ShopperOrder[]> {
  const orders = await unpaidOrders(ctx, count);
  await inBatches(orders, ctx.shoppers.length, (order) => payOrder(ctx.api, order));
  return orders;
}

/** PAID orders: each trade opened and paid on the stand-in, its notification delivered to the webhook. */
export async function paidOrders(ctx: FlowContext, count: number): Promise<ShopperOrder[]> {
  const orders = await unpaidOrders(ctx, count);
  const payer = new Map(orders.map(({ order, shopper }) => [order.id, shopper.openid]));
  const notifications = await captureNotifications(
    orders.map((o) => o.order),
    (order) => payer.get(order.id) as string,
  );
  await inBatches(notifications, ctx.shoppers.length, (notification) => deliverNotification(`${ctx.api}/wxpay/notify`, notification));
  return orders;
}

/** POST /orders/{id}/refund as its shopper; fails unless 202 REFUNDING. */
export async function requestRefund(api: string, { order, shopper }: ShopperOrder): Promise<void> {
  const { status, json } = await requestJson(`${api}/orders/${order.id}/refund`, { method: 'POST', headers: { authorization: `Bearer ${shopper.token}` }, body: {} });
  if (status !== 202 || json?.status !== 'REFUNDING') throw new Error(`POST /orders/${order.id}/refund answered ${status}: ${JSON.stringify(json)}`);
}

/** REFUNDING orders: paid, then their shopper asked for the refund (the refund REQUESTED, OrderRefunded committed). */
export async function refundingOrders(ctx: FlowContext, count: number): Promise<ShopperOrder[]> {
  const orders = await paidOrders(ctx, count);
  await inBatches(orders, ctx.shoppers.length, (order) => requestRefund(ctx.api, order));
  return orders;
}
