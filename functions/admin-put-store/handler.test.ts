import { invokeHttp, sampleEvent } from '../../shared/testing/lambda';
import { handler } from './handler';

describe('adminPutStore handler (events/admin-put-store)', () => {
  it('answers 400 naming every bad field of events/admin-put-store/bad-body.json', async () => {
    const { statusCode, body } = await invokeHttp(handler, sampleEvent('admin-put-store/bad-body.json'));
    expect(statusCode).toBe(400);
    for (const field of ['name', 'address', 'location.lat', 'openHours', 'status']) expect(body.message).toContain(field);
  });
});
