import { randomUUID } from 'node:crypto';
import { bodyOf } from '../../client/api-client';
import { startApi, type ApiResponse } from '../support/api';
import { documentedClient } from '../support/api-client';
import { getItem, queryByPartition, scanWhere } from '../support/dynamo';
import { giveCoupon, newRequestId, newShopper, newStore } from '../support/shop';
import { captureNotification, paySignIsValid, sandbox, waitFor, type CapturedNotification } from '../support/wechat-pay';
import { templateOf } from '../support/notices';
import { LOCAL_ADMIN_API_KEY } from '../../local/services/backing';
import type { BatchEvent } from '../../shared/lambda/mq-consumer';
import { fakeContext } from '../../shared/testing/lambda';

// Payment through the WeChat Pay stand-in and the real webhook: prepay, the signed and encrypted notification, one
// transition however often it comes, forged notifications refused before anything is written, and the payment that
// lands after a cancellation refunded once. Calls go through the mini-program's typed client (which refuses any
// answer the API document does not describe), except the webhook's, whose exact bytes carry WeChat Pay's signature.
let api: Awaited<ReturnType<typeof startApi>>;
let shop: ReturnType<typeof documentedClient>;

beforeAll(async () => {
  api = await startApi();
  shop = documentedClient(api.gateway.url);
});
afterAll(() => api.close());

async function placeOrder(options: { coupon?: boolean; priceFen?: number } = {}) {
  const { storeId } = await newStore({ latte: { priceFen: options.priceFen ?? 2800, stock: 10 } });
  const shopper = await newShopper(api.call);
  const couponId = options.coupon ? await giveCoupon(shopper.userId) : undefined;
  const order = bodyOf(await shop.post('/orders', { token: shopper.token, body: { requestId: newRequestId(), storeId, couponId, items: [{ productId: 'latte', quantity: 1 }] } }), 201);
  return { order, storeId, couponId, ...shopper };
}

const pay = (orderId: string, token: string) => shop.post('/orders/{orderId}/pay', { token, path: { orderId } });
const cancel = (orderId: string, token: string) => shop.post('/orders/{orderId}/cancel', { token, path: { orderId } });
const readOrder = (orderId: string, token: string) => shop.get('/orders/{orderId}', { token, path: { orderId } });
const confirm = (orderId: string, adminKey?: string) => shop.post('/admin/orders/{orderId}/confirm', { path: { orderId }, adminKey });

const deliver = (notification: CapturedNotification, change: { headers?: Record<string, string>; body?: string } = {}): Promise<ApiResponse> =>
  api.call('POST', '/wxpay/notify', { body: change.body ?? notification.body, headers: { ...notification.headers, ...change.headers } });
const orderRow = (orderId: string) => getItem('orders', { orderId });
const paymentsOf = (orderId: string) => scanWhere('payments', (item) => item.orderId === orderId);
const statusEvents = (orderId: string, status: string) => scanWhere('outbox', (item) => item.name === 'OrderStatusChanged' && item.body?.orderId === orderId && item.body?.status === status);
const outboxEventIds = async (orderId: string) => (await scanWhere('outbox', (item) => item.body?.orderId === orderId)).map((item) => item.eventId as string).sort();
const anomaliesOf = (orderId: string) => scanWhere('paymentAnomalies', (a) => a.outTradeNo === orderId);

/** The order's OrderStatusChanged events, as written to the outbox, as one ordered consumer batch (the MQ's delivery). */
async function statusBatchOf(orderId: string): Promise<BatchEvent> {
  const events = (await scanWhere('outbox', (item) => item.name === 'OrderStatusChanged' && item.body?.orderId === orderId)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return { messages: events.map((e) => ({ messageId: e.eventId, tag: e.name, key: `${orderId}.${e.body.status}`, shardingKey: orderId, body: e.body })) };
}

describe('POST /orders/{orderId}/pay', () => {
  it('answers signed wx.requestPayment parameters, reusing the prepay while it is valid', async () => {
    const { order, token } = await placeOrder();
    const first = bodyOf(await pay(order.id, token), 200);
    const second = bodyOf(await pay(order.id, token), 200);

    expect(first).toMatchObject({ signType: 'RSA', package: expect.stringMatching(/^prepay_id=/) });
    expect(second.package).toBe(first.package);
    const { merchantPublicKeyPem } = await sandbox().config();
    expect(paySignIsValid(first, merchantPublicKeyPem)).toBe(true);
    expect(paySignIsValid({ ...first, package: 'prepay_id=forged' }, merchantPublicKeyPem)).toBe(false);
    const trade = await sandbox().trade(order.id);
    expect(trade).toMatchObject({ tradeState: 'NOTPAY', amountFen: order.payableFen });
    // time_expire is the order's own deadline (to the second, as WeChat Pay takes it).
    expect(new Date(trade.timeExpire).getTime()).toBe(Math.floor(new Date(order.payDeadline).getTime() / 1000) * 1000);
    expect((await orderRow(order.id))?.prepay?.prepayId).toBe(first.package.replace('prepay_id=', ''));
  });

  it('refuses an order that is not WAIT_PAY with 409 ORDER_NOT_PAYABLE, and another user\'s with 404', async () => {
    const { order, token } = await placeOrder();
    expect((await cancel(order.id, token)).status).toBe(200);
    expect(await pay(order.id, token)).toMatchObject({ status: 409, body: { code: 'ORDER_NOT_PAYABLE' } });
    const other = await placeOrder();
    expect(await pay(other.order.id, token)).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_FOUND' } });
  });
});

describe('the payment webhook', () => {
  it('pays the order through the stand-in: PAID, the coupon USED, one payment, one PAID event', async () => {
    const { order, token, userId, couponId } = await placeOrder({ coupon: true });
    await pay(order.id, token);

    expect((await sandbox().pay(order.id)).tradeState).toBe('SUCCESS');

    const paid = await waitFor(() => orderRow(order.id), (row) => row?.status === 'PAID');
    expect(paid).toMatchObject({ status: 'PAID', paidAt: expect.any(String), transactionId: expect.any(String) });
    expect(await getItem('userCoupons', { userId, couponId })).toMatchObject({ status: 'USED', orderId: order.id });
    expect(await paymentsOf(order.id)).toEqual([expect.objectContaining({ transactionId: paid?.transactionId, amountFen: order.payableFen, via: 'NOTIFICATION' })]);
    expect(await statusEvents(order.id, 'PAID')).toHaveLength(1);
    expect(bodyOf(await readOrder(order.id, token), 200)).toMatchObject({ status: 'PAID', paidAt: paid?.paidAt });
    expect(await pay(order.id, token)).toMatchObject({ status: 409, body: { code: 'ORDER_NOT_PAYABLE' } });
  });

  it('makes one transition, one payment record, one event and one PAID notice from the same notification delivered 20 times at once, and again after Redis forgot', async () => {
    const { order, openid, userId, couponId } = await placeOrder({ coupon: true });
    // The shopper accepted more messages than could ever be sent, so a second PAID notice would not be refused.
    await sandbox().subscribe(openid, '*', 50);
    const notification = await captureNotification(order, openid);

    const answers = await Promise.all(Array.from({ length: 20 }, () => deliver(notification)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(204));
    const paid = await orderRow(order.id);
    expect(paid).toMatchObject({ status: 'PAID', history: [expect.objectContaining({ status: 'WAIT_PAY' }), expect.objectContaining({ status: 'PAID' })] });

    const { redis } = await import('../../shared/adapters/redis/client');
    await redis.del(`wx-shop:paid:${order.id}`);
    expect((await deliver(notification)).status).toBe(204);

    expect(await orderRow(order.id)).toEqual(paid);
    expect(await paymentsOf(order.id)).toHaveLength(1);
    expect(await statusEvents(order.id, 'PAID')).toHaveLength(1);
    expect(await getItem('userCoupons', { userId, couponId })).toMatchObject({ status: 'USED' });

    // The order notice consumer gets the order's events (delivered twice, as the MQ may), and the shopper exactly
    // one PAID subscribe message.
    const { handler: noticeConsumer } = await import('../../functions/order-notice-consumer/handler');
    const batch = await statusBatchOf(order.id);
    expect(batch.messages.map((m) => (m.body as { status: string }).status)).toEqual(['WAIT_PAY', 'PAID']);
    for (let i = 0; i < 2; i++) expect(await noticeConsumer(batch, fakeContext())).toEqual({ batchItemFailures: [] });
    const paidNotices = (await sandbox().messages(openid)).items.filter((m: { templateId: string }) => m.templateId === templateOf('PAID'));
    expect(paidNotices).toEqual([expect.objectContaining({ page: `pages/order/detail?id=${order.id}`, data: expect.objectContaining({ character_string1: { value: order.id } }) })]);
  });

  describe('refuses forged or malformed notifications with a 4xx and writes nothing', () => {
    let notification: CapturedNotification;
    let order: { id: string; payableFen: number; payDeadline: string };
    /** The order's outbox events once placed (WAIT_PAY and its pay timeout): a refused notification adds none. */
    let placedEvents: string[];

    beforeAll(async () => {
      const placed = await placeOrder();
      order = placed.order;
      notification = await captureNotification(order, placed.openid);
      placedEvents = await outboxEventIds(order.id);
    });

    const flip = (base64: string) => {
      const bytes = Buffer.from(base64, 'base64');
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
      return bytes.toString('base64');
    };
    const now = () => Math.floor(Date.now() / 1000);

    it.each([
      ['a bad signature', () => ({ headers: { 'wechatpay-signature': flip(notification.headers['wechatpay-signature'] as string) } }), 401],
      ['an unknown serial', () => ({ headers: { 'wechatpay-serial': 'PUB_KEY_ID_0000000000000000000000000000' } }), 401],
      ['a stale timestamp', () => ({ headers: { 'wechatpay-timestamp': String(now() - 600) } }), 401],
      ['a future timestamp', () => ({ headers: { 'wechatpay-timestamp': String(now() + 600) } }), 401],
      ['a tampered body', () => ({ body: notification.body.replace(/"ciphertext":"([^"]+)"/, (_m, c: string) => `"ciphertext":"${flip(c)}"`) }), 401],
      ['a body that is not JSON', () => ({ body: 'not json' }), 401],
      ['an empty body', () => ({ body: '' }), 400],
      ['no signature headers', () => ({ headers: { 'wechatpay-signature': '' } }), 401],
    ])('%s', async (_what, change, status) => {
      const answer = await deliver(notification, change());
      expect(answer).toMatchObject({ status, body: { code: 'FAIL' } });
      expect(await orderRow(order.id)).toMatchObject({ status: 'WAIT_PAY' });
      expect(await paymentsOf(order.id)).toEqual([]);
      expect(await anomaliesOf(order.id)).toEqual([]);
      expect(placedEvents).toHaveLength(2);
      expect(await outboxEventIds(order.id)).toEqual(placedEvents);
    });
  });

  it('refuses a notification whose GCM tag or ciphertext was tampered under a valid signature (stand-in fault)', async () => {
    for (const fault of ['TAMPERED_CIPHERTEXT', 'TAMPERED_TAG'] as const) {
      const { order, token } = await placeOrder();
      await pay(order.id, token);
      await sandbox().armNotificationFaults([fault], { outTradeNo: order.id });
      await sandbox().pay(order.id);
      const record = await waitFor(async () => (await sandbox().notifications({ outTradeNo: order.id })).items[0], (r) => (r?.attempts?.length ?? 0) >= 1);
      expect(record.attempts[0]).toMatchObject({ status: 401, fault });
      expect(await orderRow(order.id)).toMatchObject({ status: 'WAIT_PAY' });
      expect(await paymentsOf(order.id)).toEqual([]);
    }
  });

  it('leaves the order unpaid and records an anomaly for an authentic notification with the wrong amount', async () => {
    const { order, token } = await placeOrder();
    await pay(order.id, token);
    await sandbox().pay(order.id, { amountFen: order.payableFen + 1 });
    const record = await waitFor(async () => (await sandbox().notifications({ outTradeNo: order.id })).items[0], (r) => (r?.attempts?.length ?? 0) >= 1);
    expect(record.attempts[0]).toMatchObject({ status: 400 });
    expect(await orderRow(order.id)).toMatchObject({ status: 'WAIT_PAY' });
    expect(await paymentsOf(order.id)).toEqual([]);
    expect(await scanWhere('paymentAnomalies', (a) => a.outTradeNo === order.id)).toEqual([
      expect.objectContaining({ kind: 'AMOUNT_MISMATCH', expected: `${order.payableFen} fen`, received: `${order.payableFen + 1} fen` }),
    ]);
  });

  it('leaves the order unpaid and records an anomaly for an authentic notification paid by another openid (PAYER_MISMATCH)', async () => {
    const { order } = await placeOrder();
    // WeChat Pay's own signed notification for our order number, paid by a WeChat user who did not place the order:
    // the trade is opened at the stand-in for that other payer, as the notification then names them.
    const stranger = (await sandbox().loginCode({ user: `stranger-${randomUUID()}` })).openid;
    const placedEvents = await outboxEventIds(order.id);
    const notification = await captureNotification(order, stranger);

    expect(await deliver(notification)).toMatchObject({ status: 400, body: { code: 'FAIL' } });

    expect(await orderRow(order.id)).toMatchObject({ status: 'WAIT_PAY' });
    expect(await paymentsOf(order.id)).toEqual([]);
    expect(await anomaliesOf(order.id)).toEqual([
      expect.objectContaining({ kind: 'PAYER_MISMATCH', expected: 'the openid that placed the order', received: 'another openid', transactionId: expect.any(String) }),
    ]);
    expect(await outboxEventIds(order.id)).toEqual(placedEvents);
  });

  it('answers 404 for an authentic notification of an order we do not have, and writes nothing', async () => {
    const payerOpenid = (await sandbox().loginCode({ user: `unknown-order-${randomUUID()}` })).openid;
    const ghost = { id: `o${randomUUID().replace(/-/g, '').slice(0, 31)}`, payableFen: 100, payDeadline: new Date(Date.now() + 600_000).toISOString() };
    const notification = await captureNotification(ghost, payerOpenid);
    expect(await deliver(notification)).toMatchObject({ status: 404, body: { code: 'FAIL' } });
    expect(await paymentsOf(ghost.id)).toEqual([]);
    expect(await orderRow(ghost.id)).toBeUndefined();
  });
});

describe('a payment that lands after the order was cancelled', () => {
  it('is kept and refunded once, automatically; the order stays CANCELLED and lists the refund', async () => {
    const { order, token } = await placeOrder();
    await pay(order.id, token);
    expect(bodyOf(await cancel(order.id, token), 200).status).toBe('CANCELLED');
    expect((await sandbox().trade(order.id)).tradeState).toBe('CLOSED');

    // The shopper's payment raced our close and won at WeChat Pay.
    expect((await sandbox().pay(order.id, { force: true })).tradeState).toBe('SUCCESS');

    const refunded = await waitFor(() => orderRow(order.id), (row) => row?.refunds?.[0]?.status === 'SUCCESS');
    expect(refunded).toMatchObject({ status: 'CANCELLED', refunds: [{ outRefundNo: `${order.id}-PAC`, amountFen: order.payableFen, reason: 'PAID_AFTER_CANCEL', status: 'SUCCESS' }] });
    expect(refunded?.history.map((h: { status: string }) => h.status)).toEqual(['WAIT_PAY', 'CANCELLED']);
    const trade = await sandbox().trade(order.id);
    expect(trade.refunds).toEqual([expect.objectContaining({ outRefundNo: `${order.id}-PAC`, amountFen: order.payableFen, status: 'SUCCESS' })]);
    expect(await paymentsOf(order.id)).toHaveLength(1);
    expect(await statusEvents(order.id, 'REFUNDED')).toHaveLength(1);
    expect(bodyOf(await readOrder(order.id, token), 200).refunds).toEqual([
      { outRefundNo: `${order.id}-PAC`, amountFen: order.payableFen, reason: 'PAID_AFTER_CANCEL', status: 'SUCCESS' },
    ]);
  });

  it('is applied as paid when the cancellation finds it at WeChat Pay before the notification came', async () => {
    const { order, token, storeId } = await placeOrder();
    await pay(order.id, token);
    // The notification's first attempt fails verification, so only the cancellation's query can see the payment.
    await sandbox().armNotificationFaults(['BAD_SIGNATURE'], { outTradeNo: order.id });
    await sandbox().pay(order.id);
    await waitFor(async () => (await sandbox().notifications({ outTradeNo: order.id })).items[0], (r) => (r?.attempts?.length ?? 0) >= 1);

    const { handler } = await import('../../functions/order-timeout-consumer/handler');
    expect(await handler({ messages: [{ tag: 'OrderPayTimeout', body: { orderId: order.id, userId: 'u_x', payDeadline: order.payDeadline } }] }, {} as never)).toEqual({ batchItemFailures: [] });

    expect(await orderRow(order.id)).toMatchObject({ status: 'PAID' });
    expect(await paymentsOf(order.id)).toEqual([expect.objectContaining({ via: 'QUERY' })]);
    expect((await getItem('products', { storeId, productId: 'latte' }))?.stock).toBe(9);
    expect((await sandbox().trade(order.id)).refunds).toEqual([]);
  });
});

describe('POST /admin/orders/{orderId}/confirm', () => {
  it('confirms a paid order once, with its event; refuses an unpaid one and a caller without the key', async () => {
    const { order, token } = await placeOrder();
    expect(await confirm(order.id, LOCAL_ADMIN_API_KEY)).toMatchObject({ status: 409, body: { code: 'ORDER_NOT_CONFIRMABLE' } });
    await pay(order.id, token);
    await sandbox().pay(order.id);
    await waitFor(() => orderRow(order.id), (row) => row?.status === 'PAID');

    expect(await confirm(order.id)).toMatchObject({ status: 401 });
    expect(await confirm(order.id, LOCAL_ADMIN_API_KEY)).toMatchObject({ status: 200, body: { status: 'CONFIRMED' } });
    expect(await confirm(order.id, LOCAL_ADMIN_API_KEY)).toMatchObject({ status: 409, body: { code: 'ORDER_NOT_CONFIRMABLE' } });
    expect(await statusEvents(order.id, 'CONFIRMED')).toHaveLength(1);
    expect(await queryByPartition('orders', 'orderId', order.id)).toEqual([expect.objectContaining({ status: 'CONFIRMED', confirmedAt: expect.any(String) })]);
  });
});
