import { seedStores } from '../../local/seed-data';
import { invokeHttp, sampleEvent } from '../../shared/testing/lambda';
import { handler } from './handler';

describe('getStore handler (DynamoDB Local)', () => {
  it('answers 200 with the store for events/get-store/ok.json', async () => {
    const { statusCode, body } = await invokeHttp(handler, sampleEvent('get-store/ok.json'));
    expect(statusCode).toBe(200);
    expect(body).toEqual(seedStores[0]);
  });

  it('answers 404 STORE_NOT_FOUND for an unknown store', async () => {
    const { statusCode, body } = await invokeHttp(handler, sampleEvent('get-store/not-found.json'));
    expect(statusCode).toBe(404);
    expect(body).toEqual({ code: 'STORE_NOT_FOUND', message: 'store store-999 does not exist' });
  });

  it('answers 400 VALIDATION_FAILED naming storeId for a malformed id', async () => {
    const { statusCode, body } = await invokeHttp(handler, sampleEvent('get-store/bad-id.json'));
    expect(statusCode).toBe(400);
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.message).toContain('storeId');
  });
});
