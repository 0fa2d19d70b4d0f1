import { randomUUID } from 'node:crypto';
import { dynamoNoticeRepository } from '../../shared/adapters/dynamodb/notice-repository';
import { fakeContext } from '../../shared/testing/lambda';
import { pollOnce } from '../support/consumers';
import { overrideEnv } from '../support/env';
import { putOrder, statusBatch, statusChanged, templateOf } from '../support/notices';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { startWechatProxy, type ProxiedRequest, type WechatProxy } from '../support/wechat-proxy';
import { sandboxClient } from '../wechat/support/stand-in';

// Order notices end to end: the real consumer function, a private broker through the real SDK, DynamoDB Local, Redis
// (the shared access token) and the WeChat stand-in over HTTP, reached through a proxy that can refuse one send.
const sandbox = sandboxClient(process.env.WX_API_BASE_URL!);
let mq: PrivateMq;
let proxy: WechatProxy;
let restoreEnv: () => void;
let consumer: typeof import('../../functions/order-notice-consumer/handler').handler;
let publisher: typeof import('../../shared/adapters/rocketmq/publisher').rocketmqPublisher;

/** Every subscribe send that went through the proxy: who to, which template. */
const sends: Array<{ touser: string; templateId: string }> = [];
let busyOnce: ((send: { touser: string; templateId: string }) => boolean) | undefined;

function asSend(request: ProxiedRequest) {
  if (!request.path.startsWith('/cgi-bin/message/subscribe/send')) return undefined;
  const { touser, template_id: templateId } = JSON.parse(request.body) as { touser: string; template_id: string };
  return { touser, templateId };
}

beforeAll(async () => {
  mq = await startPrivateMq({ orderlyInvisibilitySeconds: 1, maxDeliveries: 10 });
  proxy = await startWechatProxy(process.env.WX_API_BASE_URL!);
  proxy.rule = (request) => {
    const send = asSend(request);
    if (!send) return 'forward';
    sends.push(send);
    if (busyOnce?.(send)) {
      busyOnce = undefined;
      return 'busy';
    }
    return 'forward';
  };
  restoreEnv = overrideEnv({ WX_API_BASE_URL: proxy.url });
  consumer = (await import('../../functions/order-notice-consumer/handler')).handler;
  publisher = (await import('../../shared/adapters/rocketmq/publisher')).rocketmqPublisher;
});
afterAll(async () => {
  restoreEnv();
  await proxy.close();
  await mq.stop();
  mq.restoreEnv();
});

/** A shopper known to WeChat who accepted `count` messages of every notice template (0: none). */
async function shopper(count: number): Promise<string> {
  const openid = await sandbox.newOpenid();
  if (count > 0) await sandbox.subscribe(openid, '*', count);
  return openid;
}
const delivered = async (openid: string): Promise<any[]> => (await sandbox.messages(openid)).items;
const sendsTo = (openid: string) => sends.filter((send) => send.touser === openid).length;
const inFlightOrWaiting = () => mq.broker.topics().reduce((n, t) => n + t.groups.reduce((m, g) => m + g.inFlight + g.waiting, 0), 0);

describe('order notices', () => {
  it('sends one message when the same OrderStatusChanged is delivered 10 times concurrently', async () => {
    const openid = await shopper(10);
    const order = await putOrder(openid, ['WAIT_PAY', 'PAID']);

    const results = await Promise.all(Array.from({ length: 10 }, () => consumer(statusBatch(order, 'PAID'), fakeContext())));

    expect(results).toEqual(Array.from({ length: 10 }, () => ({ batchItemFailures: [] })));
    const messages = await delivered(openid);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      templateId: templateOf('PAID'),
      page: `pages/order/detail?id=${order.id}`,
      data: { character_string1: { value: order.id }, amount2: { value: '¥43.50' }, thing4: { value: '拿铁等3件' } },
    });
    expect(await dynamoNoticeRepository.listForOrder(order.id)).toEqual([expect.objectContaining({ status: 'PAID', result: 'SENT', msgid: expect.any(String), sentAt: expect.any(String) })]);
    expect(sendsTo(openid)).toBe(1);
  });

  it('sends one message when the broker delivers 10 copies of it', async () => {
    const openid = await shopper(10);
    const order = await putOrder(openid, ['WAIT_PAY']);
    for (let i = 0; i < 10; i++) await publisher.publish('OrderStatusChanged', statusChanged(order, 'WAIT_PAY'));

    const result = await pollOnce(consumer, 2);

    expect(result).toMatchObject({ received: 10, succeeded: 10, failed: 0 });
    expect(await delivered(openid)).toEqual([expect.objectContaining({ templateId: templateOf('WAIT_PAY') })]);
    expect(inFlightOrWaiting()).toBe(0);
  });

  it('delivers WAIT_PAY then CANCELLED of one order in that order, the CANCELLED one waiting while WAIT_PAY is retried', async () => {
    const openid = await shopper(10);
    const order = await putOrder(openid, ['WAIT_PAY', 'CANCELLED']);
    busyOnce = (send) => send.touser === openid && send.templateId === templateOf('WAIT_PAY');
    await publisher.publish('OrderStatusChanged', statusChanged(order, 'WAIT_PAY'));
    await publisher.publish('OrderStatusChanged', statusChanged(order, 'CANCELLED'));

    const result = await pollOnce(consumer, 4);

    expect(busyOnce).toBeUndefined();
    expect((await delivered(openid)).map((message) => message.templateId)).toEqual([templateOf('WAIT_PAY'), templateOf('CANCELLED')]);
    expect((await dynamoNoticeRepository.listForOrder(order.id)).map(({ status, result: r }) => [status, r])).toEqual([
      ['WAIT_PAY', 'SENT'],
      ['CANCELLED', 'SENT'],
    ]);
    // WAIT_PAY was refused once and came again (CANCELLED behind it, unsent): three sends in all, two acks.
    expect(result.succeeded).toBe(2);
    expect(result.failed).toBeGreaterThanOrEqual(1);
    expect(sendsTo(openid)).toBe(3);
  });

  it('records a user without a subscription as NOT_SUBSCRIBED and acks the message for good', async () => {
    const openid = await shopper(0);
    const order = await putOrder(openid, ['WAIT_PAY']);
    await publisher.publish('OrderStatusChanged', statusChanged(order, 'WAIT_PAY'));

    const first = await pollOnce(consumer, 1);
    const second = await pollOnce(consumer, 2);

    expect(first).toMatchObject({ received: 1, succeeded: 1, failed: 0 });
    expect(second.received).toBe(0);
    expect(await dynamoNoticeRepository.listForOrder(order.id)).toEqual([expect.objectContaining({ status: 'WAIT_PAY', result: 'NOT_SUBSCRIBED' })]);
    expect(await delivered(openid)).toEqual([]);
    expect(sendsTo(openid)).toBe(1);
  });

  it('acks a message for an order that does not exist, and one for a status without a notice, sending nothing', async () => {
    const missing = { id: `o${randomUUID().replace(/-/g, '').slice(0, 31)}`, userId: 'u-missing' };
    const openid = await shopper(10);
    const refunding = await putOrder(openid, ['WAIT_PAY', 'PAID', 'REFUNDING']);
    await publisher.publish('OrderStatusChanged', statusChanged(missing, 'CANCELLED'));
    await publisher.publish('OrderStatusChanged', statusChanged(refunding, 'REFUNDING'));

    const result = await pollOnce(consumer, 1);

    expect(result).toMatchObject({ received: 2, succeeded: 2, failed: 0 });
    expect(inFlightOrWaiting()).toBe(0);
    expect(await dynamoNoticeRepository.listForOrder(missing.id)).toEqual([]);
    expect(await dynamoNoticeRepository.listForOrder(refunding.id)).toEqual([]);
    expect(sendsTo(openid)).toBe(0);
  });
});
