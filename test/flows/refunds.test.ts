import { startApi } from '../support/api';
import { pollOnce } from '../support/consumers';
import { getItem, scanWhere } from '../support/dynamo';
import { overrideEnv } from '../support/env';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { giveCoupon, newRequestId, newShopper, newStore } from '../support/shop';
import { sandbox, waitFor } from '../support/wechat-pay';
import { fakeContext } from '../../shared/testing/lambda';
import { LOCAL_ADMIN_API_KEY } from '../../local/services/backing';
import { tableName } from '../../shared/config/tables';
import type { HalfMessage, TxMessagePublisher } from '../../shared/ports/messaging';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';

// Refunds through the transactional OrderRefunded and its check-back, on a private broker (check-backs after 1 s) and
// the jest run's WeChat Pay stand-in: end to end, every fault point the issue names, and finishing with a reward.
let mq: PrivateMq;
let restoreEnv: () => void;
let api: Awaited<ReturnType<typeof startApi>>;
let fns: {
  executor: typeof import('../../functions/refund-executor-consumer/handler').handler;
  coupon: typeof import('../../functions/refund-coupon-consumer/handler').handler;
  reward: typeof import('../../functions/order-reward-consumer/handler').handler;
  checkBack: typeof import('../../functions/order-tx-check-back/handler').handler;
};
const admin = { 'x-admin-key': LOCAL_ADMIN_API_KEY };

beforeAll(async () => {
  restoreEnv = overrideEnv({ TX_CHECK_BACK_AFTER_SECONDS: '1', TX_ROLLBACK_AFTER_SECONDS: '2' });
  mq = await startPrivateMq({ invisibilitySeconds: 1, minTransCheckSeconds: 1, halfCheckIntervalSeconds: 1 });
  api = await startApi();
  fns = {
    executor: (await import('../../functions/refund-executor-consumer/handler')).handler,
    coupon: (await import('../../functions/refund-coupon-consumer/handler')).handler,
    reward: (await import('../../functions/order-reward-consumer/handler')).handler,
    checkBack: (await import('../../functions/order-tx-check-back/handler')).handler,
  };
});
afterAll(async () => {
  await api.close();
  await mq.stop();
  mq.restoreEnv();
  restoreEnv();
});

const orderRow = (orderId: string) => getItem('orders', { orderId });
const refundRows = (orderId: string) => scanWhere('refunds', (r) => r.orderId === orderId);

/** A paid order with a coupon, paid through the stand-in and the webhook. */
async function paidOrder() {
  const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } });
  const shopper = await newShopper(api.call);
  const couponId = await giveCoupon(shopper.userId);
  const order = (await api.call('POST', '/orders', { token: shopper.token, body: { requestId: newRequestId(), storeId, couponId, items: [{ productId: 'latte', quantity: 1 }] } })).body;
  await api.call('POST', `/orders/${order.id}/pay`, { token: shopper.token });
  await sandbox().pay(order.id);
  await waitFor(() => orderRow(order.id), (row) => row?.status === 'PAID');
  return { order, couponId, storeId, ...shopper };
}

/** Runs both OrderRefunded consumers once, as their schedule would. */
async function runRefundConsumers(seconds = 1) {
  await Promise.all([pollOnce(fns.executor, seconds), pollOnce(fns.coupon, seconds)]);
}

const runCheckBack = (seconds: number) => fns.checkBack({}, fakeContext('check-back', 5_000 + seconds * 1000));

/** The use case's real adapters, imported after startPrivateMq (a static import would read the MQ env too early). */
async function realRefundDeps() {
  const { rocketmqTxPublisher } = await import('../../shared/adapters/rocketmq/tx-publisher');
  const { dynamoOrderRepository } = await import('../../shared/adapters/dynamodb/order-repository');
  const { dynamoRefundRepository } = await import('../../shared/adapters/dynamodb/payment-ledger');
  const { announce, dispatchAll } = await import('../../shared/composition/outbox');
  const { systemClock } = await import('../../shared/adapters/system/clock');
  return { orders: dynamoOrderRepository, refunds: dynamoRefundRepository, tx: rocketmqTxPublisher, announce, dispatch: dispatchAll, clock: systemClock, checkBackAfterSeconds: 1 };
}

/** The ids of this order's OrderRefunded messages the two consumer groups are offered (acked here, so no consumer runs them). */
async function offeredOrderRefunded(orderId: string, rounds = 3): Promise<Set<string>> {
  const { rocketmqSource } = await import('../../shared/adapters/rocketmq/source');
  const sources = (['refundExecutor', 'refundCoupon'] as const).map((group) => rocketmqSource({ group, messages: ['OrderRefunded'] }));
  const seen = new Set<string>();
  for (let i = 0; i < rounds; i++) {
    await Promise.all(
      sources.map(async (source) => {
        const batch = await source.receive(16, 1);
        for (const m of batch) if (JSON.parse(m.body).orderId === orderId) seen.add(`${m.messageId}`);
        await source.ack(batch.map((m) => m.receiptHandle));
      }),
    );
  }
  return seen;
}

let docClient: DynamoDBDocumentClient | undefined;
/** Moves a coupon's expiry into the past, as if it had passed while the coupon was USED by `orderId`. */
async function expireUsedCoupon(userId: string, couponId: string, orderId: string) {
  docClient ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  await docClient.send(
    new UpdateCommand({
      TableName: tableName('userCoupons'),
      Key: { userId, couponId },
      UpdateExpression: 'SET expiresAt = :past',
      ConditionExpression: '#status = :used AND orderId = :orderId',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':past': new Date(Date.now() - 1_000).toISOString(), ':used': 'USED', ':orderId': orderId },
    }),
  );
}

/** A second order of the same shopper in the same store, with `couponId`, paid through the stand-in. */
async function paidOrderWith(shopper: { token: string }, storeId: string, couponId: string) {
  const created = await api.call('POST', '/orders', { token: shopper.token, body: { requestId: newRequestId(), storeId, couponId, items: [{ productId: 'latte', quantity: 1 }] } });
  expect(created).toMatchObject({ status: 201, body: { couponId } });
  await api.call('POST', `/orders/${created.body.id}/pay`, { token: shopper.token });
  await sandbox().pay(created.body.id);
  await waitFor(() => orderRow(created.body.id), (row) => row?.status === 'PAID');
  return created.body as { id: string; payableFen: number };
}

describe('a refund', () => {
  it('goes end to end: REFUNDING, the money back at WeChat Pay, REFUNDED, the coupon UNUSED, one REFUNDED event', async () => {
    const { order, token, userId, couponId } = await paidOrder();
    const answer = await api.call('POST', `/orders/${order.id}/refund`, { token, body: { reason: '不想要了' } });
    expect(answer).toMatchObject({ status: 202, body: { status: 'REFUNDING', refunds: [{ outRefundNo: `${order.id}-RF`, amountFen: order.payableFen, status: 'REQUESTED', reason: 'USER_REQUESTED' }] } });

    await runRefundConsumers();
    const refunded = await waitFor(() => orderRow(order.id), (row) => row?.status === 'REFUNDED');

    expect(refunded).toMatchObject({ refundedAt: expect.any(String), refunds: [expect.objectContaining({ status: 'SUCCESS' })] });
    expect(refunded?.history.map((h: { status: string }) => h.status)).toEqual(['WAIT_PAY', 'PAID', 'REFUNDING', 'REFUNDED']);
    expect((await sandbox().trade(order.id)).refunds).toEqual([expect.objectContaining({ outRefundNo: `${order.id}-RF`, amountFen: order.payableFen, status: 'SUCCESS' })]);
    expect(await getItem('userCoupons', { userId, couponId })).toMatchObject({ status: 'UNUSED' });
    expect(await refundRows(order.id)).toEqual([expect.objectContaining({ status: 'SUCCESS', note: '不想要了', refundId: expect.any(String) })]);
    expect(await scanWhere('outbox', (e) => e.body?.orderId === order.id && e.body?.status === 'REFUNDED')).toHaveLength(1);
  });

  it('is refused with 503 MQ_UNAVAILABLE and changes nothing when the MQ is down before the half message', async () => {
    const { order, token } = await paidOrder();
    await mq.stop();
    try {
      expect(await api.call('POST', `/orders/${order.id}/refund`, { token })).toMatchObject({ status: 503, body: { code: 'MQ_UNAVAILABLE' } });
    } finally {
      await mq.restart();
    }
    expect(await orderRow(order.id)).toMatchObject({ status: 'PAID', refunds: [] });
    expect(await refundRows(order.id)).toEqual([]);
  });

  it('is committed by the check-back when the process died after the local transaction, and refunded once', async () => {
    const { order, userId } = await paidOrder();
    const { requestRefund } = await import('../../shared/use-cases/refunds/request-refund');
    const { rocketmqTxPublisher } = await import('../../shared/adapters/rocketmq/tx-publisher');
    const { dynamoOrderRepository } = await import('../../shared/adapters/dynamodb/order-repository');
    const { dynamoRefundRepository } = await import('../../shared/adapters/dynamodb/payment-ledger');
    const { announce, dispatchAll } = await import('../../shared/composition/outbox');
    const { systemClock } = await import('../../shared/adapters/system/clock');
    // The crash: the local transaction commits, then the commit of the half message never happens.
    const crashing: TxMessagePublisher = { ...rocketmqTxPublisher, commit: () => Promise.reject(new Error('process killed')) };
    await requestRefund(
      { orders: dynamoOrderRepository, refunds: dynamoRefundRepository, tx: crashing, announce, dispatch: dispatchAll, clock: systemClock, checkBackAfterSeconds: 1 },
      { orderId: order.id, userId, reason: 'USER_REQUESTED' },
    );
    await runRefundConsumers(1);
    expect((await sandbox().trade(order.id)).refunds).toEqual([]);

    expect((await runCheckBack(3)).committed).toBeGreaterThanOrEqual(1);
    await runRefundConsumers(1);
    await waitFor(() => orderRow(order.id), (row) => row?.status === 'REFUNDED');
    await runRefundConsumers(1);
    expect((await sandbox().trade(order.id)).refunds).toHaveLength(1);
  });

  it('is rolled back when its local transaction is refused (a second refund racing the first): no consumer sees it', async () => {
    const { order, token } = await paidOrder();
    const answers = await Promise.all([1, 2].map(() => api.call('POST', `/orders/${order.id}/refund`, { token })));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    expect(answers.find((a) => a.status === 409)?.body.code).toBe('ORDER_NOT_REFUNDABLE');

    const { rocketmqSource } = await import('../../shared/adapters/rocketmq/source');
    // What the refund executor's group is offered (acked here, so the executor never runs for this order).
    const source = rocketmqSource({ group: 'refundExecutor', messages: ['OrderRefunded'] });
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const batch = await source.receive(16, 1);
      for (const m of batch) if (JSON.parse(m.body).orderId === order.id) seen.add(m.messageId);
      await source.ack(batch.map((m) => m.receiptHandle));
    }
    expect(seen.size).toBe(1);
    expect(await refundRows(order.id)).toHaveLength(1);
  });

  it('is rolled back, deterministically, when its local transaction is refused: the half message rolled back, no consumer offered it, the order unchanged', async () => {
    const { order, userId } = await paidOrder();
    const { requestRefund } = await import('../../shared/use-cases/refunds/request-refund');
    const deps = await realRefundDeps();
    const before = await orderRow(order.id);
    const halves: HalfMessage[] = [];
    const commits: HalfMessage[] = [];
    const rollbacks: Array<{ half: HalfMessage; accepted: boolean }> = [];
    // The real publisher, watched: every half message, commit and rollback it is asked for (and the broker's answer).
    const tx: TxMessagePublisher = {
      publishHalf: async (name, body, options) => {
        const half = await deps.tx.publishHalf(name, body, options);
        halves.push(half);
        return half;
      },
      commit: async (half) => {
        commits.push(half);
        return deps.tx.commit(half);
      },
      rollback: async (half) => {
        const accepted = await deps.tx.rollback(half);
        rollbacks.push({ half, accepted });
        return accepted;
      },
    };
    // The local transaction is refused (as when a concurrent refund won), without writing anything.
    const refunds = { start: async () => false };

    await expect(requestRefund({ ...deps, tx, refunds }, { orderId: order.id, userId, reason: 'USER_REQUESTED' })).rejects.toMatchObject({ code: 'ORDER_NOT_REFUNDABLE' });

    expect(halves).toEqual([expect.objectContaining({ name: 'OrderRefunded', messageId: expect.any(String) })]);
    expect(rollbacks).toEqual([{ half: halves[0], accepted: true }]);
    expect(commits).toEqual([]);
    expect(await offeredOrderRefunded(order.id)).toEqual(new Set());
    expect(await orderRow(order.id)).toEqual(before);
    expect(await refundRows(order.id)).toEqual([]);
    expect(await scanWhere('outbox', (e) => e.body?.orderId === order.id && e.body?.status === 'REFUNDING')).toEqual([]);
  });

  it('delivers only the winner\'s OrderRefunded when two requests race and the loser\'s rollback is lost: the check-back rolls the loser\'s back', async () => {
    const { order, userId, token } = await paidOrder();
    const { requestRefund } = await import('../../shared/use-cases/refunds/request-refund');
    const deps = await realRefundDeps();
    // The loser read the order while it was still PAID...
    const paid = await deps.orders.get(order.id);
    expect(paid?.status).toBe('PAID');
    // ...the winner's request goes through (half message, local transaction, commit)...
    expect((await api.call('POST', `/orders/${order.id}/refund`, { token })).status).toBe(202);
    // ...then the loser's: its half message is published, its local transaction refused, and its rollback never sent
    // (the process died): the check-back must decide it.
    const loserHalves: HalfMessage[] = [];
    const loser = {
      ...deps,
      orders: { ...deps.orders, get: async () => paid },
      tx: {
        ...deps.tx,
        publishHalf: async (...args: Parameters<TxMessagePublisher['publishHalf']>) => {
          const half = await deps.tx.publishHalf(...args);
          loserHalves.push(half);
          return half;
        },
        rollback: async () => true,
      },
    };
    await expect(requestRefund(loser, { orderId: order.id, userId, reason: 'USER_REQUESTED' })).rejects.toMatchObject({ code: 'ORDER_NOT_REFUNDABLE' });
    expect(loserHalves).toHaveLength(1);
    const record = await getItem('refunds', { orderId: order.id, outRefundNo: `${order.id}-RF` });
    expect(record?.halfMessageId).toEqual(expect.any(String));
    expect(record?.halfMessageId).not.toBe(loserHalves[0]!.messageId);

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await runCheckBack(3)).rolledBack).toBeGreaterThanOrEqual(1);

    // The consumers are offered one OrderRefunded for the order: the winner's.
    const offered = await offeredOrderRefunded(order.id);
    expect(offered).toEqual(new Set([record?.halfMessageId]));
    expect(await refundRows(order.id)).toHaveLength(1);
  });

  it('is rolled back by the check-back when the commit was lost and nothing changed locally', async () => {
    const { order, userId } = await paidOrder();
    const { rocketmqTxPublisher } = await import('../../shared/adapters/rocketmq/tx-publisher');
    // The request died right after the half message: no local transaction, no decision.
    await rocketmqTxPublisher.publishHalf('OrderRefunded', { orderId: order.id, userId, outRefundNo: `${order.id}-RF`, amountFen: order.payableFen }, { checkBackAfterSeconds: 1 });

    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await runCheckBack(3)).rolledBack).toBeGreaterThanOrEqual(1);
    await runRefundConsumers(1);
    expect(await orderRow(order.id)).toMatchObject({ status: 'PAID' });
    expect((await sandbox().trade(order.id)).refunds).toEqual([]);
  });

  it('executes one WeChat refund and gives the coupon back once when OrderRefunded is delivered 10 times', async () => {
    const { order, token, userId, couponId } = await paidOrder();
    // Recorded and committed, but no consumer ran yet: the test delivers the message itself.
    expect((await api.call('POST', `/orders/${order.id}/refund`, { token })).status).toBe(202);
    const message = { tag: 'OrderRefunded', body: { orderId: order.id, userId, outRefundNo: `${order.id}-RF`, amountFen: order.payableFen, couponId } };

    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? fns.executor : fns.coupon)({ messages: [message] }, {} as never)));
    await Promise.all(Array.from({ length: 5 }, () => fns.executor({ messages: [message] }, {} as never)));

    expect(answers.every((a) => JSON.stringify(a) === JSON.stringify({ batchItemFailures: [] }))).toBe(true);
    await waitFor(() => orderRow(order.id), (row) => row?.status === 'REFUNDED');
    expect((await sandbox().trade(order.id)).refunds).toHaveLength(1);
    expect(await getItem('userCoupons', { userId, couponId })).toMatchObject({ status: 'UNUSED' });
  });

  it('is refused for an unpaid, cancelled or refunded order (409), and for another user\'s (404)', async () => {
    const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } });
    const shopper = await newShopper(api.call);
    const unpaid = (await api.call('POST', '/orders', { token: shopper.token, body: { requestId: newRequestId(), storeId, items: [{ productId: 'latte', quantity: 1 }] } })).body;
    expect(await api.call('POST', `/orders/${unpaid.id}/refund`, { token: shopper.token })).toMatchObject({ status: 409, body: { code: 'ORDER_NOT_REFUNDABLE' } });
    await api.call('POST', `/orders/${unpaid.id}/cancel`, { token: shopper.token });
    expect(await api.call('POST', `/orders/${unpaid.id}/refund`, { token: shopper.token })).toMatchObject({ status: 409, body: { code: 'ORDER_NOT_REFUNDABLE' } });

    const { order, token } = await paidOrder();
    expect(await api.call('POST', `/orders/${order.id}/refund`, { token: shopper.token })).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_FOUND' } });
    expect((await api.call('POST', `/orders/${order.id}/refund`, { token })).status).toBe(202);
    expect(await api.call('POST', `/orders/${order.id}/refund`, { token })).toMatchObject({ status: 409, body: { code: 'ORDER_NOT_REFUNDABLE' } });
    expect(await refundRows(order.id)).toHaveLength(1);
  });

  it('is refused (409) for an order already REFUNDED: no half message, the refund and order rows unchanged', async () => {
    const { order, token, userId } = await paidOrder();
    expect((await api.call('POST', `/orders/${order.id}/refund`, { token })).status).toBe(202);
    await runRefundConsumers();
    await waitFor(() => orderRow(order.id), (row) => row?.status === 'REFUNDED');
    const outboxOf = async () => (await scanWhere('outbox', (e) => e.body?.orderId === order.id)).map((e) => `${e.name}:${e.body?.status}`).sort();
    const [orderBefore, refundsBefore, outboxBefore] = await Promise.all([orderRow(order.id), refundRows(order.id), outboxOf()]);
    expect(refundsBefore).toEqual([expect.objectContaining({ outRefundNo: `${order.id}-RF`, status: 'SUCCESS' })]);

    expect(await api.call('POST', `/orders/${order.id}/refund`, { token })).toMatchObject({ status: 409, body: { code: 'ORDER_NOT_REFUNDABLE' } });
    expect(await api.call('POST', `/admin/orders/${order.id}/refund`, { headers: admin, body: { reason: '门店缺货' } })).toMatchObject({ status: 409, body: { code: 'ORDER_NOT_REFUNDABLE' } });
    // The use case itself, watched: it refuses before any half message reaches the MQ.
    const { requestRefund } = await import('../../shared/use-cases/refunds/request-refund');
    const deps = await realRefundDeps();
    const published: string[] = [];
    const tx: TxMessagePublisher = {
      ...deps.tx,
      publishHalf: (name, body, options) => {
        published.push(name);
        return deps.tx.publishHalf(name, body, options);
      },
    };
    await expect(requestRefund({ ...deps, tx }, { orderId: order.id, userId, reason: 'USER_REQUESTED' })).rejects.toMatchObject({ code: 'ORDER_NOT_REFUNDABLE' });

    expect(published).toEqual([]);
    expect(await refundRows(order.id)).toEqual(refundsBefore);
    expect(await orderRow(order.id)).toEqual(orderBefore);
    expect(await outboxOf()).toEqual(outboxBefore);
    expect((await sandbox().trade(order.id)).refunds).toHaveLength(1);
  });

  it('gives back a coupon whose expiry passed between its use and the refund as EXPIRED, not UNUSED', async () => {
    const { order, token, userId, couponId } = await paidOrder();
    expect(await getItem('userCoupons', { userId, couponId })).toMatchObject({ status: 'USED', orderId: order.id });
    await expireUsedCoupon(userId, couponId, order.id);
    expect((await api.call('POST', `/orders/${order.id}/refund`, { token })).status).toBe(202);
    const message = { tag: 'OrderRefunded', body: { orderId: order.id, userId, outRefundNo: `${order.id}-RF`, amountFen: order.payableFen, couponId } };

    expect(await fns.coupon({ messages: [message] }, {} as never)).toEqual({ batchItemFailures: [] });

    const coupon = await getItem('userCoupons', { userId, couponId });
    expect(coupon).toMatchObject({ status: 'EXPIRED' });
    expect(coupon).not.toHaveProperty('orderId');
    const mine = (await api.call('GET', '/me/coupons', { token })).body.items;
    expect(mine).toContainEqual(expect.objectContaining({ id: couponId, status: 'EXPIRED' }));
  });

  it('that WeChat Pay notifies with another amount is refused and kept as an anomaly, then settled from the reconciler\'s query', async () => {
    const { order } = await paidOrder();
    const outRefundNo = `${order.id}-RF`;
    await sandbox().armRefundOutcome({ status: 'PROCESSING', outTradeNo: order.id });
    await sandbox().armNotificationFaults(['AMOUNT_MISMATCH'], { outRefundNo });
    expect((await api.call('POST', `/admin/orders/${order.id}/refund`, { headers: admin, body: { reason: '门店缺货' } })).status).toBe(202);
    await runRefundConsumers();
    await sandbox().settleRefund(outRefundNo, 'SUCCESS');
    await waitFor(() => sandbox().notifications({ outRefundNo }), (found) => found.items.some((n: { attempts: Array<{ status?: number }> }) => n.attempts.some((a) => a.status === 400)));

    expect(await orderRow(order.id)).toMatchObject({ status: 'REFUNDING', refunds: [{ outRefundNo, status: 'PROCESSING' }] });
    expect(await refundRows(order.id)).toEqual([expect.objectContaining({ status: 'PROCESSING' })]);
    expect(await scanWhere('outbox', (e) => e.body?.orderId === order.id && e.body?.status === 'REFUNDED')).toHaveLength(0);
    const anomalies = await scanWhere('paymentAnomalies', (a) => a.outTradeNo === order.id);
    expect(anomalies).toEqual([expect.objectContaining({ kind: 'REFUND_MISMATCH', expected: `a refund of ${order.payableFen} fen`, received: `${order.payableFen + 1} fen` })]);
    const listed = await api.call('GET', '/admin/payment-anomalies', { headers: admin });
    expect(listed.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ outTradeNo: order.id, kind: 'REFUND_MISMATCH' })]));

    // The reconciler's query carries WeChat Pay's true figures: the refund is settled once.
    // Imported here: the adapters must read the private broker's environment.
    const { refundDeps } = await import('../../shared/composition/wechat-pay');
    const { reconcileRefunds } = await import('../../shared/use-cases/refunds/reconcile-refunds');
    const deps = await refundDeps();
    const refunds = { ...deps.refunds, unsettled: async (before: Date) => (await deps.refunds.unsettled(before, 1_000)).filter((r) => r.orderId === order.id) };
    expect(await reconcileRefunds({ ...deps, refunds }, { olderThanSeconds: 0 })).toEqual({ checked: 1, settled: 1 });
    expect(await orderRow(order.id)).toMatchObject({ status: 'REFUNDED', refunds: [{ outRefundNo, status: 'SUCCESS' }] });
    expect(await scanWhere('outbox', (e) => e.body?.orderId === order.id && e.body?.status === 'REFUNDED')).toHaveLength(1);
  });

  it('that WeChat Pay refuses (NOT_ENOUGH) is kept as an anomaly, stays REQUESTED, and goes through on a later run once accepted', async () => {
    const { order, userId } = await paidOrder();
    const outRefundNo = `${order.id}-RF`;
    await sandbox().armPayFault({ fault: 'NOT_ENOUGH', operation: 'refund.create', outTradeNo: order.id, calls: [1, 2] });
    expect((await api.call('POST', `/admin/orders/${order.id}/refund`, { headers: admin, body: { reason: '门店缺货' } })).status).toBe(202);
    const message = { tag: 'OrderRefunded', body: { orderId: order.id, userId, outRefundNo, amountFen: order.payableFen } };
    // Refused twice (a redelivery): one anomaly, the refund still REQUESTED, nothing at WeChat Pay.
    for (let i = 0; i < 2; i++) expect(((await fns.executor({ messages: [message] }, {} as never)) as { batchItemFailures: unknown[] }).batchItemFailures).toHaveLength(1);

    expect(await orderRow(order.id)).toMatchObject({ status: 'REFUNDING', refunds: [{ outRefundNo, status: 'REQUESTED' }] });
    expect((await sandbox().trade(order.id)).refunds).toEqual([]);
    expect(await scanWhere('paymentAnomalies', (a) => a.outTradeNo === order.id)).toEqual([
      expect.objectContaining({ kind: 'REFUND_REFUSED', received: expect.stringContaining('NOT_ENOUGH') }),
    ]);

    // The balance is back: the next delivery (or the reconciler's run) sends the same out_refund_no through.
    expect(await fns.executor({ messages: [message] }, {} as never)).toEqual({ batchItemFailures: [] });
    await waitFor(() => orderRow(order.id), (row) => row?.status === 'REFUNDED');
    expect((await sandbox().trade(order.id)).refunds).toEqual([expect.objectContaining({ outRefundNo, status: 'SUCCESS' })]);
  });

  it('that WeChat Pay reports ABNORMAL is recorded, and the order says so', async () => {
    const { order } = await paidOrder();
    await sandbox().armRefundOutcome({ status: 'ABNORMAL', outTradeNo: order.id });
    expect(await api.call('POST', `/admin/orders/${order.id}/refund`, { headers: admin, body: { reason: '门店缺货' } })).toMatchObject({ status: 202 });
    await runRefundConsumers();
    const row = await waitFor(() => orderRow(order.id), (r) => r?.refunds?.[0]?.status === 'ABNORMAL');
    expect(row).toMatchObject({ status: 'REFUNDING', refunds: [{ status: 'ABNORMAL', reason: 'OPERATOR' }] });
    expect((await api.call('GET', `/orders/${order.id}`, { token: (await newShopper(api.call)).token })).status).toBe(404);
  });
});

describe('finishing an order', () => {
  it('moves CONFIRMED -> FINISHED and grants one reward coupon however often OrderFinished comes', async () => {
    const { order, token, userId } = await paidOrder();
    expect(await api.call('POST', `/orders/${order.id}/finish`, { token })).toMatchObject({ status: 409, body: { code: 'ORDER_NOT_FINISHABLE' } });
    await api.call('POST', `/admin/orders/${order.id}/confirm`, { headers: admin });
    expect(await api.call('POST', `/orders/${order.id}/finish`, { token })).toMatchObject({ status: 200, body: { status: 'FINISHED' } });

    await pollOnce(fns.reward, 1);
    const message = { tag: 'OrderFinished', body: { orderId: order.id, userId, finishedAt: new Date().toISOString() } };
    await Promise.all(Array.from({ length: 10 }, () => fns.reward({ messages: [message] }, {} as never)));

    const rewards = await scanWhere('userCoupons', (c) => c.userId === userId && c.templateId === 'tpl-order-reward');
    expect(rewards).toEqual([expect.objectContaining({ couponId: `tpl-order-reward.${order.id}`, status: 'UNUSED' })]);
    expect(await api.call('POST', `/orders/${order.id}/finish`, { token })).toMatchObject({ status: 409 });
  });

  it('by an operator moves CONFIRMED -> FINISHED with one reward; another shopper\'s finish is 404 ORDER_NOT_FOUND and changes nothing', async () => {
    const { order, userId } = await paidOrder();
    expect((await api.call('POST', `/admin/orders/${order.id}/confirm`, { headers: admin })).status).toBe(200);
    const before = await orderRow(order.id);
    expect(before).toMatchObject({ status: 'CONFIRMED' });
    const finishedEvents = () => scanWhere('outbox', (e) => e.body?.orderId === order.id && e.body?.status === 'FINISHED');
    const rewardsOf = (owner: string) => scanWhere('userCoupons', (c) => c.userId === owner && c.templateId === 'tpl-order-reward');

    const other = await newShopper(api.call);
    expect(await api.call('POST', `/orders/${order.id}/finish`, { token: other.token })).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_FOUND' } });
    expect(await orderRow(order.id)).toEqual(before);
    expect(await finishedEvents()).toEqual([]);

    expect(await api.call('POST', `/admin/orders/${order.id}/finish`, { headers: admin })).toMatchObject({ status: 200, body: { id: order.id, status: 'FINISHED' } });
    const row = await orderRow(order.id);
    expect(row).toMatchObject({ status: 'FINISHED' });
    expect(row?.history.map((h: { status: string }) => h.status)).toEqual(['WAIT_PAY', 'PAID', 'CONFIRMED', 'FINISHED']);
    // The committed OrderFinished reaches the reward consumer (polled until it has run for this order).
    const rewards = await waitFor(
      async () => {
        await pollOnce(fns.reward, 1);
        return rewardsOf(userId);
      },
      (found) => found.length > 0,
      15_000,
    );
    await pollOnce(fns.reward, 1);
    expect(await rewardsOf(userId)).toEqual([expect.objectContaining({ couponId: `tpl-order-reward.${order.id}`, status: 'UNUSED' })]);
    expect(rewards).toHaveLength(1);
    expect(await rewardsOf(other.userId)).toEqual([]);
    expect(await finishedEvents()).toHaveLength(1);
  });
});

describe('a message redelivered after the state moved on', () => {
  it('OrderRefunded leaves the returned coupon USED by the new order that used it again', async () => {
    const { order, token, userId, couponId, storeId } = await paidOrder();
    expect((await api.call('POST', `/orders/${order.id}/refund`, { token })).status).toBe(202);
    const message = { tag: 'OrderRefunded', body: { orderId: order.id, userId, outRefundNo: `${order.id}-RF`, amountFen: order.payableFen, couponId } };
    expect(await fns.coupon({ messages: [message] }, {} as never)).toEqual({ batchItemFailures: [] });
    expect(await getItem('userCoupons', { userId, couponId })).toMatchObject({ status: 'UNUSED' });

    const next = await paidOrderWith({ token }, storeId, couponId);
    const usedAgain = await getItem('userCoupons', { userId, couponId });
    expect(usedAgain).toMatchObject({ status: 'USED', orderId: next.id });

    for (let i = 0; i < 3; i++) expect(await fns.coupon({ messages: [message] }, {} as never)).toEqual({ batchItemFailures: [] });

    expect(await getItem('userCoupons', { userId, couponId })).toEqual(usedAgain);
  });

  it('OrderFinished leaves the reward coupon USED, and the order still has one reward', async () => {
    const { order, token, userId, storeId } = await paidOrder();
    expect((await api.call('POST', `/admin/orders/${order.id}/confirm`, { headers: admin })).status).toBe(200);
    expect((await api.call('POST', `/orders/${order.id}/finish`, { token })).status).toBe(200);
    const message = { tag: 'OrderFinished', body: { orderId: order.id, userId, finishedAt: new Date().toISOString() } };
    expect(await fns.reward({ messages: [message] }, {} as never)).toEqual({ batchItemFailures: [] });
    const rewardId = `tpl-order-reward.${order.id}`;
    expect(await getItem('userCoupons', { userId, couponId: rewardId })).toMatchObject({ status: 'UNUSED' });

    const next = await paidOrderWith({ token }, storeId, rewardId);
    const used = await getItem('userCoupons', { userId, couponId: rewardId });
    expect(used).toMatchObject({ status: 'USED', orderId: next.id });

    for (let i = 0; i < 3; i++) expect(await fns.reward({ messages: [message] }, {} as never)).toEqual({ batchItemFailures: [] });

    expect(await getItem('userCoupons', { userId, couponId: rewardId })).toEqual(used);
    expect(await scanWhere('userCoupons', (c) => c.userId === userId && c.templateId === 'tpl-order-reward')).toEqual([expect.objectContaining({ couponId: rewardId, status: 'USED', orderId: next.id })]);
  });
});
