import { invokeHttp, sampleEvent } from '../../shared/testing/lambda';
import { handler } from './handler';

describe('getMyCoupons handler (events/get-my-coupons)', () => {
  it('answers 401 UNAUTHORIZED without a token', async () => {
    expect(await invokeHttp(handler, sampleEvent('get-my-coupons/no-token.json'))).toEqual({
      statusCode: 401,
      body: { code: 'UNAUTHORIZED', message: 'the Authorization header must be "Bearer <token>"' },
    });
  });

  it('answers 401 for the placeholder token of the sample', async () => {
    const { statusCode } = await invokeHttp(handler, sampleEvent('get-my-coupons/ok.json'));
    expect(statusCode).toBe(401);
  });
});
