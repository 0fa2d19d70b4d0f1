import { startApi } from '../support/api';
import { pollOnce } from '../support/consumers';
import { getItem, scanWhere } from '../support/dynamo';
import { overrideEnv } from '../support/env';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { privateTable } from '../support/private-table';
import { giveCoupon, newRequestId, newShopper, newStore } from '../support/shop';
import type { ReceivedMessage } from '../../shared/ports/messaging';

// Unpaid orders cancel themselves through the delayed OrderPayTimeout message (a 2 s pay timeout here), once, even
// when the message comes twice; an MQ outage at creation loses nothing; the sweep catches an order whose message was
// lost. Everything through a private broker, the real SDK and DynamoDB Local, with orders and outbox tables of this
// file's own: the relay and the sweep read whole tables, and must not take other files' events or orders.
const PAY_TIMEOUT_SECONDS = 2;
let mq: PrivateMq;
let restoreEnv: () => void;
let api: Awaited<ReturnType<typeof startApi>>;
let timeoutConsumer: typeof import('../../functions/order-timeout-consumer/handler').handler;
let relay: typeof import('../../functions/outbox-relay/handler').handler;
let sweep: typeof import('../../functions/order-sweep/handler').handler;
let statusSource: import('../../shared/ports/messaging').MessageSource;
let tables: Array<{ drop(): Promise<void> }> = [];

beforeAll(async () => {
  tables = [await privateTable('orders'), await privateTable('outbox')];
  restoreEnv = overrideEnv({ ORDER_PAY_TIMEOUT_SECONDS: String(PAY_TIMEOUT_SECONDS), ORDER_SWEEP_GRACE_SECONDS: '1' });
  mq = await startPrivateMq({ invisibilitySeconds: 1 });
  api = await startApi();
  timeoutConsumer = (await import('../../functions/order-timeout-consumer/handler')).handler;
  relay = (await import('../../functions/outbox-relay/handler')).handler;
  sweep = (await import('../../functions/order-sweep/handler')).handler;
  const { rocketmqSource } = await import('../../shared/adapters/rocketmq/source');
  statusSource = rocketmqSource({ group: 'orderNotice', messages: ['OrderStatusChanged'], ordered: true });
});
afterAll(async () => {
  await api.close();
  await mq.stop();
  mq.restoreEnv();
  restoreEnv();
  for (const table of tables) await table.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function placeOrder(withCoupon = true) {
  const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } });
  const shopper = await newShopper(api.call);
  const couponId = withCoupon ? await giveCoupon(shopper.userId) : undefined;
  const created = await api.call('POST', '/orders', { token: shopper.token, body: { requestId: newRequestId(), storeId, couponId, items: [{ productId: 'latte', quantity: 2 }] } });
  expect(created.status).toBe(201);
  return { order: created.body, storeId, couponId, ...shopper };
}

/** OrderStatusChanged messages of one order from the status topic, acked as read, in delivery order. */
async function statusesOf(orderId: string, expected: number): Promise<string[]> {
  const seen: ReceivedMessage[] = [];
  const deadline = Date.now() + 10_000;
  while (seen.filter((m) => m.shardingKey === orderId).length < expected && Date.now() < deadline) {
    const batch = await statusSource.receive(16, 1);
    seen.push(...batch);
    if (batch.length > 0) await statusSource.ack(batch.map((m) => m.receiptHandle));
  }
  return seen.filter((m) => m.shardingKey === orderId).map((m) => JSON.parse(m.body).status as string);
}

async function expectCancelledAndReleased(orderId: string, storeId: string, userId: string, couponId?: string) {
  expect(await getItem('orders', { orderId })).toMatchObject({ status: 'CANCELLED', cancelledAt: expect.any(String) });
  expect((await getItem('products', { storeId, productId: 'latte' }))?.stock).toBe(10);
  if (couponId) expect(await getItem('userCoupons', { userId, couponId })).toMatchObject({ status: 'UNUSED' });
}

describe('an unpaid order', () => {
  it('is cancelled by its delayed message within a second of its deadline: stock and coupon back, WAIT_PAY then CANCELLED announced', async () => {
    const { order, storeId, userId, couponId } = await placeOrder();
    expect((await getItem('products', { storeId, productId: 'latte' }))?.stock).toBe(8);

    const deadline = new Date(order.payDeadline).getTime();
    while (Date.now() < deadline + 3_000 && (await getItem('orders', { orderId: order.id }))?.status === 'WAIT_PAY') await pollOnce(timeoutConsumer, 1);

    const stored = await getItem('orders', { orderId: order.id });
    await expectCancelledAndReleased(order.id, storeId, userId, couponId);
    expect(new Date(stored?.cancelledAt).getTime() - deadline).toBeLessThan(1_000);
    expect(new Date(stored?.cancelledAt).getTime()).toBeGreaterThanOrEqual(deadline);
    expect(stored?.history.map((h: { status: string }) => h.status)).toEqual(['WAIT_PAY', 'CANCELLED']);
    expect(await statusesOf(order.id, 2)).toEqual(['WAIT_PAY', 'CANCELLED']);
  });

  it('gives its stock back once when OrderPayTimeout is delivered twice', async () => {
    const { order, storeId, userId, couponId } = await placeOrder();
    const message = { tag: 'OrderPayTimeout', body: { orderId: order.id, userId, payDeadline: order.payDeadline } };

    const first = await timeoutConsumer({ messages: [message, message] }, {} as never);
    const again = await timeoutConsumer({ messages: [message] }, {} as never);

    expect(first).toEqual({ batchItemFailures: [] });
    expect(again).toEqual({ batchItemFailures: [] });
    await expectCancelledAndReleased(order.id, storeId, userId, couponId);
    expect((await getItem('orders', { orderId: order.id }))?.history).toHaveLength(2);
  });

  it('is left alone by its timeout message once the shopper cancelled it', async () => {
    const { order, storeId, token } = await placeOrder(false);
    expect((await api.call('POST', `/orders/${order.id}/cancel`, { token })).status).toBe(200);
    await timeoutConsumer({ messages: [{ tag: 'OrderPayTimeout', body: { orderId: order.id, userId: order.userId ?? 'u', payDeadline: order.payDeadline } }] }, {} as never);
    expect((await getItem('products', { storeId, productId: 'latte' }))?.stock).toBe(10);
  });
});

describe('with the MQ stopped while an order is created', () => {
  it('creates the order, keeps both messages in the outbox, and delivers both once the MQ is back', async () => {
    await mq.stop();
    const { order, storeId, userId, couponId } = await placeOrder();
    const pending = await scanWhere('outbox', (item) => item.body?.orderId === order.id);
    expect(pending.map((e) => e.name).sort()).toEqual(['OrderPayTimeout', 'OrderStatusChanged']);
    expect(pending.every((e) => e.pendingShard === 'pending')).toBe(true);
    expect(await relay()).toMatchObject({ failed: true });

    await mq.restart();
    await relay();
    const published = await scanWhere('outbox', (item) => item.body?.orderId === order.id);
    expect(published.every((e) => e.pendingShard === undefined && e.publishedAt)).toBe(true);

    await sleep(Math.max(0, new Date(order.payDeadline).getTime() - Date.now()));
    for (let i = 0; i < 5 && (await getItem('orders', { orderId: order.id }))?.status === 'WAIT_PAY'; i++) await pollOnce(timeoutConsumer, 1);
    await expectCancelledAndReleased(order.id, storeId, userId, couponId);
    expect(await statusesOf(order.id, 2)).toEqual(['WAIT_PAY', 'CANCELLED']);
  });
});

describe('the sweep', () => {
  it('cancels an order whose timeout message was lost, through the index of unpaid orders', async () => {
    await mq.stop();
    const { order, storeId, userId, couponId } = await placeOrder();
    await mq.restart();
    // Lost: the pending events never reach the MQ (as if the outbox rows were gone).
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const { DynamoDBDocumentClient, DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
    const { tableName } = await import('../../shared/config/tables');
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } }));
    for (const event of await scanWhere('outbox', (item) => item.body?.orderId === order.id)) await db.send(new DeleteCommand({ TableName: tableName('outbox'), Key: { eventId: event.eventId } }));

    // Before its deadline the sweep leaves it alone.
    expect(await sweep()).toEqual({ cancelled: 0 });
    expect(await getItem('orders', { orderId: order.id })).toMatchObject({ status: 'WAIT_PAY' });
    await sleep(new Date(order.payDeadline).getTime() + 1_100 - Date.now());
    const swept = await sweep();

    expect(swept.cancelled).toBe(1);
    await expectCancelledAndReleased(order.id, storeId, userId, couponId);
    db.destroy();
  });
});
