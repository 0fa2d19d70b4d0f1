import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyOf } from '../../client/api-client';
import { startApi } from '../support/api';
import { documentedClient } from '../support/api-client';
import { getItem, scanWhere } from '../support/dynamo';
import { overrideEnv } from '../support/env';
import { newRequestId, newShopper, newStore } from '../support/shop';
import { sandbox, waitFor } from '../support/wechat-pay';
import { refundDeps } from '../../shared/composition/wechat-pay';
import { reconcileRefunds } from '../../shared/use-cases/refunds/reconcile-refunds';

// Refunds whose WeChat Pay notification never lands (our refund-notify endpoint answers 500 here, as it would while
// DynamoDB is down): what settles them is the executor's redelivery, when WeChat Pay answers the repeated request
// with a refund that is already over, and the scheduled reconciler. The real functions, DynamoDB Local, the jest
// run's MQ broker and WeChat Pay stand-in. The shopper's calls go through the typed client, which refuses any answer
// the API document does not describe.
let api: Awaited<ReturnType<typeof startApi>>;
let shop: ReturnType<typeof documentedClient>;
let receiver: Server;
const refusedNotifications: string[] = [];
let restoreEnv: () => void;
let fns: {
  executor: typeof import('../../functions/refund-executor-consumer/handler').handler;
};

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      refusedNotifications.push(body);
      response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  api = await startApi();
  shop = documentedClient(api.gateway.url);
  // Read at the first payment call, after this: payments notify the API, refunds a receiver that always fails.
  restoreEnv = overrideEnv({ WXPAY_REFUND_NOTIFY_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/wxpay/refund-notify` });
  fns = {
    executor: (await import('../../functions/refund-executor-consumer/handler')).handler,
  };
});
afterAll(async () => {
  restoreEnv();
  await api.close();
  await new Promise((resolve) => receiver.close(resolve));
});

const orderRow = (orderId: string) => getItem('orders', { orderId });
const refundedEvents = (orderId: string) => scanWhere('outbox', (e) => e.name === 'OrderStatusChanged' && e.body?.orderId === orderId && e.body?.status === 'REFUNDED');

/** A paid order its shopper asked to refund (202): REFUNDING, its refund REQUESTED, OrderRefunded committed. */
async function refundingOrder() {
  const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } });
  const shopper = await newShopper(api.call);
  const order = bodyOf(await shop.post('/orders', { token: shopper.token, body: { requestId: newRequestId(), storeId, items: [{ productId: 'latte', quantity: 1 }] } }), 201);
  bodyOf(await shop.post('/orders/{orderId}/pay', { token: shopper.token, path: { orderId: order.id } }), 200);
  await sandbox().pay(order.id);
  await waitFor(() => orderRow(order.id), (row) => row?.status === 'PAID');
  const outRefundNo = `${order.id}-RF`;
  const refunding = bodyOf(await shop.post('/orders/{orderId}/refund', { token: shopper.token, path: { orderId: order.id } }), 202);
  expect(refunding).toMatchObject({ id: order.id, status: 'REFUNDING' });
  const message = { tag: 'OrderRefunded', body: { orderId: order.id, userId: shopper.userId, outRefundNo, amountFen: order.payableFen } };
  return { order, outRefundNo, deliver: async () => (await fns.executor({ messages: [message] }, {} as never)) as { batchItemFailures: unknown[] } };
}

const refundNotified = (outRefundNo: string) =>
  waitFor(
    () => sandbox().notifications({ outRefundNo }),
    (found) => found.items.some((n: { attempts: Array<{ status?: number }> }) => n.attempts.some((a) => a.status === 500)),
  );

describe('a refund whose notification never lands', () => {
  it('is settled by the executor\'s redelivery when WeChat Pay answers that it is already over: REFUNDED, once', async () => {
    const { order, outRefundNo, deliver } = await refundingOrder();
    // WeChat Pay takes the refund but its answer is lost; the refund then succeeds and its notification fails.
    await sandbox().armPayFault({ fault: 'TIMEOUT', operation: 'refund.create', outTradeNo: order.id, applied: true });
    await sandbox().armRefundOutcome({ status: 'PROCESSING', outTradeNo: order.id });
    expect((await deliver()).batchItemFailures).toHaveLength(1);
    expect(await orderRow(order.id)).toMatchObject({ status: 'REFUNDING', refunds: [{ status: 'REQUESTED' }] });
    await sandbox().settleRefund(outRefundNo, 'SUCCESS');
    await refundNotified(outRefundNo);
    expect(await orderRow(order.id)).toMatchObject({ status: 'REFUNDING' });

    expect(await deliver()).toEqual({ batchItemFailures: [] });

    const row = await orderRow(order.id);
    expect(row).toMatchObject({ status: 'REFUNDED', refundedAt: expect.any(String), refunds: [{ outRefundNo, status: 'SUCCESS' }] });
    expect(row?.history.map((h: { status: string }) => h.status)).toEqual(['WAIT_PAY', 'PAID', 'REFUNDING', 'REFUNDED']);
    expect(await getItem('refunds', { orderId: order.id, outRefundNo })).toMatchObject({ status: 'SUCCESS', refundId: expect.any(String), completedAt: expect.any(String) });
    expect(await refundedEvents(order.id)).toHaveLength(1);
    // A further redelivery changes nothing and announces nothing again.
    expect(await deliver()).toEqual({ batchItemFailures: [] });
    expect(await refundedEvents(order.id)).toHaveLength(1);
    expect((await sandbox().trade(order.id)).refunds).toHaveLength(1);
  });

  it('is settled by the reconciler: a PROCESSING one queried, a REQUESTED one sent again and found over', async () => {
    // Accepted (PROCESSING recorded), then settled at WeChat Pay with its notification failing.
    const accepted = await refundingOrder();
    await sandbox().armRefundOutcome({ status: 'PROCESSING', outTradeNo: accepted.order.id });
    expect(await accepted.deliver()).toEqual({ batchItemFailures: [] });
    expect(await orderRow(accepted.order.id)).toMatchObject({ refunds: [{ status: 'PROCESSING' }] });
    await sandbox().settleRefund(accepted.outRefundNo, 'SUCCESS');
    // Taken by WeChat Pay with the answer lost, and never redelivered (the message went to the dead letters).
    const lost = await refundingOrder();
    await sandbox().armPayFault({ fault: 'TIMEOUT', operation: 'refund.create', outTradeNo: lost.order.id, applied: true });
    await sandbox().armRefundOutcome({ status: 'PROCESSING', outTradeNo: lost.order.id });
    expect((await lost.deliver()).batchItemFailures).toHaveLength(1);
    await sandbox().settleRefund(lost.outRefundNo, 'SUCCESS');
    await Promise.all([refundNotified(accepted.outRefundNo), refundNotified(lost.outRefundNo)]);

    // The reconciler's run, on the real adapters, over these two (other test files' open refunds are theirs).
    const deps = await refundDeps();
    const mine = new Set([accepted.order.id, lost.order.id]);
    const refunds = { ...deps.refunds, unsettled: async (before: Date) => (await deps.refunds.unsettled(before, 1_000)).filter((r) => mine.has(r.orderId)) };
    expect(await reconcileRefunds({ ...deps, refunds }, { olderThanSeconds: 0 })).toEqual({ checked: 2, settled: 2 });

    for (const { order, outRefundNo } of [accepted, lost]) {
      expect(await orderRow(order.id)).toMatchObject({ status: 'REFUNDED', refunds: [{ outRefundNo, status: 'SUCCESS' }] });
      expect(await getItem('refunds', { orderId: order.id, outRefundNo })).toMatchObject({ status: 'SUCCESS' });
      expect(await refundedEvents(order.id)).toHaveLength(1);
      expect((await sandbox().trade(order.id)).refunds).toHaveLength(1);
    }
    expect(refusedNotifications.length).toBeGreaterThanOrEqual(2);
  });

  it('is sent again after WeChat Pay answers 500 or 429 (retryable: no anomaly), and taken once', async () => {
    const { order, outRefundNo, deliver } = await refundingOrder();
    await sandbox().armRefundOutcome({ status: 'PROCESSING', outTradeNo: order.id });
    await sandbox().armPayFault({ fault: 'SYSTEM_ERROR', operation: 'refund.create', outTradeNo: order.id });
    expect((await deliver()).batchItemFailures).toHaveLength(1);
    await sandbox().armPayFault({ fault: 'FREQUENCY_LIMITED', operation: 'refund.create', outTradeNo: order.id });
    expect((await deliver()).batchItemFailures).toHaveLength(1);
    expect(await orderRow(order.id)).toMatchObject({ status: 'REFUNDING', refunds: [{ outRefundNo, status: 'REQUESTED' }] });
    expect((await sandbox().trade(order.id)).refunds).toEqual([]);

    expect(await deliver()).toEqual({ batchItemFailures: [] });

    expect(await orderRow(order.id)).toMatchObject({ status: 'REFUNDING', refunds: [{ outRefundNo, status: 'PROCESSING' }] });
    expect((await sandbox().trade(order.id)).refunds).toEqual([expect.objectContaining({ outRefundNo })]);
    expect(await scanWhere('paymentAnomalies', (a) => a.outTradeNo === order.id)).toEqual([]);
  });

  it('that WeChat Pay closes is recorded CLOSED from the reconciler\'s query; the order stays REFUNDING and says so', async () => {
    const { order, outRefundNo, deliver } = await refundingOrder();
    await sandbox().armRefundOutcome({ status: 'CLOSED', outTradeNo: order.id });
    expect(await deliver()).toEqual({ batchItemFailures: [] });
    await refundNotified(outRefundNo);

    const deps = await refundDeps();
    const refunds = { ...deps.refunds, unsettled: async (before: Date) => (await deps.refunds.unsettled(before, 1_000)).filter((r) => r.orderId === order.id) };
    expect(await reconcileRefunds({ ...deps, refunds }, { olderThanSeconds: 0 })).toEqual({ checked: 1, settled: 1 });

    expect(await orderRow(order.id)).toMatchObject({ status: 'REFUNDING', refunds: [{ outRefundNo, status: 'CLOSED' }] });
    expect(await getItem('refunds', { orderId: order.id, outRefundNo })).toMatchObject({ status: 'CLOSED' });
    expect(await refundedEvents(order.id)).toHaveLength(0);
    // Settled: the reconciler does not ask again.
    expect(await reconcileRefunds({ ...deps, refunds }, { olderThanSeconds: 0 })).toEqual({ checked: 0, settled: 0 });
  });
});
