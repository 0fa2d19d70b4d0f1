import { sampleEvent, fakeContext } from '../../shared/testing/lambda';
import { queryByPartition } from '../../test/support/dynamo';
import { handler } from './handler';

describe('newUserCouponConsumer handler fed a batch (events/new-user-coupon-consumer)', () => {
  it('grants the coupon of the sample message, and a second run changes nothing', async () => {
    const event = sampleEvent<{ messages: unknown[] }>('new-user-coupon-consumer/batch.json');
    expect(await handler(event, fakeContext())).toEqual({ batchItemFailures: [] });
    expect(await handler(event, fakeContext())).toEqual({ batchItemFailures: [] });
    expect(await queryByPartition('userCoupons', 'userId', 'u_sample')).toHaveLength(1);
  });

  it('reports the poison sample as a failure', async () => {
    const event = sampleEvent<{ messages: unknown[] }>('new-user-coupon-consumer/poison.json');
    expect(await handler(event, fakeContext())).toEqual({ batchItemFailures: [{ itemIdentifier: 'sample-poison' }] });
  });
});
