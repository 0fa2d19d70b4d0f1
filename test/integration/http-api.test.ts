import { startGateway, type Gateway } from '../../local/gateway/server';
import { seedStores } from '../../local/seed-data';

let gateway: Gateway;

beforeAll(async () => {
  gateway = await startGateway(0);
});
afterAll(async () => {
  await gateway.close();
});

const call = async (path: string, init?: RequestInit) => {
  const response = await fetch(`${gateway.url}${path}`, init);
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as any };
};

describe('HTTP API through the local gateway', () => {
  it('GET /stores lists the seeded stores, open ones first', async () => {
    const { status, type, body } = await call('/stores');
    expect(status).toBe(200);
    expect(type).toContain('application/json');
    const seededIds = seedStores.map((s) => s.id);
    const listed = body.items.filter((s: { id: string }) => seededIds.includes(s.id));
    expect(listed.map((s: { status: string }) => s.status)).toEqual(['OPEN', 'OPEN', 'CLOSED']);
  });

  it('GET /stores/{storeId} returns one store', async () => {
    const { status, body } = await call('/stores/store-002');
    expect(status).toBe(200);
    expect(body).toEqual(seedStores[1]);
  });

  it('GET /stores/{storeId} answers 404 STORE_NOT_FOUND for an unknown store', async () => {
    const { status, body } = await call('/stores/store-404');
    expect(status).toBe(404);
    expect(body.code).toBe('STORE_NOT_FOUND');
  });

  it('answers 404 NOT_FOUND with the error body for an unknown route', async () => {
    const { status, body } = await call('/no/such/route', { method: 'DELETE' });
    expect(status).toBe(404);
    expect(body).toEqual({ code: 'NOT_FOUND', message: 'no route for DELETE /no/such/route' });
  });

  it('answers 413 PAYLOAD_TOO_LARGE for a body over the limit', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(70 * 1024) });
    const { status, body } = await call('/stores', { method: 'POST', body: big, headers: { 'content-type': 'application/json' } });
    expect(status).toBe(413);
    expect(body.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
