import { randomUUID } from 'node:crypto';
import { bodyOf } from '../../client/api-client';
import type { components } from '../../client/api-types';
import { startApi } from '../support/api';
import { documentedClient, statusAndBody } from '../support/api-client';
import { pollOnce } from '../support/consumers';
import { getItem, scanWhere } from '../support/dynamo';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { LOCAL_ADMIN_API_KEY } from '../../local/services/backing';

// Store edits through the HTTP API (real handlers), then StoreUpdated through the broker to its consumer. Calls go
// through the typed client, which refuses any answer the API document does not describe.
let mq: PrivateMq;
let api: Awaited<ReturnType<typeof startApi>>;
let client: ReturnType<typeof documentedClient>;
let consumer: typeof import('../../functions/store-updated-consumer/handler').handler;

beforeAll(async () => {
  mq = await startPrivateMq();
  api = await startApi();
  client = documentedClient(api.gateway.url);
  consumer = (await import('../../functions/store-updated-consumer/handler')).handler;
});
afterAll(async () => {
  await api.close();
  await mq.stop();
  mq.restoreEnv();
});

const adminKey = LOCAL_ADMIN_API_KEY;
type StoreBody = components['schemas']['AdminPutStoreBody'];
const store = { name: '测试店', address: '上海市测试路1号', location: { lat: 31.2, lng: 121.5 }, openHours: '08:00-22:00', status: 'OPEN' } satisfies StoreBody;
/** `key` undefined sends no X-Admin-Key. */
const putStoreWithKey = (key: string | undefined, storeId: string, body: StoreBody) => client.put('/admin/stores/{storeId}', { adminKey: key, path: { storeId }, body });
const putStore = (storeId: string, body: StoreBody) => putStoreWithKey(adminKey, storeId, body);
const putProduct = (storeId: string, productId: string, body: components['schemas']['AdminPutProductBody']) =>
  client.put('/admin/stores/{storeId}/products/{productId}', { adminKey, path: { storeId, productId }, body });
const readStore = (storeId: string) => client.get('/stores/{storeId}', { path: { storeId } });
const readProducts = (storeId: string) => client.get('/stores/{storeId}/products', { path: { storeId } });
const newStoreId = () => `store-${randomUUID().slice(0, 8)}`;
const storeUpdatedEvents = (storeId: string) => scanWhere('outbox', (item) => item.name === 'StoreUpdated' && item.body?.storeId === storeId);

describe('PUT /admin/stores/{storeId}', () => {
  it('answers 401 UNAUTHORIZED without the admin key or with a wrong one, and writes nothing', async () => {
    const storeId = newStoreId();
    const missing = await putStoreWithKey(undefined, storeId, store);
    const wrong = await putStoreWithKey('guess', storeId, store);

    expect(statusAndBody(missing)).toEqual({ status: 401, body: { code: 'UNAUTHORIZED', message: 'the X-Admin-Key header is required' } });
    expect(wrong.status).toBe(401);
    expect(await getItem('stores', { storeId })).toBeUndefined();
  });

  it('answers 400 VALIDATION_FAILED naming each bad field, and writes nothing', async () => {
    const storeId = newStoreId();
    // A body the client's types refuse (no name), sent as it is: the server must refuse it too.
    const body = bodyOf(await putStore(storeId, { ...store, name: undefined, location: { lat: 200, lng: 121 }, openHours: '8am' } as never), 400);

    expect(body.code).toBe('VALIDATION_FAILED');
    for (const field of ['name', 'location.lat', 'openHours']) expect(body.message).toContain(field);
    expect(await getItem('stores', { storeId })).toBeUndefined();
    expect(await storeUpdatedEvents(storeId)).toEqual([]);
  });

  it('creates and edits a store that every read route serves at once, and publishes StoreUpdated', async () => {
    const storeId = newStoreId();
    const created = await putStore(storeId, store);
    expect(statusAndBody(created)).toEqual({ status: 200, body: { id: storeId, ...store } });
    expect(bodyOf(await readStore(storeId), 200).name).toBe('测试店');

    const edited = await putStore(storeId, { ...store, name: '测试店（新）', status: 'CLOSED' });
    expect(edited.status).toBe(200);

    expect(bodyOf(await readStore(storeId), 200)).toMatchObject({ name: '测试店（新）', status: 'CLOSED' });
    const listed = bodyOf(await client.get('/stores'), 200).items.find((s) => s.id === storeId);
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
    const body = bodyOf(await putProduct(storeId, 'tea', { name: 'Tea', priceFen: 900, stock: 5 }), 404);

    expect(body.code).toBe('STORE_NOT_FOUND');
    expect(await getItem('products', { storeId, productId: 'tea' })).toBeUndefined();
    expect(await storeUpdatedEvents(storeId)).toEqual([]);
  });

  it('adds a product that GET /stores/{storeId}/products serves at once', async () => {
    const storeId = newStoreId();
    expect((await putStore(storeId, store)).status).toBe(200);
    expect(bodyOf(await readProducts(storeId), 200)).toEqual({ items: [] });

    const product = await putProduct(storeId, 'tea', { name: 'Tea', priceFen: 900, stock: 5 });

    expect(statusAndBody(product)).toEqual({ status: 200, body: { id: 'tea', name: 'Tea', priceFen: 900, stock: 5 } });
    expect(bodyOf(await readProducts(storeId), 200)).toEqual({ items: [{ id: 'tea', name: 'Tea', priceFen: 900, stock: 5 }] });
  });

  it('answers 400 naming a negative price and a fractional stock', async () => {
    const body = bodyOf(await putProduct('store-001', 'latte', { name: 'Latte', priceFen: -1, stock: 1.5 }), 400);
    expect(body.message).toContain('priceFen');
    expect(body.message).toContain('stock');
  });

  it('answers 404 STORE_NOT_FOUND for the products of an unknown store', async () => {
    const body = bodyOf(await readProducts(newStoreId()), 404);
    expect(body.code).toBe('STORE_NOT_FOUND');
  });
});
