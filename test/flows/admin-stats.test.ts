import { fakeContext } from '../../shared/testing/lambda';
import type { HourBucket } from '../../shared/domain/admin/order-stats';
import { bodyOf } from '../../client/api-client';
import { freshHour, minutesAfter, putOrder, statusChangedBatch } from '../support/admin';
import { startApi } from '../support/api';
import { documentedClient, statusAndBody } from '../support/api-client';
import { pollOnce } from '../support/consumers';
import { getItem } from '../support/dynamo';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { newRequestId, newShopper, newStore } from '../support/shop';
import { sandbox, waitFor } from '../support/wechat-pay';
import { LOCAL_ADMIN_API_KEY } from '../../local/services/backing';

// The hourly stats: OrderStatusChanged through the real consumer (batch events, and a private broker through the real
// SDK), counters in DynamoDB Local, GET /admin/stats through the local gateway. Orders sit in hours far in the future
// that no other test uses, so each bucket below holds exactly what its test counted. HTTP calls go through the typed
// client, which refuses any answer the API document does not describe.
let mq: PrivateMq;
let api: Awaited<ReturnType<typeof startApi>>;
let client: ReturnType<typeof documentedClient>;
let consumer: typeof import('../../functions/order-stats-consumer/handler').handler;
let publisher: typeof import('../../shared/adapters/rocketmq/publisher').rocketmqPublisher;

beforeAll(async () => {
  mq = await startPrivateMq({ orderlyInvisibilitySeconds: 1, maxDeliveries: 10 });
  api = await startApi();
  client = documentedClient(api.gateway.url);
  consumer = (await import('../../functions/order-stats-consumer/handler')).handler;
  publisher = (await import('../../shared/adapters/rocketmq/publisher')).rocketmqPublisher;
});
afterAll(async () => {
  await api.close();
  await mq.stop();
  mq.restoreEnv();
});

const HOUR_MS = 3_600_000;
const hoursAfter = (start: Date, hours: number) => new Date(start.getTime() + hours * HOUR_MS);
const adminKey = LOCAL_ADMIN_API_KEY;
const stats = (from: string, to: string) => client.get('/admin/stats', { adminKey, query: { from, to } });
const bucketsOf = async (from: Date, to: Date): Promise<HourBucket[]> => bodyOf(await stats(from.toISOString(), to.toISOString()), 200).buckets;
const bucket = (hourStart: Date, counts: Partial<Omit<HourBucket, 'hourStart'>> = {}): HourBucket => ({
  hourStart: hourStart.toISOString(),
  created: 0,
  paid: 0,
  cancelled: 0,
  refunded: 0,
  revenueFen: 0,
  ...counts,
});
const deliver = (order: Parameters<typeof statusChangedBatch>[0], status: string) => consumer(statusChangedBatch(order, status), fakeContext());
const markerOf = (orderId: string, status: string) => getItem('orderStats', { pk: `COUNTED#${orderId}`, sk: status });

describe('the order stats consumer', () => {
  it('counts a PAID delivered 10 times at once a single time: one paid order, its amount as revenue', async () => {
    const start = freshHour();
    const order = await putOrder({ statuses: [['WAIT_PAY', minutesAfter(start, 5)], ['PAID', minutesAfter(start, 70)]], payableFen: 4350 });

    const results = await Promise.all(Array.from({ length: 10 }, () => deliver(order, 'PAID')));

    expect(results).toEqual(Array(10).fill({ batchItemFailures: [] }));
    // Counted in the hour the order was paid (from its history), not the hour the message came.
    expect(await bucketsOf(start, hoursAfter(start, 2))).toEqual([bucket(start), bucket(hoursAfter(start, 1), { paid: 1, revenueFen: 4350 })]);
    expect(await markerOf(order.id, 'PAID')).toMatchObject({ hourStart: hoursAfter(start, 1).toISOString() });
  });

  it('counts a status once when the broker delivers 10 copies of its message, and again 10 after they were acked', async () => {
    const start = freshHour();
    const order = await putOrder({ statuses: [['WAIT_PAY', minutesAfter(start, 10)]] });
    const body = { orderId: order.id, userId: order.userId, status: 'WAIT_PAY', changedAt: new Date().toISOString() };
    const publishCopies = async () => {
      for (let i = 0; i < 10; i++) await publisher.publish('OrderStatusChanged', body);
    };

    await publishCopies();
    const first = await pollOnce(consumer, 2);
    await publishCopies();
    const second = await pollOnce(consumer, 2);

    expect(first).toMatchObject({ received: 10, succeeded: 10, failed: 0 });
    expect(second).toMatchObject({ received: 10, succeeded: 10, failed: 0 });
    expect(await bucketsOf(start, hoursAfter(start, 1))).toEqual([bucket(start, { created: 1 })]);
  });

  it('counts nothing, and acks, for a status the order never reached, one without a counter, or an unknown order', async () => {
    const start = freshHour();
    // A cancelled order whose late payment went back: its REFUNDED notice is sent, but the order never was REFUNDED.
    const cancelled = await putOrder({
      statuses: [['WAIT_PAY', minutesAfter(start, 1)], ['CANCELLED', minutesAfter(start, 2)]],
      refunds: [{ outRefundNo: 'x-PAC', amountFen: 2800, status: 'SUCCESS', reason: 'PAID_AFTER_CANCEL' }],
    });
    const confirmed = await putOrder({ statuses: [['WAIT_PAY', minutesAfter(start, 3)], ['PAID', minutesAfter(start, 4)], ['CONFIRMED', minutesAfter(start, 5)]] });

    const results = await Promise.all([
      deliver(cancelled, 'REFUNDED'),
      deliver(confirmed, 'CONFIRMED'),
      deliver({ id: `o${'f'.repeat(31)}`, userId: 'u-nobody' }, 'CANCELLED'),
    ]);

    expect(results).toEqual(Array(3).fill({ batchItemFailures: [] }));
    expect(await bucketsOf(start, hoursAfter(start, 1))).toEqual([bucket(start)]);
    expect(await markerOf(cancelled.id, 'REFUNDED')).toBeUndefined();
  });
});

describe('GET /admin/stats', () => {
  it('answers one bucket per hour of the range, zeros where nothing happened, revenue being paid less refunded', async () => {
    const h0 = freshHour();
    const [h1, h2, h3, h4] = [1, 2, 3, 4].map((n) => hoursAfter(h0, n)) as [Date, Date, Date, Date];
    const paid = await putOrder({ statuses: [['WAIT_PAY', minutesAfter(h0, 5)], ['PAID', minutesAfter(h0, 10)]], payableFen: 2800 });
    const cancelled = await putOrder({ statuses: [['WAIT_PAY', minutesAfter(h0, 20)], ['CANCELLED', minutesAfter(h1, 5)]] });
    const refunded = await putOrder({
      statuses: [['WAIT_PAY', minutesAfter(h0, 30)], ['PAID', minutesAfter(h0, 40)], ['REFUNDING', minutesAfter(h2, 1)], ['REFUNDED', minutesAfter(h2, 30)]],
      payableFen: 1500,
      refunds: [{ outRefundNo: 'x-RF', amountFen: 1500, status: 'SUCCESS', reason: 'USER_REQUESTED' }],
    });
    const unpaid = await putOrder({ statuses: [['WAIT_PAY', minutesAfter(h2, 50)]], payableFen: 900 });
    for (const order of [paid, cancelled, refunded, unpaid]) {
      for (const { status } of order.history) expect(await deliver(order, status)).toEqual({ batchItemFailures: [] });
    }

    expect(await bucketsOf(h0, h4)).toEqual([
      bucket(h0, { created: 3, paid: 2, revenueFen: 2800 + 1500 }),
      bucket(h1, { cancelled: 1 }),
      bucket(h2, { created: 1, refunded: 1, revenueFen: -1500 }),
      bucket(h3),
    ]);
    // A range that starts and ends inside hours has a bucket for each hour it touches.
    expect((await bucketsOf(minutesAfter(h0, 30), minutesAfter(h1, 1))).map((b) => b.hourStart)).toEqual([h0.toISOString(), h1.toISOString()]);
  });

  it('covers at most 7 days: 168 hours are answered, a millisecond more is 400 VALIDATION_FAILED naming to', async () => {
    const from = freshHour();
    const sevenDays = hoursAfter(from, 168);

    const buckets = await bucketsOf(from, sevenDays);
    const tooLong = await stats(from.toISOString(), new Date(sevenDays.getTime() + 1).toISOString());

    expect(buckets).toHaveLength(168);
    expect([buckets[0]!.hourStart, buckets[167]!.hourStart]).toEqual([from.toISOString(), hoursAfter(from, 167).toISOString()]);
    expect(statusAndBody(tooLong)).toEqual({ status: 400, body: { code: 'VALIDATION_FAILED', message: 'to: must be at most 7 days after from' } });
  });

  it('answers 400 VALIDATION_FAILED naming from or to when one is missing, malformed or not after the other', async () => {
    const at = freshHour().toISOString();
    const cases: Array<[{ from?: string; to?: string }, string]> = [
      [{ to: at }, 'from'],
      [{ from: at }, 'to'],
      [{ from: 'today', to: at }, 'from'],
      [{ from: at, to: at }, 'to: must be after from'],
    ];
    for (const [query, named] of cases) {
      // A missing bound the client's types refuse, sent as it is: the server must refuse it too.
      const body = bodyOf(await client.get('/admin/stats', { adminKey, query: query as { from: string; to: string } }), 400);
      expect(body.code).toBe('VALIDATION_FAILED');
      expect(body.message).toContain(named);
    }
  });
});

describe('stats of an order placed and paid through the API', () => {
  it('counts it created and paid from the events the order flows publish', async () => {
    const { storeId } = await newStore({ latte: { priceFen: 2600, stock: 5 } });
    const shopper = await newShopper(api.call);
    const from = hoursAfter(new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS), -1);
    const to = hoursAfter(from, 3);
    const total = async () => (await bucketsOf(from, to)).reduce((sum, b) => ({ created: sum.created + b.created, paid: sum.paid + b.paid, revenueFen: sum.revenueFen + b.revenueFen }), { created: 0, paid: 0, revenueFen: 0 });
    const before = await total();

    const order = bodyOf(await client.post('/orders', { token: shopper.token, body: { requestId: newRequestId(), storeId, items: [{ productId: 'latte', quantity: 1 }] } }), 201);
    bodyOf(await client.post('/orders/{orderId}/pay', { token: shopper.token, path: { orderId: order.id } }), 200);
    await sandbox().pay(order.id);
    // A cold webhook on a busy machine may miss WeChat Pay's 5 s answer window; its retry comes 15 s later.
    await waitFor(() => getItem('orders', { orderId: order.id }), (row) => row?.status === 'PAID', 25_000);
    await waitFor(
      async () => (await pollOnce(consumer, 1), getItem('orderStats', { pk: `COUNTED#${order.id}`, sk: 'PAID' })),
      (marker) => marker !== undefined,
      20_000,
    );

    expect(await total()).toEqual({ created: before.created + 1, paid: before.paid + 1, revenueFen: before.revenueFen + 2600 });
    expect(await markerOf(order.id, 'WAIT_PAY')).toBeDefined();
  }, 60_000);
});
