import { randomUUID } from 'node:crypto';
import { getItem } from '../support/dynamo';
import { newLoginCode, startApi } from '../support/api';

// Callers without credentials learn nothing about a route's schema; names and opening hours that would display
// wrongly are refused with a 400 naming the field, and nothing is written.
let api: Awaited<ReturnType<typeof startApi>>;
const ADMIN = { 'x-admin-key': process.env.ADMIN_API_KEY as string };
const good = { name: '测试店', address: '上海市静安区', location: { lat: 31.2, lng: 121.4 }, openHours: '08:00-22:00', status: 'OPEN' };

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('authentication before validation', () => {
  it('answers 401, not 400, to an admin edit with a bad body and no key or a wrong key', async () => {
    for (const headers of [{}, { 'x-admin-key': 'wrong' }] as Array<Record<string, string>>) {
      for (const body of ['{}', '{not json']) {
        expect(await api.call('PUT', '/admin/stores/store-001', { body, headers })).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
        expect(await api.call('PUT', '/admin/stores/%20/products/x', { body, headers })).toMatchObject({ status: 401 });
      }
    }
  });

  it('answers 401, not 400, to a user route with a bad query and no token', async () => {
    expect(await api.call('GET', '/me/coupons?status=x')).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
  });

  it('validates once the caller is known', async () => {
    const { code } = await newLoginCode(`refusals-${randomUUID()}`);
    const token = (await api.call('POST', '/auth/login', { body: { code } })).body.token as string;
    expect(await api.call('GET', '/me/coupons?status=x', { token })).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(await api.call('PUT', '/admin/stores/store-001', { body: '{}', headers: ADMIN })).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });
});

describe('text that would display wrongly', () => {
  it.each([
    ['08:00-24:59', 'openHours'],
    ['24:01', 'openHours'],
    ['00:00-24:30', 'openHours'],
    ['25:00-26:00', 'openHours'],
    ['08:00-08:00', 'openHours'],
  ])('refuses opening hours %s and writes nothing', async (openHours, field) => {
    const storeId = `hours-${randomUUID().slice(0, 8)}`;
    const response = await api.call('PUT', `/admin/stores/${storeId}`, { body: { ...good, openHours }, headers: ADMIN });
    expect(response).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', message: expect.stringContaining(`${field}:`) } });
    expect(await getItem('stores', { storeId })).toBeUndefined();
  });

  it.each([
    ['a lone surrogate', '\uD800店'],
    ['only NUL', '\u0000'],
    ['only zero-width spaces', '\u200B\u200B'],
    ['an RTL override', '店\u202Egnp.exe'],
    ['a control character', '店\u0007'],
    ['65 characters', '店'.repeat(65)],
  ])('refuses a store name with %s and writes nothing', async (_what, name) => {
    const storeId = `name-${randomUUID().slice(0, 8)}`;
    const response = await api.call('PUT', `/admin/stores/${storeId}`, { body: { ...good, name }, headers: ADMIN });
    expect(response).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/^name: /) } });
    expect(await getItem('stores', { storeId })).toBeUndefined();
  });

  it('refuses the same in a product name, and accepts a trimmed name with emoji counted as characters', async () => {
    const bad = await api.call('PUT', '/admin/stores/store-002/products/p-zero-width', { body: { name: '\u200B', priceFen: 100, stock: 1 }, headers: ADMIN });
    expect(bad).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^name: must contain at least one visible character/) } });
    expect(await getItem('products', { storeId: 'store-002', productId: 'p-zero-width' })).toBeUndefined();
    const ok = await api.call('PUT', '/admin/stores/store-002/products/p-emoji', { body: { name: `  ${'☕'.repeat(64)}  `, priceFen: 100, stock: 1 }, headers: ADMIN });
    expect(ok).toMatchObject({ status: 200, body: { name: '☕'.repeat(64) } });
  });

  it('accepts 24:00 as the end of a day and hours past midnight', async () => {
    for (const openHours of ['08:00-24:00', '22:00-02:00']) {
      const storeId = `ok-${randomUUID().slice(0, 8)}`;
      expect(await api.call('PUT', `/admin/stores/${storeId}`, { body: { ...good, openHours }, headers: ADMIN })).toMatchObject({ status: 200 });
      expect(await getItem('stores', { storeId })).toMatchObject({ openHours });
    }
  });
});
