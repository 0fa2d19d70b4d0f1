import { startApi } from '../support/api';
import { pollOnce } from '../support/consumers';
import { getItem } from '../support/dynamo';
import { overrideEnv } from '../support/env';
import { templateOf } from '../support/notices';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { newRequestId, newShopper, newStore } from '../support/shop';
import { sandbox, waitFor } from '../support/wechat-pay';
import { LOCAL_ADMIN_API_KEY } from '../../local/services/backing';

// Whole order lives through every function involved (HTTP routes, webhooks, the timeout, refund and notice consumers),
// a private broker and the stand-in, judged by what the shopper receives: one subscribe message per status reached,
// in order.
const PAY_TIMEOUT_SECONDS = 4;
let mq: PrivateMq;
let restoreEnv: () => void;
let api: Awaited<ReturnType<typeof startApi>>;
let consumers: Array<(event: unknown, context: never) => Promise<unknown>>;

beforeAll(async () => {
  restoreEnv = overrideEnv({ ORDER_PAY_TIMEOUT_SECONDS: String(PAY_TIMEOUT_SECONDS), TX_CHECK_BACK_AFTER_SECONDS: '1' });
  mq = await startPrivateMq({ invisibilitySeconds: 1, orderlyInvisibilitySeconds: 1, minTransCheckSeconds: 1, halfCheckIntervalSeconds: 1 });
  api = await startApi();
  consumers = await Promise.all(
    ['order-timeout-consumer', 'order-notice-consumer', 'refund-executor-consumer', 'refund-coupon-consumer'].map(
      async (name) => (await import(`../../functions/${name}/handler`)).handler as (event: unknown, context: never) => Promise<unknown>,
    ),
  );
});
afterAll(async () => {
  await api.close();
  await mq.stop();
  mq.restoreEnv();
  restoreEnv();
});

/** Runs every consumer once, as their schedules would. */
const runConsumers = () => Promise.all(consumers.map((consumer) => pollOnce(consumer as never, 1)));

async function noticesUntil(openid: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { items } = await sandbox().messages(openid);
    if (items.length >= count || Date.now() > deadline) return items.map((m: { templateId: string }) => m.templateId);
    await runConsumers();
  }
}

async function subscribedShopperWithOrder() {
  const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } });
  const shopper = await newShopper(api.call);
  await sandbox().subscribe(shopper.openid, '*', 20);
  const order = (await api.call('POST', '/orders', { token: shopper.token, body: { requestId: newRequestId(), storeId, items: [{ productId: 'latte', quantity: 1 }] } })).body;
  return { order, ...shopper };
}

it('tells a shopper whose order went unpaid exactly: waiting for payment, then cancelled', async () => {
  const { order, openid } = await subscribedShopperWithOrder();
  await waitFor(
    async () => (await runConsumers(), getItem('orders', { orderId: order.id })),
    (row) => row?.status === 'CANCELLED',
    20_000,
  );
  const notices = await noticesUntil(openid, 2);
  await runConsumers();
  expect(notices).toEqual([templateOf('WAIT_PAY'), templateOf('CANCELLED')]);
  expect((await sandbox().messages(openid)).items).toHaveLength(2);
});

it('tells a shopper whose paid order was confirmed and refunded: waiting, paid, confirmed, refunded', async () => {
  const { order, openid, token } = await subscribedShopperWithOrder();
  await api.call('POST', `/orders/${order.id}/pay`, { token });
  await sandbox().pay(order.id);
  await waitFor(() => getItem('orders', { orderId: order.id }), (row) => row?.status === 'PAID');
  await api.call('POST', `/admin/orders/${order.id}/confirm`, { headers: { 'x-admin-key': LOCAL_ADMIN_API_KEY } });
  expect((await api.call('POST', `/orders/${order.id}/refund`, { token })).status).toBe(202);

  await waitFor(async () => (await runConsumers(), getItem('orders', { orderId: order.id })), (row) => row?.status === 'REFUNDED', 20_000);
  const notices = await noticesUntil(openid, 4);
  expect(notices).toEqual([templateOf('WAIT_PAY'), templateOf('PAID'), templateOf('CONFIRMED'), templateOf('REFUNDED')]);
});

it('tells a shopper whose payment came after the cancellation: cancelled, then the money refunded', async () => {
  const { order, openid, token } = await subscribedShopperWithOrder();
  await api.call('POST', `/orders/${order.id}/pay`, { token });
  await api.call('POST', `/orders/${order.id}/cancel`, { token });
  await sandbox().pay(order.id, { force: true });

  await waitFor(() => getItem('orders', { orderId: order.id }), (row) => row?.refunds?.[0]?.status === 'SUCCESS', 20_000);
  const notices = await noticesUntil(openid, 3);
  expect(notices).toEqual([templateOf('WAIT_PAY'), templateOf('CANCELLED'), templateOf('REFUNDED')]);
  expect(await getItem('orders', { orderId: order.id })).toMatchObject({ status: 'CANCELLED', refundedAt: expect.any(String) });
});
