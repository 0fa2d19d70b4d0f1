import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../shared/adapters/dynamodb/client';
import { dynamoPaymentAnomalies } from '../../shared/adapters/dynamodb/payment-ledger';
import { tableName } from '../../shared/config/tables';
import type { PaymentAnomaly } from '../../shared/domain/payment/payment';
import { bodyOf } from '../../client/api-client';
import { freshHour, minutesAfter } from '../support/admin';
import { startApi } from '../support/api';
import { documentedClient, statusAndBody } from '../support/api-client';
import { newStore } from '../support/shop';
import { LOCAL_ADMIN_API_KEY } from '../../local/services/backing';

// The console's other reads (stores, payment anomalies) and the admin key in front of every console route, through
// the local gateway and the real handlers. Calls go through the typed client, which refuses any answer the API
// document does not describe.
let api: Awaited<ReturnType<typeof startApi>>;
let client: ReturnType<typeof documentedClient>;

beforeAll(async () => {
  api = await startApi();
  client = documentedClient(api.gateway.url);
});
afterAll(() => api.close());

const adminKey = LOCAL_ADMIN_API_KEY;

describe('the admin key', () => {
  // Each route with input its schema refuses (values the client's types refuse, sent as they are): a wrong key must
  // be told 401 before anything is validated.
  const routes: Array<[string, (adminKey?: string) => Promise<{ status: number; body: unknown }>]> = [
    ['/admin/orders?limit=0&status=NOPE', (key) => client.get('/admin/orders', { adminKey: key, query: { limit: 0, status: 'NOPE' as never } })],
    ['/admin/orders/not!an!id', (key) => client.get('/admin/orders/{orderId}', { adminKey: key, path: { orderId: 'not!an!id' } })],
    ['/admin/stores', (key) => client.get('/admin/stores', { adminKey: key })],
    ['/admin/payment-anomalies?limit=1000', (key) => client.get('/admin/payment-anomalies', { adminKey: key, query: { limit: 1000 } })],
    ['/admin/stats?from=never', (key) => client.get('/admin/stats', { adminKey: key, query: { from: 'never' } as never })],
  ];

  it.each(routes)('GET %s answers 401 UNAUTHORIZED for another key, and for none, before any validation', async (_path, get) => {
    expect(statusAndBody(await get('another-admin-key'))).toEqual({ status: 401, body: { code: 'UNAUTHORIZED', message: 'the admin key is not valid' } });
    expect(statusAndBody(await get())).toEqual({ status: 401, body: { code: 'UNAUTHORIZED', message: 'the X-Admin-Key header is required' } });
  });
});

describe('GET /admin/stores', () => {
  it('lists closed stores too, as DynamoDB has them at once (not the shoppers\' cache)', async () => {
    const open = await newStore({});
    const closed = await newStore({}, 'CLOSED');
    bodyOf(await client.get('/stores'), 200); // the shoppers' cache now holds the stores
    const renamed = `改名店-${randomUUID().slice(0, 4)}`;
    await dynamo().send(
      new UpdateCommand({ TableName: tableName('stores'), Key: { storeId: open.storeId }, UpdateExpression: 'SET #name = :name', ExpressionAttributeNames: { '#name': 'name' }, ExpressionAttributeValues: { ':name': renamed } }),
    );

    const body = bodyOf(await client.get('/admin/stores', { adminKey }), 200);

    const byId = new Map(body.items.map((store) => [store.id, store]));
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
  const list = (query: { limit?: number; cursor?: string }) => client.get('/admin/payment-anomalies', { adminKey, query });

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

    const first = bodyOf(await list({ limit: 2 }), 200);
    const second = bodyOf(await list({ limit: 2, cursor: first.nextCursor! }), 200);
    const third = bodyOf(await list({ limit: 1, cursor: second.nextCursor! }), 200);

    expect(first.items).toEqual(newestFirst.slice(0, 2));
    expect(second.items).toEqual(newestFirst.slice(2, 4));
    expect(third.items).toEqual([{ ...anomalies[0], transactionId: null }]);
    expect(third.nextCursor).toEqual(expect.any(String));
  });

  it('refuses an altered or made-up cursor with 400 INVALID_CURSOR, and a bad limit with 400 VALIDATION_FAILED', async () => {
    await recordAnomalies();
    const { nextCursor } = bodyOf(await list({ limit: 1 }), 200);
    expect(nextCursor).toEqual(expect.any(String));
    const decoded = JSON.parse(Buffer.from(nextCursor!, 'base64url').toString('utf8'));
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    for (const bad of [encode({ ...decoded, at: 'soon' }), encode({ ...decoded, listShard: 'other' }), encode({ at: decoded.at }), 'x']) {
      expect(statusAndBody(await list({ cursor: bad }))).toEqual({ status: 400, body: { code: 'INVALID_CURSOR', message: expect.any(String) } });
    }
    expect(await list({ limit: 101 })).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', message: expect.stringContaining('limit') } });
  });
});
