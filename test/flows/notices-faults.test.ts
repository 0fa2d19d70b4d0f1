import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { dynamoNoticeRepository } from '../../shared/adapters/dynamodb/notice-repository';
import { pollOnce } from '../support/consumers';
import { overrideEnv } from '../support/env';
import { putOrder, statusChanged } from '../support/notices';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { startWechatProxy, type WechatProxy } from '../support/wechat-proxy';
import { sandboxClient } from '../wechat/support/stand-in';

// At most once when things go wrong between us and WeChat: WeChat unreachable (retried by redelivery), an answer lost
// after WeChat took the message, and a consumer killed between the send and the record (never sent again).
const sandbox = sandboxClient(process.env.WX_API_BASE_URL!);
let mq: PrivateMq;
let proxy: WechatProxy;
let restoreEnv: () => void;
let consumer: typeof import('../../functions/order-notice-consumer/handler').handler;
let publisher: typeof import('../../shared/adapters/rocketmq/publisher').rocketmqPublisher;

beforeAll(async () => {
  mq = await startPrivateMq({ orderlyInvisibilitySeconds: 1, maxDeliveries: 10 });
  proxy = await startWechatProxy(process.env.WX_API_BASE_URL!);
  restoreEnv = overrideEnv({ WX_API_BASE_URL: proxy.url });
  consumer = (await import('../../functions/order-notice-consumer/handler')).handler;
  publisher = (await import('../../shared/adapters/rocketmq/publisher')).rocketmqPublisher;
});
afterEach(() => {
  proxy.rule = () => 'forward';
});
afterAll(async () => {
  restoreEnv();
  await proxy.close();
  await mq.stop();
  mq.restoreEnv();
});

/** A shopper who accepted 10 messages of every template: a second send would show as a second message. */
async function shopper(): Promise<string> {
  const openid = await sandbox.newOpenid();
  await sandbox.subscribe(openid, '*', 10);
  return openid;
}
const delivered = async (openid: string): Promise<any[]> => (await sandbox.messages(openid)).items;
const resultOf = async (orderId: string) => (await dynamoNoticeRepository.listForOrder(orderId)).map((notice) => notice.result);
const inFlightOrWaiting = () => mq.broker.topics().reduce((n, t) => n + t.groups.reduce((m, g) => m + g.inFlight + g.waiting, 0), 0);

describe('order notices when WeChat or the consumer fails', () => {
  it('retries through redelivery while WeChat is unreachable and delivers the notice once it is back', async () => {
    const openid = await shopper();
    const order = await putOrder(openid, ['WAIT_PAY', 'PAID']);
    await proxy.down();
    await publisher.publish('OrderStatusChanged', statusChanged(order, 'PAID'));

    const whileDown = await pollOnce(consumer, 1);
    const claimsWhileDown = await resultOf(order.id);
    await proxy.up();
    const afterwards = await pollOnce(consumer, 3);

    expect(whileDown).toMatchObject({ succeeded: 0, failed: expect.any(Number) });
    expect(whileDown.failed).toBeGreaterThanOrEqual(1);
    expect(claimsWhileDown).toEqual([]);
    expect(afterwards).toMatchObject({ succeeded: 1, failed: 0 });
    expect(await delivered(openid)).toEqual([expect.objectContaining({ data: expect.objectContaining({ character_string1: { value: order.id } }) })]);
    expect(await resultOf(order.id)).toEqual(['SENT']);
    expect(inFlightOrWaiting()).toBe(0);
  });

  it('records a send whose answer was lost as UNKNOWN and never sends it again, though WeChat delivered it', async () => {
    const openid = await shopper();
    const order = await putOrder(openid, ['WAIT_PAY', 'PAID']);
    proxy.rule = (request) => (request.path.startsWith('/cgi-bin/message/subscribe/send') && request.body.includes(openid) ? 'loseAnswer' : 'forward');
    await publisher.publish('OrderStatusChanged', statusChanged(order, 'PAID'));

    const first = await pollOnce(consumer, 5);
    await publisher.publish('OrderStatusChanged', statusChanged(order, 'PAID'));
    const duplicate = await pollOnce(consumer, 1);

    // The send outlives this broker's 1 s invisibility, so the message may come back once more before its ack lands.
    expect(first).toMatchObject({ succeeded: first.received, failed: 0 });
    expect(duplicate).toMatchObject({ received: 1, succeeded: 1, failed: 0 });
    expect(await delivered(openid)).toHaveLength(1);
    expect(await resultOf(order.id)).toEqual(['UNKNOWN']);
    expect(proxy.counts.loseAnswer).toBe(1);
    expect(inFlightOrWaiting()).toBe(0);
  });

  it('does not send again after the consumer was killed between the send and the record', async () => {
    const openid = await shopper();
    const order = await putOrder(openid, ['WAIT_PAY', 'PAID', 'CONFIRMED']);
    await publisher.publish('OrderStatusChanged', statusChanged(order, 'CONFIRMED'));

    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'fixtures', 'notice-consumer-killed-after-send.ts')], {
      env: { ...process.env, LOG_LEVEL: 'SILENT' },
      stdio: 'ignore',
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_, s) => resolve(s)));

    expect(signal).toBe('SIGKILL');
    expect(await delivered(openid)).toHaveLength(1);
    expect(await resultOf(order.id)).toEqual(['SENDING']);

    const redelivery = await pollOnce(consumer, 3);

    expect(redelivery).toMatchObject({ received: 1, succeeded: 1, failed: 0 });
    expect(await delivered(openid)).toHaveLength(1);
    expect(await resultOf(order.id)).toEqual(['SENDING']);
    expect(inFlightOrWaiting()).toBe(0);
  });
});
