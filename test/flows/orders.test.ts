import { randomUUID } from 'node:crypto';
import { bodyOf } from '../../client/api-client';
import { startApi } from '../support/api';
import { documentedClient } from '../support/api-client';
import { getItem, queryIndex, scanWhere } from '../support/dynamo';
import { giveCoupon, newRequestId, newShopper, newStore } from '../support/shop';

// Cart and order creation through the HTTP API (real handlers, DynamoDB Local, the broker): prices from the store,
// one transaction per order (order, stock, coupon, cart, events), idempotent on requestId, and races that have one
// winner. Each test uses a store of its own, so stock is never shared with another test. Calls go through the
// mini-program's typed client, which also refuses any answer the API document does not describe.
let api: Awaited<ReturnType<typeof startApi>>;
let shop: ReturnType<typeof documentedClient>;

beforeAll(async () => {
  api = await startApi();
  shop = documentedClient(api.gateway.url);
});
afterAll(() => api.close());

const stockOf = async (storeId: string, productId: string) => (await getItem('products', { storeId, productId }))?.stock as number;
const ordersOf = (userId: string) => queryIndex('orders', 'byUser', 'userId', userId);

async function userOrders(token: string) {
  return bodyOf(await shop.get('/orders', { token, query: { limit: 100 } }), 200).items;
}

const orderLatte = (token: string, storeId: string, quantity = 1, couponId?: string) =>
  shop.post('/orders', { token, body: { requestId: newRequestId(), storeId, items: [{ productId: 'latte', quantity }], ...(couponId ? { couponId } : {}) } });

describe('the cart', () => {
  it('is priced from the store, replaced whole, and refuses products the store does not sell', async () => {
    const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 }, bagel: { priceFen: 1200, stock: 10 } });
    const other = await newStore({ secret: { priceFen: 100, stock: 10 } });
    const { token } = await newShopper(api.call);

    expect(bodyOf(await shop.get('/cart', { token }), 200)).toEqual({ storeId: null, items: [], totalFen: 0 });
    const put = await shop.put('/cart', { token, body: { storeId, items: [{ productId: 'latte', quantity: 2 }, { productId: 'bagel', quantity: 1 }] } });
    expect({ status: put.status, body: put.body }).toEqual({
      status: 200,
      body: {
        storeId,
        items: [
          { productId: 'latte', name: '商品latte', quantity: 2, priceFen: 2800, subtotalFen: 5600 },
          { productId: 'bagel', name: '商品bagel', quantity: 1, priceFen: 1200, subtotalFen: 1200 },
        ],
        totalFen: 6800,
      },
    });
    expect((await shop.get('/cart', { token })).body).toEqual(put.body);

    for (const items of [[{ productId: 'secret', quantity: 1 }], [{ productId: 'nope', quantity: 1 }]]) {
      const refused = await shop.put('/cart', { token, body: { storeId, items } });
      expect(refused).toMatchObject({ status: 404, body: { code: 'PRODUCT_NOT_FOUND', message: `product ${items[0]?.productId} is not sold by this store` } });
    }
    expect((await shop.get('/cart', { token })).body).toEqual(put.body);
    expect(other.storeId).not.toBe(storeId);
  });

  it('refuses bad lines with a 400 naming the field', async () => {
    const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } });
    const { token } = await newShopper(api.call);
    for (const [items, field] of [
      [[{ productId: 'latte', quantity: 0 }], 'items.0.quantity'],
      [[{ productId: 'latte', quantity: 100 }], 'items.0.quantity'],
      [[{ productId: 'latte', quantity: 1 }, { productId: 'latte', quantity: 1 }], 'items: must name each product once'],
    ] as const) {
      const refused = await shop.put('/cart', { token, body: { storeId, items: [...items] } });
      expect(refused).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', message: expect.stringContaining(field) } });
    }
  });
});

describe('POST /orders', () => {
  it('orders the cart with a coupon: priced server-side, stock taken, coupon locked, cart emptied, in one go', async () => {
    const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 }, bagel: { priceFen: 1200, stock: 5 } });
    const { token, userId } = await newShopper(api.call);
    const couponId = await giveCoupon(userId, { discountFen: 500, thresholdFen: 2000 });
    await shop.put('/cart', { token, body: { storeId, items: [{ productId: 'latte', quantity: 2 }, { productId: 'bagel', quantity: 1 }] } });

    const requestId = newRequestId();
    const created = await shop.post('/orders', { token, body: { requestId, storeId, couponId } });

    const order = bodyOf(created, 201);
    expect(order).toMatchObject({
      storeId,
      status: 'WAIT_PAY',
      items: [
        { productId: 'latte', name: '商品latte', quantity: 2, priceFen: 2800 },
        { productId: 'bagel', name: '商品bagel', quantity: 1, priceFen: 1200 },
      ],
      totalFen: 6800,
      discountFen: 500,
      payableFen: 6300,
      couponId,
      paidAt: null,
      refunds: [],
    });
    expect(order.id).toMatch(/^[0-9A-Za-z_-]{6,32}$/);
    expect(new Date(order.payDeadline).getTime() - new Date(order.createdAt).getTime()).toBe(1800 * 1000);
    expect(await stockOf(storeId, 'latte')).toBe(8);
    expect(await stockOf(storeId, 'bagel')).toBe(4);
    expect(await getItem('userCoupons', { userId, couponId })).toMatchObject({ status: 'LOCKED', orderId: order.id });
    expect(await shop.get('/cart', { token })).toMatchObject({ body: { items: [] } });
    expect(bodyOf(await shop.get('/orders/{orderId}', { token, path: { orderId: order.id } }), 200)).toEqual(order);

    // The same request again (its first answer lost): the same order, 200, nothing taken twice.
    const again = await shop.post('/orders', { token, body: { requestId, storeId, couponId } });
    expect(bodyOf(again, 200)).toEqual(order);
    expect(await stockOf(storeId, 'latte')).toBe(8);
    // The same requestId for another order is refused.
    const reused = await shop.post('/orders', { token, body: { requestId, storeId, items: [{ productId: 'bagel', quantity: 1 }] } });
    expect(reused).toMatchObject({ status: 409, body: { code: 'REQUEST_ID_REUSED' } });
  });

  it('never lets the discount take the payable below 1 fen', async () => {
    const { storeId } = await newStore({ gum: { priceFen: 300, stock: 5 } });
    const { token, userId } = await newShopper(api.call);
    const couponId = await giveCoupon(userId, { discountFen: 1000, thresholdFen: 0 });
    const created = await shop.post('/orders', { token, body: { requestId: newRequestId(), storeId, couponId, items: [{ productId: 'gum', quantity: 1 }] } });
    expect(bodyOf(created, 201)).toMatchObject({ totalFen: 300, discountFen: 299, payableFen: 1 });
  });

  it('creates one order when the same requestId arrives 10 times at once', async () => {
    const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 50 } });
    const { token, userId } = await newShopper(api.call);
    const requestId = newRequestId();
    const body = { requestId, storeId, items: [{ productId: 'latte', quantity: 3 }] };

    const answers = await Promise.all(Array.from({ length: 10 }, () => shop.post('/orders', { token, body })));

    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => bodyOf(a, a.status === 201 ? 201 : 200).id)).size).toBe(1);
    expect(await ordersOf(userId)).toHaveLength(1);
    expect(await stockOf(storeId, 'latte')).toBe(47);
  });

  it('lets exactly one of 20 concurrent orders use a coupon; the others get 409 COUPON_NOT_USABLE', async () => {
    const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 100 } });
    const { token, userId } = await newShopper(api.call);
    const couponId = await giveCoupon(userId);

    const answers = await Promise.all(Array.from({ length: 20 }, () => orderLatte(token, storeId, 1, couponId)));

    const won = answers.filter((a) => a.status === 201);
    expect(won).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409).map((a) => bodyOf(a, 409).code)).toEqual(Array(19).fill('COUPON_NOT_USABLE'));
    expect(await getItem('userCoupons', { userId, couponId })).toMatchObject({ status: 'LOCKED', orderId: won[0] && bodyOf(won[0], 201).id });
    expect(await ordersOf(userId)).toHaveLength(1);
    expect(await stockOf(storeId, 'latte')).toBe(99);
  });

  it('sells exactly the stock when 20 shoppers race for 5 units, never below zero', async () => {
    const { storeId } = await newStore({ croissant: { priceFen: 1500, stock: 5 } });
    const shoppers = await Promise.all(Array.from({ length: 20 }, () => newShopper(api.call)));

    const answers = await Promise.all(
      shoppers.map(({ token }) => shop.post('/orders', { token, body: { requestId: newRequestId(), storeId, items: [{ productId: 'croissant', quantity: 1 }] } })),
    );

    expect(answers.filter((a) => a.status === 201)).toHaveLength(5);
    expect(answers.filter((a) => a.status === 409).map((a) => bodyOf(a, 409).code)).toEqual(Array(15).fill('OUT_OF_STOCK'));
    expect(await stockOf(storeId, 'croissant')).toBe(0);
    // The orders table holds exactly the 5 orders answered 201, and none for a refused shopper.
    const sold = answers.filter((a) => a.status === 201).map((a) => bodyOf(a, 201).id).sort();
    const stored = await scanWhere('orders', (item) => item.storeId === storeId);
    expect(stored.map((item) => item.orderId).sort()).toEqual(sold);
  });

  describe('refuses bad input with a 4xx naming the problem and changes nothing', () => {
    it.each([
      ['an unknown product', { items: [{ productId: 'nope', quantity: 1 }] }, 404, 'PRODUCT_NOT_FOUND', 'product nope'],
      ['quantity 0', { items: [{ productId: 'latte', quantity: 0 }] }, 400, 'VALIDATION_FAILED', 'items.0.quantity'],
      ['quantity -1', { items: [{ productId: 'latte', quantity: -1 }] }, 400, 'VALIDATION_FAILED', 'items.0.quantity'],
      ['quantity 10^9', { items: [{ productId: 'latte', quantity: 1e9 }] }, 400, 'VALIDATION_FAILED', 'items.0.quantity'],
      ['a product of another store', { items: [{ productId: 'secret', quantity: 1 }] }, 404, 'PRODUCT_NOT_FOUND', 'product secret'],
      ['an empty order', { items: [] }, 400, 'EMPTY_ORDER', 'no items'],
      ['no items and an empty cart', {}, 400, 'EMPTY_ORDER', 'no items'],
      ['a missing requestId', { requestId: undefined, items: [{ productId: 'latte', quantity: 1 }] }, 400, 'VALIDATION_FAILED', 'requestId'],
      ['another user\'s coupon', { items: [{ productId: 'latte', quantity: 1 }], couponId: 'THEIRS' }, 409, 'COUPON_NOT_USABLE', 'you hold no such coupon'],
      ['a coupon below its threshold', { items: [{ productId: 'latte', quantity: 1 }], couponId: 'HIGH' }, 409, 'COUPON_NOT_USABLE', 'applies from 9000'],
    ])('%s', async (_what, overrides, status, code, message) => {
      const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } });
      await newStore({ secret: { priceFen: 100, stock: 10 } });
      const { token, userId } = await newShopper(api.call);
      const someoneElse = await newShopper(api.call);
      const theirs = await giveCoupon(someoneElse.userId);
      const high = await giveCoupon(userId, { thresholdFen: 9000 });
      const couponId = (overrides as { couponId?: string }).couponId === 'THEIRS' ? theirs : (overrides as { couponId?: string }).couponId === 'HIGH' ? high : undefined;

      // The raw call: some of these bodies (a missing requestId) would not compile through the typed client.
      const answer = await api.call('POST', '/orders', { token, body: { requestId: newRequestId(), storeId, ...overrides, ...(couponId ? { couponId } : {}) } });

      expect(answer).toMatchObject({ status, body: { code, message: expect.stringContaining(message) } });
      expect(await ordersOf(userId)).toEqual([]);
      expect(await stockOf(storeId, 'latte')).toBe(10);
      expect(await getItem('userCoupons', { userId: someoneElse.userId, couponId: theirs })).toMatchObject({ status: 'UNUSED' });
      expect((await getItem('userCoupons', { userId, couponId: high }))?.orderId).toBeUndefined();
    });
  });

  it('refuses an order at a closed store', async () => {
    const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } }, 'CLOSED');
    const { token } = await newShopper(api.call);
    const answer = await orderLatte(token, storeId);
    expect(answer).toMatchObject({ status: 409, body: { code: 'STORE_CLOSED' } });
    expect(await stockOf(storeId, 'latte')).toBe(10);
  });
});

describe('reading and cancelling orders', () => {
  it('lists the caller\'s orders newest first, a page at a time, and refuses a cursor that is not theirs', async () => {
    const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 50 } });
    const { token } = await newShopper(api.call);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(bodyOf(await orderLatte(token, storeId), 201).id);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const first = bodyOf(await shop.get('/orders', { token, query: { limit: 2 } }), 200);
    expect(first.items.map((o) => o.id)).toEqual([ids[2], ids[1]]);
    const second = bodyOf(await shop.get('/orders', { token, query: { limit: 2, cursor: first.nextCursor } }), 200);
    expect(second.items.map((o) => o.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeUndefined();

    const someoneElse = await newShopper(api.call);
    const stolen = await shop.get('/orders', { token: someoneElse.token, query: { limit: 2, cursor: first.nextCursor } });
    expect(stolen).toMatchObject({ status: 400, body: { code: 'INVALID_CURSOR' } });
    expect(await shop.get('/orders', { token, query: { cursor: 'bm90LWEtY3Vyc29y' } })).toMatchObject({ status: 400, body: { code: 'INVALID_CURSOR' } });
  });

  it('cancels an unpaid order: stock and coupon come back, once', async () => {
    const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } });
    const { token, userId } = await newShopper(api.call);
    const couponId = await giveCoupon(userId);
    const order = bodyOf(await orderLatte(token, storeId, 3, couponId), 201);

    const cancelled = await shop.post('/orders/{orderId}/cancel', { token, path: { orderId: order.id } });

    expect(cancelled).toMatchObject({ status: 200, body: { id: order.id, status: 'CANCELLED', cancelledAt: expect.any(String) } });
    expect(await stockOf(storeId, 'latte')).toBe(10);
    expect(await getItem('userCoupons', { userId, couponId })).toMatchObject({ status: 'UNUSED' });
    expect((await getItem('userCoupons', { userId, couponId }))?.orderId).toBeUndefined();
    const twice = await shop.post('/orders/{orderId}/cancel', { token, path: { orderId: order.id } });
    expect(twice).toMatchObject({ status: 409, body: { code: 'ORDER_NOT_CANCELLABLE', message: `order ${order.id} is CANCELLED, so it cannot be cancelled` } });
    expect(await stockOf(storeId, 'latte')).toBe(10);
    expect((await userOrders(token))[0]).toMatchObject({ id: order.id, status: 'CANCELLED' });
  });

  it('hides another user\'s order exactly as a missing one: 404 ORDER_NOT_FOUND to read or cancel', async () => {
    const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } });
    const owner = await newShopper(api.call);
    const order = bodyOf(await orderLatte(owner.token, storeId), 201);
    const intruder = await newShopper(api.call);
    const missing = `o${randomUUID().replace(/-/g, '').slice(0, 31)}`;

    const read = (orderId: string) => shop.get('/orders/{orderId}', { token: intruder.token, path: { orderId } });
    const cancel = (orderId: string) => shop.post('/orders/{orderId}/cancel', { token: intruder.token, path: { orderId } });
    for (const attempt of [read, cancel]) {
      expect(bodyOf(await attempt(order.id), 404)).toEqual({ code: 'ORDER_NOT_FOUND', message: `order ${order.id} does not exist` });
      expect(bodyOf(await attempt(missing), 404)).toEqual({ code: 'ORDER_NOT_FOUND', message: `order ${missing} does not exist` });
    }
    expect(await getItem('orders', { orderId: order.id })).toMatchObject({ status: 'WAIT_PAY' });
  });

  it('shows order-driven stock in the store\'s product list within the cache bound', async () => {
    const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } });
    const { token } = await newShopper(api.call);
    const stock = async () => bodyOf(await shop.get('/stores/{storeId}/products', { path: { storeId } }), 200).items[0]?.stock;
    expect(await stock()).toBe(10);
    await orderLatte(token, storeId, 4);
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.STORE_CACHE_CHECK_MS ?? 1000) + 50));
    expect(await stock()).toBe(6);
  });

  it('shows the stock back in the store\'s product list after a cancellation, within the cache bound', async () => {
    const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } });
    const { token } = await newShopper(api.call);
    const stock = async () => bodyOf(await shop.get('/stores/{storeId}/products', { path: { storeId } }), 200).items[0]?.stock;
    const cacheBound = () => new Promise((resolve) => setTimeout(resolve, Number(process.env.STORE_CACHE_CHECK_MS ?? 1000) + 50));
    expect(await stock()).toBe(10);
    const order = bodyOf(await orderLatte(token, storeId, 1), 201);
    await cacheBound();
    expect(await stock()).toBe(9);

    expect(await shop.post('/orders/{orderId}/cancel', { token, path: { orderId: order.id } })).toMatchObject({ status: 200, body: { status: 'CANCELLED' } });
    await cacheBound();
    // Served through every cache level (in-process, Redis) within the bound, not after the entries' TTL.
    expect(await stock()).toBe(10);
  });
});
