import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../shared/adapters/dynamodb/client';
import { dynamoNoticeRepository } from '../../shared/adapters/dynamodb/notice-repository';
import { tableName } from '../../shared/config/tables';
import type { Order, OrderStatus } from '../../shared/domain/ordering/order';
import { bodyOf } from '../../client/api-client';
import type { operations } from '../../client/api-types';
import { freshHour, minutesAfter, putOrder } from '../support/admin';
import { startApi } from '../support/api';
import { documentedClient, statusAndBody } from '../support/api-client';
import { getItem } from '../support/dynamo';
import { newRequestId, newShopper, newStore } from '../support/shop';
import { sandbox, waitFor } from '../support/wechat-pay';
import { LOCAL_ADMIN_API_KEY } from '../../local/services/backing';

// The operators' order list and order detail through the local gateway and the real handlers, on DynamoDB Local.
// Orders are placed in hours far in the future that no other test uses, so every list below is exactly this test's.
// Calls go through the typed client, which refuses any answer the API document does not describe.
let api: Awaited<ReturnType<typeof startApi>>;
let client: ReturnType<typeof documentedClient>;

beforeAll(async () => {
  api = await startApi();
  client = documentedClient(api.gateway.url);
});
afterAll(() => api.close());

type ListQuery = NonNullable<operations['adminListOrders']['parameters']['query']>;
const adminKey = LOCAL_ADMIN_API_KEY;
const list = (query: ListQuery) => client.get('/admin/orders', { adminKey, query });

/** Follows nextCursor to the end: the ids of each page. */
async function pages(query: ListQuery): Promise<string[][]> {
  const found: string[][] = [];
  let cursor: string | undefined;
  do {
    const body = bodyOf(await list({ ...query, ...(cursor ? { cursor } : {}) }), 200);
    found.push(body.items.map((order) => order.id));
    cursor = body.nextCursor ?? undefined;
    expect(found.length).toBeLessThan(20);
  } while (cursor);
  return found;
}

const within = (start: Date) => ({ from: start.toISOString(), to: minutesAfter(start, 59).toISOString() });
const idsOf = (orders: Order[]) => orders.map((order) => order.id);

/** Orders one minute apart from `start`, the newest last; each spec: its final status and store. */
async function placeOrders(start: Date, specs: Array<{ status: OrderStatus; storeId?: string }>): Promise<Order[]> {
  return Promise.all(
    specs.map(({ status, storeId }, i) => {
      const createdAt = minutesAfter(start, i + 1);
      const statuses: Array<[OrderStatus, Date]> = status === 'WAIT_PAY' ? [['WAIT_PAY', createdAt]] : [['WAIT_PAY', createdAt], [status, minutesAfter(createdAt, 1)]];
      return putOrder({ statuses, storeId });
    }),
  );
}

async function moveTo(order: Order, status: OrderStatus): Promise<void> {
  await dynamo().send(
    new UpdateCommand({ TableName: tableName('orders'), Key: { orderId: order.id }, UpdateExpression: 'SET #status = :status', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':status': status } }),
  );
}

describe('GET /admin/orders', () => {
  it('lists every shopper\'s orders newest first, with their user ids, a page at a time', async () => {
    const start = freshHour();
    const orders = await placeOrders(start, [
      { status: 'WAIT_PAY' },
      { status: 'PAID' },
      { status: 'CANCELLED' },
      { status: 'WAIT_PAY' },
      { status: 'CONFIRMED' },
      { status: 'PAID' },
      { status: 'REFUNDING' },
    ]);
    const newestFirst = idsOf(orders).reverse();

    expect(await pages({ ...within(start), limit: 3 })).toEqual([newestFirst.slice(0, 3), newestFirst.slice(3, 6), newestFirst.slice(6)]);

    const body = bodyOf(await list({ ...within(start), limit: 1 }), 200);
    const newest = orders[6]!;
    expect(body.items).toEqual([
      {
        id: newest.id,
        userId: newest.userId,
        storeId: newest.storeId,
        status: 'REFUNDING',
        items: newest.items,
        totalFen: newest.totalFen,
        discountFen: 0,
        payableFen: newest.payableFen,
        couponId: null,
        payDeadline: newest.payDeadline,
        createdAt: newest.createdAt,
        paidAt: null,
        cancelledAt: null,
        refundedAt: null,
        refunds: [],
      },
    ]);
    expect(body.nextCursor).toEqual(expect.any(String));
  });

  it('answers nextCursor null on the last page, and an empty page for a range without orders', async () => {
    const start = freshHour();
    const [only] = await placeOrders(start, [{ status: 'PAID' }]);

    expect(await list(within(start))).toMatchObject({ status: 200, body: { items: [expect.objectContaining({ id: only!.id })], nextCursor: null } });
    expect(statusAndBody(await list(within(freshHour())))).toEqual({ status: 200, body: { items: [], nextCursor: null } });
  });

  it('filters by status, by store, by both, and by creation time', async () => {
    const start = freshHour();
    const [storeA, storeB] = [`s-${randomUUID().slice(0, 8)}`, `s-${randomUUID().slice(0, 8)}`];
    const orders = await placeOrders(start, [
      { status: 'PAID', storeId: storeA },
      { status: 'WAIT_PAY', storeId: storeB },
      { status: 'PAID', storeId: storeB },
      { status: 'CANCELLED', storeId: storeA },
      { status: 'PAID', storeId: storeA },
    ]);
    const ids = (indexes: number[]) => [indexes.map((i) => orders[i]!.id)];

    expect(await pages({ ...within(start), status: 'PAID', limit: 2 })).toEqual([[orders[4]!.id, orders[2]!.id], [orders[0]!.id]]);
    expect(await pages({ storeId: storeA })).toEqual(ids([4, 3, 0]));
    expect(await pages({ storeId: storeA, status: 'PAID', limit: 1 })).toEqual([[orders[4]!.id], [orders[0]!.id]]);
    expect(await pages({ storeId: storeB, status: 'CANCELLED' })).toEqual([[]]);
    // Both bounds are inclusive: orders[1] was placed at start + 2 min, orders[3] at start + 4 min.
    expect(await pages({ from: minutesAfter(start, 2).toISOString(), to: minutesAfter(start, 4).toISOString() })).toEqual(ids([3, 2, 1]));
    // China time works as well as UTC: the same instant.
    const chinaTime = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().replace('.000Z', '+08:00');
    expect(await pages({ storeId: storeB, from: chinaTime(minutesAfter(start, 3)), to: chinaTime(minutesAfter(start, 59)) })).toEqual(ids([2]));
  });

  it('shows each of two orders placed in the same millisecond once, one per page', async () => {
    const at = minutesAfter(freshHour(), 1);
    const twins = await Promise.all([putOrder({ statuses: [['WAIT_PAY', at]] }), putOrder({ statuses: [['WAIT_PAY', at]] })]);

    const found = await pages({ ...within(at), limit: 1 });

    expect(found.flat().sort()).toEqual(idsOf(twins).sort());
    expect(found.filter((page) => page.length > 0)).toHaveLength(2);
  });

  it('hands out a cursor at the end of what a filtered read covered, and the next page goes on from there without a repeat or a gap', async () => {
    // A store filtered by status reads at most 4 x 200 index items per page: with 900 cancelled orders between its
    // paid ones, the first page stops short and its cursor marks a millisecond shown whole (an empty order id).
    const start = freshHour();
    const storeId = `store-${randomUUID().slice(0, 8)}`;
    const at = (tenths: number) => new Date(start.getTime() + tenths * 100);
    const cancelled = Array.from({ length: 900 }, (_, i) => at(10 + i));
    const newestCancelledFirst = [...cancelled].reverse();
    // Index items 1-800 are read: the newest paid order, then 799 cancelled ones; this paid one shares the last
    // millisecond read (the 799th newest cancelled order's), so it sits at the boundary, before or after it.
    const boundary = newestCancelledFirst[798]!;
    const place = (status: OrderStatus, createdAt: Date) =>
      putOrder({ storeId, statuses: status === 'WAIT_PAY' ? [['WAIT_PAY', createdAt]] : [['WAIT_PAY', createdAt], [status, createdAt]] });
    const [oldestPaid, olderPaid] = await Promise.all([place('PAID', at(1)), place('PAID', at(2))]);
    for (let i = 0; i < cancelled.length; i += 50) await Promise.all(cancelled.slice(i, i + 50).map((createdAt) => place('CANCELLED', createdAt)));
    const [atBoundary, newestPaid] = await Promise.all([place('PAID', boundary), place('PAID', at(2000))]);

    const first = bodyOf(await list({ ...within(start), storeId, status: 'PAID', limit: 5 }), 200);
    expect(first.items.map((order) => order.id)).toEqual([newestPaid!.id, atBoundary!.id]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const cursor = JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString('utf8'));
    expect([cursor.c, cursor.o]).toEqual([boundary.toISOString(), '']);

    const second = bodyOf(await list({ ...within(start), storeId, status: 'PAID', limit: 5, cursor: first.nextCursor! }), 200);
    expect(second.items.map((order) => order.id)).toEqual([olderPaid!.id, oldestPaid!.id]);
    expect(second.nextCursor).toBeNull();
  });

  it('shows an order once when its status changes between two pages', async () => {
    const start = freshHour();
    const [oldest, older, newer, newest] = await placeOrders(start, [{ status: 'PAID' }, { status: 'WAIT_PAY' }, { status: 'WAIT_PAY' }, { status: 'PAID' }]);
    const first = bodyOf(await list({ ...within(start), limit: 2 }), 200);
    expect(first.items.map((o) => o.id)).toEqual([newest!.id, newer!.id]);
    expect(first.nextCursor).toEqual(expect.any(String));

    await moveTo(newer!, 'CANCELLED');
    await moveTo(older!, 'PAID');
    const second = bodyOf(await list({ ...within(start), limit: 2, cursor: first.nextCursor! }), 200);

    expect(second.items.map((o) => [o.id, o.status])).toEqual([
      [older!.id, 'PAID'],
      [oldest!.id, 'PAID'],
    ]);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a cursor that was altered, made up, or issued for another filter with 400 INVALID_CURSOR', async () => {
    const start = freshHour();
    await placeOrders(start, [{ status: 'PAID' }, { status: 'PAID' }]);
    const { nextCursor } = bodyOf(await list({ ...within(start), status: 'PAID', limit: 1 }), 200);
    expect(nextCursor).toEqual(expect.any(String));
    const cursor = nextCursor!;
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const refused = [
      [within(start), cursor], // issued for status=PAID
      [{ ...within(start), status: 'PAID' }, encode({ ...decoded, f: 'AAAAAAAAAAAAAAAA' })],
      [{ ...within(start), status: 'PAID' }, encode({ ...decoded, c: '2090-01-01' })],
      [{ ...within(start), status: 'PAID' }, encode({ ...decoded, o: 'x' })],
      [{ ...within(start), status: 'PAID' }, encode({ ...decoded, extra: '1' })],
      [{ ...within(start), status: 'PAID' }, encode([decoded.c, decoded.o])],
      [{ ...within(start), status: 'PAID' }, cursor.slice(0, -4)],
      [{ ...within(start), status: 'PAID' }, 'not a cursor'],
    ] as const;

    for (const [query, bad] of refused) {
      expect(statusAndBody(await list({ ...query, limit: 1, cursor: bad }))).toEqual({ status: 400, body: { code: 'INVALID_CURSOR', message: expect.any(String) } });
    }
    expect((await list({ ...within(start), status: 'PAID', limit: 1, cursor })).status).toBe(200);
  });

  it('answers 400 VALIDATION_FAILED naming a bad limit, status, store, time or range', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ limit: '0' }, 'limit'],
      [{ limit: '101' }, 'limit'],
      [{ status: 'SHIPPED' }, 'status'],
      [{ storeId: 'a b' }, 'storeId'],
      [{ from: 'yesterday' }, 'from'],
      [{ to: '2090-01-01 08:00' }, 'to'],
      [{ from: '2090-01-02T00:00:00Z', to: '2090-01-01T00:00:00Z' }, 'to: must not be before from'],
    ];
    for (const [query, named] of cases) {
      // Values the client's types refuse, sent as they are: the server must refuse them too.
      const body = bodyOf(await list(query as ListQuery), 400);
      expect(body.code).toBe('VALIDATION_FAILED');
      expect(body.message).toContain(named);
    }
  });
});

describe('GET /admin/orders/{orderId}', () => {
  async function placeOrder() {
    const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } });
    const shopper = await newShopper(api.call);
    const order = bodyOf(await client.post('/orders', { token: shopper.token, body: { requestId: newRequestId(), storeId, items: [{ productId: 'latte', quantity: 1 }] } }), 201);
    bodyOf(await client.post('/orders/{orderId}/pay', { token: shopper.token, path: { orderId: order.id } }), 200);
    return { order, ...shopper };
  }
  const detail = (orderId: string) => client.get('/admin/orders/{orderId}', { adminKey, path: { orderId } });

  it('shows a paid order as its shopper sees it, with the user id, the payment, the notices and the history', async () => {
    const { order, token, userId } = await placeOrder();
    expect((await sandbox().pay(order.id)).tradeState).toBe('SUCCESS');
    // A cold webhook on a busy machine may miss WeChat Pay's 5 s answer window; its retry comes 15 s later.
    const row = await waitFor(() => getItem('orders', { orderId: order.id }), (item) => item?.status === 'PAID', 25_000);
    const claim = (status: 'WAIT_PAY' | 'PAID') => ({ orderId: order.id, status, userId, claimId: `c-${status}`, claimedAt: new Date() });
    await dynamoNoticeRepository.claim(claim('WAIT_PAY'));
    await dynamoNoticeRepository.record(claim('WAIT_PAY'), { result: 'SENT', msgid: 'm1' }, new Date('2026-11-28T08:00:05.000Z'));
    await dynamoNoticeRepository.claim(claim('PAID'));
    const shopperView = bodyOf(await client.get('/orders/{orderId}', { token, path: { orderId: order.id } }), 200);

    const body = bodyOf(await detail(order.id), 200);

    expect(body).toEqual({
      ...shopperView,
      userId,
      payments: [{ transactionId: row!.transactionId, amountFen: order.payableFen, paidAt: row!.paidAt }],
      notices: [
        { status: 'WAIT_PAY', result: 'SENT', sentAt: '2026-11-28T08:00:05.000Z' },
        { status: 'PAID', result: 'SENDING', sentAt: null },
      ],
      history: [
        { status: 'WAIT_PAY', at: order.createdAt },
        { status: 'PAID', at: expect.any(String) },
      ],
    });
  }, 45_000);

  it('shows the payment that landed after the cancellation, beside its refund', async () => {
    const { order, token } = await placeOrder();
    bodyOf(await client.post('/orders/{orderId}/cancel', { token, path: { orderId: order.id } }), 200);
    expect((await sandbox().pay(order.id, { force: true })).tradeState).toBe('SUCCESS');
    const row = await waitFor(() => getItem('orders', { orderId: order.id }), (item) => item?.refunds?.[0]?.status === 'SUCCESS', 25_000);

    const body = bodyOf(await detail(order.id), 200);

    expect(body).toMatchObject({
      status: 'CANCELLED',
      payments: [{ transactionId: row!.transactionId, amountFen: order.payableFen, paidAt: expect.any(String) }],
      refunds: [{ outRefundNo: `${order.id}-PAC`, reason: 'PAID_AFTER_CANCEL', status: 'SUCCESS' }],
      history: [expect.objectContaining({ status: 'WAIT_PAY' }), expect.objectContaining({ status: 'CANCELLED' })],
    });
  }, 45_000);

  it('shows an unpaid order with no payment and no notices, and answers 404 ORDER_NOT_FOUND for an unknown one', async () => {
    const unpaid = await putOrder({ statuses: [['WAIT_PAY', new Date()]] });

    expect(bodyOf(await detail(unpaid.id), 200)).toMatchObject({ id: unpaid.id, userId: unpaid.userId, payments: [], notices: [], history: unpaid.history });
    expect(await detail(`o${'0'.repeat(31)}`)).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_FOUND' } });
  });
});
