import { createPublicKey, verify } from 'node:crypto';
import { freePort } from '../../local/services/free-port';
import { createWechatPayGateway } from '../../shared/adapters/wechat/pay-gateway';
import { createPaymentNotificationVerifier } from '../../shared/adapters/wechat/pay-notification';
import type { PaymentGateway } from '../../shared/ports/payment-gateway';
import { compressedClock, manualClock } from './support/clocks';
import { startNotifyReceiver, type NotifyReceiver } from './support/notify-receiver';
import { merchantPaySettings, newOutTradeNo, notificationRecord, startTestStandIn, type TestStandIn } from './support/stand-in';

/** 15 s becomes 15 ms; the clock runs as fast, so the signed timestamps move like WeChat's would. */
const COMPRESSION = 1_000;
const clock = compressedClock(COMPRESSION);
let stub: TestStandIn;
let gateway: PaymentGateway;
let receiver: NotifyReceiver | undefined;

async function payOrder(notifyUrl: string, on: Pick<TestStandIn, 'sandbox'> & { gateway: PaymentGateway; clock: { now(): Date } } = { ...stub, gateway, clock }): Promise<string> {
  const outTradeNo = newOutTradeNo('Q');
  const payerOpenid = await on.sandbox.newOpenid();
  await on.gateway.prepay({ outTradeNo, description: '重试测试', amountFen: 990, payerOpenid, notifyUrl, expiresAt: new Date(on.clock.now().getTime() + 3_600_000) });
  await on.sandbox.pay(outTradeNo);
  return outTradeNo;
}

beforeAll(async () => {
  stub = await startTestStandIn({ clock, notifyRetryCompression: COMPRESSION, notifyTimeoutMs: 200 });
  gateway = createWechatPayGateway(merchantPaySettings(stub, clock));
});
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});
afterAll(() => stub.standIn.close());

describe('notification retries', () => {
  it('retries after 500, 500 and stops at the 204: three attempts, each freshly signed', async () => {
    receiver = await startNotifyReceiver((delivery) => (delivery <= 2 ? 500 : 204));
    const outTradeNo = await payOrder(receiver.url);
    const deliveries = await receiver.waitFor(3);
    // The next retry would come 30 s (30 ms) later: wait well past it.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const settings = merchantPaySettings(stub);
    // As a webhook would, at the moment each delivery arrived.
    const verifierAtReceipt = (receivedAtMs: number) => createPaymentNotificationVerifier({ ...settings, clock: manualClock(clock.at(receivedAtMs)) });
    const publicKey = createPublicKey(stub.standIn.config.wechatpayPublicKeyPem);
    const timestamps = deliveries.map((delivery) => Number(delivery.headers['wechatpay-timestamp']));
    expect(receiver.received.map((delivery) => delivery.answeredStatus)).toEqual([500, 500, 204]);
    expect((await notificationRecord(stub.sandbox, outTradeNo, (record) => record.delivered)).attempts.map((attempt: any) => attempt.status)).toEqual([500, 500, 204]);
    // 15 s and 15 s apart on the compressed clock, give or take scheduling.
    expect(timestamps[1]! - timestamps[0]!).toBeGreaterThanOrEqual(14);
    expect(timestamps[2]! - timestamps[1]!).toBeGreaterThanOrEqual(14);
    expect(new Set(deliveries.map((delivery) => delivery.headers['wechatpay-nonce'])).size).toBe(3);
    for (const delivery of deliveries) {
      const { 'wechatpay-timestamp': timestamp, 'wechatpay-nonce': nonce, 'wechatpay-signature': signature } = delivery.headers as Record<string, string>;
      expect(verify('sha256', Buffer.from(`${timestamp}\n${nonce}\n${delivery.body}\n`), publicKey, Buffer.from(signature!, 'base64'))).toBe(true);
      expect(verifierAtReceipt(delivery.receivedAtMs).verifyPayment({ headers: delivery.headers as Record<string, string>, body: delivery.body }).payment.outTradeNo).toBe(outTradeNo);
    }
  });

  it('retries an attempt that times out', async () => {
    receiver = await startNotifyReceiver((delivery) => (delivery === 1 ? new Promise<number>(() => undefined) : 204));
    const outTradeNo = await payOrder(receiver.url);
    const record = await notificationRecord(stub.sandbox, outTradeNo, (candidate) => candidate.delivered);
    expect(record.attempts.map((attempt: any) => attempt.status ?? attempt.error)).toEqual(['timeout', 204]);
  });

  it('follows the whole schedule when nobody answers, then gives up after 15 retries', async () => {
    // 24h4m compressed a hundred thousand times: under a second.
    const fast = await startTestStandIn({ notifyRetryCompression: 100_000 });
    try {
      const fastGateway = createWechatPayGateway(merchantPaySettings(fast));
      const outTradeNo = await payOrder(`http://127.0.0.1:${await freePort()}/wxpay/notify`, { ...fast, gateway: fastGateway, clock: { now: () => new Date() } });
      const record = await notificationRecord(fast.sandbox, outTradeNo, (candidate) => candidate.gaveUp);
      expect(record.delivered).toBe(false);
      expect(record.attempts).toHaveLength(16);
      expect(record.attempts.every((attempt: any) => attempt.error !== undefined)).toBe(true);
    } finally {
      await fast.standIn.close();
    }
  });
});
