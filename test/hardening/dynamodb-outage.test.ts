import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoLocal, localDynamoClient } from '../../local/services/dynamodb-local';
import { createTables } from '../../local/services/tables';
import { seed } from '../../local/services/seed';
import type { RunningService } from '../../local/services/child-process';
import { toErrorResponse } from '../../shared/lambda/http-errors';
import { DependencyUnavailableError } from '../../shared/ports/errors';
import { newLoginCode, startApi, type ApiResponse } from '../support/api';
import { overrideEnv } from '../support/env';

// DynamoDB frozen (SIGSTOP: connections open, no answers) and then stopped: every request that needs it answers
// 503 DEPENDENCY_UNAVAILABLE with Retry-After within 3 s, never a 500 and never a hang; reads the cache can serve keep
// working; a malformed token is still 401. A private DynamoDB Local, so that the rest of the suite is not disturbed.
let dynamo: RunningService;
let restoreEnv: () => void;
let api: Awaited<ReturnType<typeof startApi>>;
let token: string;

const ADMIN = { 'x-admin-key': 'local-admin-key' };
const store = { name: '测试店', address: '上海市', location: { lat: 31, lng: 121 }, openHours: '08:00-22:00', status: 'OPEN' };

async function timed(call: () => Promise<ApiResponse>): Promise<ApiResponse & { ms: number }> {
  const started = Date.now();
  const response = await call();
  // A spread leaves out the non-enumerable headers: carry them over.
  return { ...response, headers: response.headers, ms: Date.now() - started };
}

/** The Retry-After the HTTP layer gives a DynamoDB outage (shared/lambda/http-errors.ts does not export its table). */
const RETRY_AFTER_ON_503 = toErrorResponse(new DependencyUnavailableError('dynamodb', 'outage'))?.headers['retry-after'];

function expectUnavailable(response: ApiResponse & { ms: number }) {
  expect(response.status).toBe(503);
  expect(response.body).toEqual({ code: 'DEPENDENCY_UNAVAILABLE', message: 'a service this request needs is unavailable; try again shortly' });
  expect(RETRY_AFTER_ON_503).toMatch(/^[1-9][0-9]*$/);
  expect(response.headers.get('retry-after')).toBe(RETRY_AFTER_ON_503);
  expect(response.ms).toBeLessThan(3_000);
}

beforeAll(async () => {
  dynamo = await startDynamoLocal();
  const client = localDynamoClient(dynamo.url);
  restoreEnv = overrideEnv({ DYNAMODB_ENDPOINT: dynamo.url, STORE_CACHE_NAMESPACE: `outage-${randomUUID()}`, ADMIN_API_KEY: 'local-admin-key' });
  await createTables(client);
  await seed(DynamoDBDocumentClient.from(client));
  client.destroy();
  api = await startApi();
  const { code } = await newLoginCode(`outage-${randomUUID()}`);
  token = (await api.call('POST', '/auth/login', { body: { code } })).body.token;
  // Warm the caches: the session (Redis) and the store (in-process and Redis).
  expect((await api.call('GET', '/me/coupons', { token })).status).toBe(200);
  expect((await api.call('GET', '/stores/store-001')).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await api.close();
  await dynamo.stop();
  restoreEnv();
});

describe('DynamoDB frozen', () => {
  beforeAll(() => process.kill(dynamo.pid as number, 'SIGSTOP'));
  afterAll(() => process.kill(dynamo.pid as number, 'SIGCONT'));

  it('answers 503 with the code and Retry-After inside 3 s where DynamoDB is needed', async () => {
    const coupons = await timed(() => api.call('GET', '/me/coupons', { token }));
    expectUnavailable(coupons);
    const { code } = await newLoginCode(`outage-${randomUUID()}`);
    expectUnavailable(await timed(() => api.call('POST', '/auth/login', { body: { code } })));
    expectUnavailable(await timed(() => api.call('PUT', '/admin/stores/store-009', { body: store, headers: ADMIN })));
  });

  it('still serves what the cache holds, and refuses a malformed token with 401 without asking anyone', async () => {
    expect(await api.call('GET', '/stores/store-001')).toMatchObject({ status: 200, body: { id: 'store-001' } });
    const bad = await timed(() => api.call('GET', '/me/coupons', { token: 'not-a-token' }));
    expect(bad).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
    expect(bad.ms).toBeLessThan(500);
  });
});

describe('DynamoDB back after the freeze', () => {
  it('serves again at once', async () => {
    expect((await api.call('GET', '/me/coupons', { token })).status).toBe(200);
  });
});

describe('DynamoDB stopped', () => {
  beforeAll(() => dynamo.stop());

  it('answers 503 with the code at once where DynamoDB is needed, and serves what the cache holds', async () => {
    expectUnavailable(await timed(() => api.call('GET', '/me/coupons', { token })));
    expectUnavailable(await timed(() => api.call('PUT', '/admin/stores/store-009', { body: store, headers: ADMIN })));
    expect(await api.call('GET', '/stores/store-001')).toMatchObject({ status: 200, body: { id: 'store-001' } });
  });
});
