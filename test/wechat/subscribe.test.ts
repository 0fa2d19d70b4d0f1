import Redis from 'ioredis';
import { createSharedAccessToken } from '../../shared/adapters/wechat/access-token';
import { createSubscribeMessageSender } from '../../shared/adapters/wechat/subscribe-sender';
import { WxMessageRejectedError, type SubscribeMessage } from '../../shared/ports/wechat';
import { startTestStandIn, type TestStandIn } from './support/stand-in';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
let stub: TestStandIn;

const sender = () =>
  createSubscribeMessageSender({
    apiBaseUrl: stub.standIn.url,
    accessToken: createSharedAccessToken({ redis, appid: stub.merchant.appid, appSecret: stub.merchant.appSecret, apiBaseUrl: stub.standIn.url }),
  });

const template = (type: string) => stub.standIn.templates.find((candidate) => candidate.type === type)!;

/** A PAID notice as the notices flow would build it. */
function paidNotice(touser: string, shopName = '南山科技园店'): SubscribeMessage {
  return {
    touser,
    templateId: template('PAID').templateId,
    page: 'pages/order/detail?id=T20250520001',
    data: { character_string1: { value: 'T20250520001' }, amount2: { value: '¥23.50' }, time3: { value: '2025年5月20日 13:29' }, thing4: { value: shopName } },
  };
}

async function subscribedUser(count = 1, templateId = template('PAID').templateId): Promise<string> {
  const openid = await stub.sandbox.newOpenid();
  await stub.sandbox.subscribe(openid, templateId, count);
  return openid;
}

const counted = () => {
  const { requests, accessTokenFetches } = stub.standIn.stats();
  return { sends: requests.subscribe_send ?? 0, fetches: accessTokenFetches };
};

beforeAll(async () => {
  stub = await startTestStandIn();
});
afterAll(async () => {
  await stub.standIn.close();
  await redis.quit();
});

describe('subscribe messages', () => {
  it('sends a notice, which the stand-in records for that user', async () => {
    const openid = await subscribedUser();
    const result = await sender().send(paidNotice(openid));
    const { items } = await stub.sandbox.messages(openid);
    expect(result).toEqual({ status: 'SENT', msgid: expect.any(String) });
    expect(items).toEqual([expect.objectContaining({ templateId: template('PAID').templateId, page: 'pages/order/detail?id=T20250520001', data: paidNotice(openid).data })]);
  });

  it('answers NOT_SUBSCRIBED once the user has no accepted message left (43101)', async () => {
    const openid = await subscribedUser(1);
    await sender().send(paidNotice(openid));
    await expect(sender().send(paidNotice(openid))).resolves.toEqual({ status: 'NOT_SUBSCRIBED' });
    expect((await stub.sandbox.messages(openid)).items).toHaveLength(1);
  });

  it('accepts a wildcard subscription for every template', async () => {
    const openid = await subscribedUser(1, '*');
    await expect(sender().send(paidNotice(openid))).resolves.toEqual(expect.objectContaining({ status: 'SENT' }));
  });

  it('truncates an over-long thing value that WeChat would refuse with 47003', async () => {
    const longName = '深圳市南山区科技园南区高新南七道数字技术园店';
    const openid = await subscribedUser(2);
    const direct = await fetch(`${stub.standIn.url}/cgi-bin/message/subscribe/send?access_token=${await createSharedAccessToken({ redis, appid: stub.merchant.appid, appSecret: stub.merchant.appSecret, apiBaseUrl: stub.standIn.url }).current()}`, {
      method: 'POST',
      body: JSON.stringify({ touser: openid, template_id: template('PAID').templateId, data: paidNotice(openid, longName).data }),
    }).then((response) => response.json());
    expect(direct).toEqual(expect.objectContaining({ errcode: 47003, errmsg: expect.stringContaining('data.thing4.value') }));

    await expect(sender().send(paidNotice(openid, longName))).resolves.toEqual(expect.objectContaining({ status: 'SENT' }));
    const [sent] = (await stub.sandbox.messages(openid)).items;
    expect([...sent.data.thing4.value]).toHaveLength(20);
    expect(sent.data.thing4.value.startsWith('深圳市南山区科技园南区高新南七道数字')).toBe(true);
  });

  it('refuses a value that cannot be fitted before calling WeChat', async () => {
    const openid = await subscribedUser(1, template('CONFIRMED').templateId);
    const before = counted();
    const notice: SubscribeMessage = {
      touser: openid,
      templateId: template('CONFIRMED').templateId,
      data: { character_string1: { value: 'T1' }, thing2: { value: '门店' }, phrase3: { value: 'OK' }, time4: { value: '12:00' } },
    };
    await expect(sender().send(notice)).rejects.toEqual(expect.objectContaining({ name: 'WxMessageRejectedError', errcode: 47003, detail: expect.stringContaining('phrase3') }));
    expect(counted().sends).toBe(before.sends);
  });

  it('rejects an unknown template (40037) and an unknown openid (40003) as not retryable', async () => {
    const openid = await subscribedUser();
    const unknownTemplate = sender().send({ ...paidNotice(openid), templateId: 'not-a-template' });
    await expect(unknownTemplate).rejects.toBeInstanceOf(WxMessageRejectedError);
    await expect(unknownTemplate).rejects.toEqual(expect.objectContaining({ errcode: 40037 }));
    await expect(sender().send(paidNotice('oUnknownUser000000000000000'))).rejects.toEqual(expect.objectContaining({ errcode: 40003 }));
  });

  it.each([
    ['invalidated (40001)', () => stub.sandbox.invalidateTokens()],
    ['expired (42001)', () => stub.sandbox.expireTokens()],
  ])('refreshes an %s access token exactly once and retries the send once', async (_, spoil) => {
    const openid = await subscribedUser(2);
    const send = sender();
    await send.send(paidNotice(openid));
    await spoil();
    const before = counted();
    await expect(send.send(paidNotice(openid))).resolves.toEqual(expect.objectContaining({ status: 'SENT' }));
    expect(counted()).toEqual({ sends: before.sends + 2, fetches: before.fetches + 1 });
    expect((await stub.sandbox.messages(openid)).items).toHaveLength(2);
  });
});
