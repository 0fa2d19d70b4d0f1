import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../shared/adapters/dynamodb/client';
import { dynamoPaymentAnomalies } from '../../shared/adapters/dynamodb/payment-ledger';
import { tableName } from '../../shared/config/tables';
import type { PaymentAnomaly } from '../../shared/domain/payment/payment';
import { admin, freshHour, minutesAfter } from '../support/admin';
import { startApi } from '../support/api';
import { newStore } from '../support/shop';

// The console's other reads (stores, payment anomalies) and the admin key in front of every console route, through
// the local gateway and the real handlers.
let api: Awaited<ReturnType<typeof startApi>>;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('the admin key', () => {
  // Each route with input its schema refuses: a wrong key must be told 401 before anything is validated.
  const routes = [
    '/admin/orders?limit=0&status=NOPE',
    '/admin/orders/not!an!id',
    '/admin/stores',
    '/admin/payment-anomalies?limit=1000',
    '/admin/stats?from=never',
  ];

  it.each(routes)('GET %s answers 401 UNAUTHORIZED for another key, and for none, before any validation', async (path) => {
    expect(await api.call('GET', path, { headers: { 'x-admin-key': 'another-admin-key' } })).toEqual({ status: 401, body: { code: 'UNAUTHORIZED', message: 'the admin key is not valid' } });
    expect(await api.call('GET', path)).toEqual({ status: 401, body: { code: 'UNAUTHORIZED', message: 'the X-Admin-Key header is required' } });
  });
});

describe('GET /admin/stores', () => {
  it('lists closed stores too, as DynamoDB has them at once (not the shoppers\' cache)', async () => {
    const open = await newStore({});
    const closed = await newStore({}, 'CLOSED');
    await api.call('GET', '/stores'); // the shoppers' cache now holds the stores
    const renamed = `改名店-${randomUUID().slice(0, 4)}`;
    await dynamo().send(
      new UpdateCommand({ TableName: tableName('stores'), Key: { storeId: open.storeId }, UpdateExpression: 'SET #name = :name', ExpressionAttributeNames: { '#name': 'name' }, ExpressionAttributeValues: { ':name': renamed } }),
    );

    const { status, body } = await api.call('GET', '/admin/stores', { headers: admin });

    expect(status).toBe(200);
    const byId = new Map(body.items.map((store: { id: string }) => [store.id, store]));
    expect(byId.get(closed.storeId)).toEqual({
      id: closed.storeId,
      name: '测试门店',
      address: '上海市测试路1号',
      location: { lat: 31.2, lng: 121.4 },
      openHours: '08:00-22:00',
      status: 'CLOSED',
    });
    expect(byId.get(open.storeId)).toMatchObject({ name: renamed, status: 'OPEN' });
  });
});

describe('GET /admin/payment-anomalies', () => {
  const list = (query: Record<string, string>) => api.call('GET', `/admin/payment-anomalies?${new URLSearchParams(query)}`, { headers: admin });

  /** Five anomalies newer than any other test's (far in the future), the newest last. */
  async function recordAnomalies(): Promise<PaymentAnomaly[]> {
    const start = freshHour();
    const anomalies: PaymentAnomaly[] = Array.from({ length: 5 }, (_, i) => {
      const outTradeNo = `o${randomUUID().replace(/-/g, '').slice(0, 31)}`;
      const transactionId = i === 0 ? undefined : `42000${i}${Date.now()}`;
      return { id: `${outTradeNo}.${transactionId ?? 'none'}.AMOUNT_MISMATCH`, outTradeNo, transactionId, kind: 'AMOUNT_MISMATCH', expected: '2800 fen', received: '1 fen', at: minutesAfter(start, i).toISOString() };
    });
    for (const anomaly of anomalies) expect(await dynamoPaymentAnomalies.record(anomaly)).toBe(true);
    return anomalies;
  }

  it('lists anomalies newest first, a page at a time, with a null transactionId where WeChat Pay gave none', async () => {
    const anomalies = await recordAnomalies();
    const newestFirst = [...anomalies].reverse();

    const first = await list({ limit: '2' });
    const second = await list({ limit: '2', cursor: first.body.nextCursor });
    const third = await list({ limit: '1', cursor: second.body.nextCursor });

    expect(first.body.items).toEqual(newestFirst.slice(0, 2));
    expect(second.body.items).toEqual(newestFirst.slice(2, 4));
    expect(third.body.items).toEqual([{ ...anomalies[0], transactionId: null }]);
    expect(third.body.nextCursor).toEqual(expect.any(String));
  });

  it('refuses an altered or made-up cursor with 400 INVALID_CURSOR, and a bad limit with 400 VALIDATION_FAILED', async () => {
    await recordAnomalies();
    const { body } = await list({ limit: '1' });
    const decoded = JSON.parse(Buffer.from(body.nextCursor, 'base64url').toString('utf8'));
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    for (const bad of [encode({ ...decoded, at: 'soon' }), encode({ ...decoded, listShard: 'other' }), encode({ at: decoded.at }), 'x']) {
      expect(await list({ cursor: bad })).toEqual({ status: 400, body: { code: 'INVALID_CURSOR', message: expect.any(String) } });
    }
    expect(await list({ limit: '101' })).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', message: expect.stringContaining('limit') } });
  });
});
