import { seedStores } from '../../local/seed-data';
import { invokeHttp, sampleEvent } from '../../shared/testing/lambda';
import { handler } from './handler';

describe('getStores handler (DynamoDB Local)', () => {
  it('answers 200 with the seeded stores for events/get-stores/ok.json', async () => {
    const { statusCode, body } = await invokeHttp(handler, sampleEvent('get-stores/ok.json'));

    expect(statusCode).toBe(200);
    const ids = body.items.map((s: { id: string }) => s.id);
    for (const seeded of seedStores) expect(ids).toContain(seeded.id);
    expect(body.items.find((s: { id: string }) => s.id === 'store-001')).toEqual(seedStores[0]);
  });
});
