import { fakeContext, sampleEvent } from '../../shared/testing/lambda';
import type { BatchEvent } from '../../shared/lambda/mq-consumer';
import { putOrder } from '../../test/support/notices';
import { sandboxClient } from '../../test/wechat/support/stand-in';
import { handler } from './handler';

describe('orderNoticeConsumer handler fed a batch (events/order-notice-consumer)', () => {
  it('sends the PAID notice of the sample message once, however often it is run', async () => {
    const sandbox = sandboxClient(process.env.WX_API_BASE_URL!);
    const openid = await sandbox.newOpenid();
    await sandbox.subscribe(openid, '*', 5);
    const event = sampleEvent<BatchEvent>('order-notice-consumer/batch.json');
    // The sample's order, for a shopper of this test.
    const order = await putOrder(openid, ['WAIT_PAY', 'PAID'], (event.messages[0]!.body as { orderId: string }).orderId);

    expect(await handler(event, fakeContext())).toEqual({ batchItemFailures: [] });
    expect(await handler(event, fakeContext())).toEqual({ batchItemFailures: [] });
    expect((await sandbox.messages(openid)).items).toEqual([expect.objectContaining({ data: expect.objectContaining({ character_string1: { value: order.id } }) })]);
  });
});
