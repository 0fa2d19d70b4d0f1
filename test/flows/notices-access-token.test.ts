import { dynamoNoticeRepository } from '../../shared/adapters/dynamodb/notice-repository';
import { fakeContext } from '../../shared/testing/lambda';
import { overrideEnv } from '../support/env';
import { putOrder, statusBatch, templateOf } from '../support/notices';
import { startTestStandIn, type TestStandIn } from '../wechat/support/stand-in';

// Invalidating tokens is global to a stand-in, so this file has a WeChat of its own (its own appid, hence its own
// token in Redis).
let wechat: TestStandIn;
let restoreEnv: () => void;
let consumer: typeof import('../../functions/order-notice-consumer/handler').handler;

beforeAll(async () => {
  wechat = await startTestStandIn();
  restoreEnv = overrideEnv({ WX_API_BASE_URL: wechat.standIn.url, WX_APPID: wechat.merchant.appid, WX_APP_SECRET: wechat.merchant.appSecret });
  consumer = (await import('../../functions/order-notice-consumer/handler')).handler;
});
afterAll(async () => {
  restoreEnv();
  await wechat.standIn.close();
});

const counted = () => {
  const { requests, accessTokenFetches } = wechat.standIn.stats();
  return { sends: requests.subscribe_send ?? 0, fetches: accessTokenFetches };
};

describe('order notices and the access token', () => {
  it('refreshes a token WeChat invalidated exactly once and delivers the notice', async () => {
    const openid = await wechat.sandbox.newOpenid();
    await wechat.sandbox.subscribe(openid, '*', 10);
    const order = await putOrder(openid, ['WAIT_PAY', 'CANCELLED']);
    expect(await consumer(statusBatch(order, 'WAIT_PAY'), fakeContext())).toEqual({ batchItemFailures: [] });
    await wechat.sandbox.invalidateTokens();
    const before = counted();

    const result = await consumer(statusBatch(order, 'CANCELLED'), fakeContext());

    expect(result).toEqual({ batchItemFailures: [] });
    expect(counted()).toEqual({ sends: before.sends + 2, fetches: before.fetches + 1 });
    expect((await wechat.sandbox.messages(openid)).items.map((message: any) => message.templateId)).toEqual([templateOf('WAIT_PAY'), templateOf('CANCELLED')]);
    expect((await dynamoNoticeRepository.listForOrder(order.id)).map((notice) => notice.result)).toEqual(['SENT', 'SENT']);
  });
});
