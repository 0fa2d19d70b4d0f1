import { randomUUID } from 'node:crypto';
import { startApi } from '../support/api';
import { pollOnce } from '../support/consumers';
import { getItem, scanWhere } from '../support/dynamo';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { LOCAL_ADMIN_API_KEY } from '../../local/services/backing';

// Store edits through the HTTP API (real handlers), then StoreUpdated through the broker to its consumer.
let mq: PrivateMq;
let api: Awaited<ReturnType<typeof startApi>>;
let consumer: typeof import('../../functions/store-updated-consumer/handler').handler;

beforeAll(async () => {
  mq = await startPrivateMq();
  api = await startApi();
  consumer = (await import('../../functions/store-updated-consumer/handler')).handler;
});
afterAll(async () => {
  await api.close();
  await mq.stop();
  mq.restoreEnv();
});

const admin = { 'x-admin-key': LOCAL_ADMIN_API_KEY };
const store = { name: '测试店', address: '上海市测试路1号', location: { lat: 31.2, lng: 121.5 }, openHours: '08:00-22:00', status: 'OPEN' };
const newStoreId = () => `store-${randomUUID().slice(0, 8)}`;
const storeUpdatedEvents = (storeId: string) => scanWhere('outbox', (item) => item.name === 'StoreUpdated' && item.body?.storeId === storeId);

describe('PUT /admin/stores/{storeId}', () => {
  it('answers 401 UNAUTHORIZED without the admin key or with a wrong one, and writes nothing', async () => {
    const storeId = newStoreId();
    const missing = await api.call('PUT', `/admin/stores/${storeId}`, { body: store });
    const wrong = await api.call('PUT', `/admin/stores/${storeId}`, { body: store, headers: { 'x-admin-key': 'guess' } });

    expect(missing).toEqual({ status: 401, body: { code: 'UNAUTHORIZED', message: 'the X-Admin-Key header is required' } });
    expect(wrong.status).toBe(401);
    expect(await getItem('stores', { storeId })).toBeUndefined();
  });

  it('answers 400 VALIDATION_FAILED naming each bad field, and writes nothing', async () => {
    const storeId = newStoreId();
    const { status, body } = await api.call('PUT', `/admin/stores/${storeId}`, {
      body: { ...store, name: undefined, location: { lat: 200, lng: 121 }, openHours: '8am' },
      headers: admin,
    });

    expect(status).toBe(400);
    expect(body.code).toBe('VALIDATION_FAILED');
    for (const field of ['name', 'location.lat', 'openHours']) expect(body.message).toContain(field);
    expect(await getItem('stores', { storeId })).toBeUndefined();
    expect(await storeUpdatedEvents(storeId)).toEqual([]);
  });

  it('creates and edits a store that every read route serves at once, and publishes StoreUpdated', async () => {
    const storeId = newStoreId();
    const created = await api.call('PUT', `/admin/stores/${storeId}`, { body: store, headers: admin });
    expect(created).toEqual({ status: 200, body: { id: storeId, ...store } });
    expect((await api.call('GET', `/stores/${storeId}`)).body.name).toBe('测试店');

    const edited = await api.call('PUT', `/admin/stores/${storeId}`, { body: { ...store, name: '测试店（新）', status: 'CLOSED' }, headers: admin });
    expect(edited.status).toBe(200);

    expect((await api.call('GET', `/stores/${storeId}`)).body).toMatchObject({ name: '测试店（新）', status: 'CLOSED' });
    const listed = (await api.call('GET', '/stores')).body.items.find((s: { id: string }) => s.id === storeId);
    expect(listed).toMatchObject({ name: '测试店（新）' });
    const events = await storeUpdatedEvents(storeId);
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.publishedAt && !e.pendingShard)).toBe(true);

    const result = await pollOnce(consumer, 1);
    expect(result.succeeded).toBeGreaterThanOrEqual(2);
    expect(result.failed).toBe(0);
  });
});

describe('PUT /admin/stores/{storeId}/products/{productId}', () => {
  it('answers 404 STORE_NOT_FOUND for an unknown store and writes nothing', async () => {
    const storeId = newStoreId();
    const { status, body } = await api.call('PUT', `/admin/stores/${storeId}/products/tea`, { body: { name: 'Tea', priceFen: 900, stock: 5 }, headers: admin });

    expect(status).toBe(404);
    expect(body.code).toBe('STORE_NOT_FOUND');
    expect(await getItem('products', { storeId, productId: 'tea' })).toBeUndefined();
    expect(await storeUpdatedEvents(storeId)).toEqual([]);
  });

  it('adds a product that GET /stores/{storeId}/products serves at once', async () => {
    const storeId = newStoreId();
    await api.call('PUT', `/admin/stores/${storeId}`, { body: store, headers: admin });
    expect((await api.call('GET', `/stores/${storeId}/products`)).body).toEqual({ items: [] });

    const product = await api.call('PUT', `/admin/stores/${storeId}/products/tea`, { body: { name: 'Tea', priceFen: 900, stock: 5 }, headers: admin });

    expect(product).toEqual({ status: 200, body: { id: 'tea', name: 'Tea', priceFen: 900, stock: 5 } });
    expect((await api.call('GET', `/stores/${storeId}/products`)).body).toEqual({ items: [{ id: 'tea', name: 'Tea', priceFen: 900, stock: 5 }] });
  });

  it('answers 400 naming a negative price and a fractional stock', async () => {
    const { status, body } = await api.call('PUT', '/admin/stores/store-001/products/latte', { body: { name: 'Latte', priceFen: -1, stock: 1.5 }, headers: admin });
    expect(status).toBe(400);
    expect(body.message).toContain('priceFen');
    expect(body.message).toContain('stock');
  });

  it('answers 404 STORE_NOT_FOUND for the products of an unknown store', async () => {
    const { status, body } = await api.call('GET', `/stores/${newStoreId()}/products`);
    expect(status).toBe(404);
    expect(body.code).toBe('STORE_NOT_FOUND');
  });
});
