import { createWechatPayGateway } from '../../shared/adapters/wechat/pay-gateway';
import { createPaymentNotificationVerifier, type PaymentNotificationVerifierDeps } from '../../shared/adapters/wechat/pay-notification';
import { PaymentNotificationRejectedError, type PaymentGateway, type RawNotification } from '../../shared/ports/payment-gateway';
import { manualClock } from './support/clocks';
import type { NotifyReceiver, ReceivedNotification } from './support/notify-receiver';
import { merchantPaySettings, newOutTradeNo, startTestStandIn, type TestStandIn } from './support/stand-in';
import { rawNotification as raw, startWebhook } from './support/webhook';

let stub: TestStandIn;
let gateway: PaymentGateway;
let verifierDeps: PaymentNotificationVerifierDeps;
let payerOpenid: string;
const receivers: NotifyReceiver[] = [];

const rejection = (verify: () => unknown) => {
  try {
    verify();
  } catch (error) {
    return error;
  }
  return undefined;
};

async function webhook(kind: 'payment' | 'refund' = 'payment') {
  const started = await startWebhook(verifierDeps, kind);
  receivers.push(started.receiver);
  return started;
}

async function payOrder(notifyUrl: string, amountFen = 2350): Promise<string> {
  const outTradeNo = newOutTradeNo('N');
  await gateway.prepay({ outTradeNo, description: '通知测试', amountFen, payerOpenid, notifyUrl, expiresAt: new Date(Date.now() + 60_000) });
  expect((await stub.sandbox.pay(outTradeNo)).status).toBe(200);
  return outTradeNo;
}

beforeAll(async () => {
  stub = await startTestStandIn({ notifyRetryCompression: 1_000, refundDelayMs: 10 });
  const settings = merchantPaySettings(stub);
  gateway = createWechatPayGateway(settings);
  verifierDeps = { appid: settings.appid, mchid: settings.mchid, apiV3Key: settings.apiV3Key, wechatpayPublicKeys: settings.wechatpayPublicKeys };
  payerOpenid = await stub.sandbox.newOpenid();
});
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await stub.standIn.close();
});

describe('payment and refund notifications from the stand-in', () => {
  it('verifies and decrypts a payment notification', async () => {
    const { receiver, outcomes } = await webhook();
    const outTradeNo = await payOrder(receiver.url);
    const [delivery] = await receiver.waitFor(1);
    const notification = createPaymentNotificationVerifier(verifierDeps).verifyPayment(raw(delivery!));
    const { transactionId } = await stub.sandbox.trade(outTradeNo);
    expect(outcomes).toEqual(['ACCEPTED']);
    expect(notification).toEqual({
      // Shaped like real ones (a version-5 UUID), not like the documents' EV-... example.
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      createdAt: expect.stringMatching(/\+08:00$/),
      eventType: 'TRANSACTION.SUCCESS',
      payment: expect.objectContaining({ outTradeNo, transactionId, state: 'SUCCESS', amountFen: 2350, payerAmountFen: 2350, currency: 'CNY', payerOpenid, appid: verifierDeps.appid, mchid: verifierDeps.mchid }),
    });
  });

  it('verifies and decrypts a refund notification', async () => {
    const { receiver, outcomes } = await webhook('refund');
    const outTradeNo = await payOrder('http://127.0.0.1:9/unused');
    await gateway.createRefund({ outTradeNo, outRefundNo: `R${outTradeNo}`, refundFen: 1000, totalFen: 2350, notifyUrl: receiver.url });
    const [delivery] = await receiver.waitFor(1);
    expect(outcomes).toEqual(['ACCEPTED']);
    expect(createPaymentNotificationVerifier(verifierDeps).verifyRefund(raw(delivery!))).toEqual(
      expect.objectContaining({ eventType: 'REFUND.SUCCESS', refund: expect.objectContaining({ outTradeNo, outRefundNo: `R${outTradeNo}`, state: 'SUCCESS', refundFen: 1000, totalFen: 2350 }) }),
    );
  });

  it.each([
    ['STALE_TIMESTAMP', 'STALE_TIMESTAMP'],
    ['UNKNOWN_SERIAL', 'UNKNOWN_SERIAL'],
    ['SIGNTEST', 'BAD_SIGNATURE'],
    ['BAD_SIGNATURE', 'BAD_SIGNATURE'],
    ['MISSING_SIGNATURE', 'MISSING_HEADER'],
    ['TAMPERED_CIPHERTEXT', 'DECRYPTION_FAILED'],
    ['TAMPERED_TAG', 'DECRYPTION_FAILED'],
  ])('refuses a first delivery spoiled by %s (%s, 401) and accepts the genuine retry', async (fault, reason) => {
    const { receiver, outcomes } = await webhook();
    await stub.sandbox.armNotificationFaults([fault]);
    await payOrder(receiver.url);
    const deliveries = await receiver.waitFor(2);
    expect(outcomes).toEqual([reason, 'ACCEPTED']);
    expect(deliveries.map((delivery) => delivery.answeredStatus)).toEqual([401, 204]);
  });

  it('delivers a duplicate after success, under the same notification id', async () => {
    const { receiver, outcomes } = await webhook();
    await stub.sandbox.armNotificationFaults(['DUPLICATE']);
    await payOrder(receiver.url);
    const [first, second] = await receiver.waitFor(2);
    const verifier = createPaymentNotificationVerifier(verifierDeps);
    expect(outcomes).toEqual(['ACCEPTED', 'ACCEPTED']);
    expect(verifier.verifyPayment(raw(second!)).id).toBe(verifier.verifyPayment(raw(first!)).id);
    expect(second!.headers['wechatpay-nonce']).not.toBe(first!.headers['wechatpay-nonce']);
  });

  it('passes an authentic notification with another amount through, for the use case to compare with the order', async () => {
    const { receiver } = await webhook();
    await stub.sandbox.armNotificationFaults(['AMOUNT_MISMATCH']);
    await payOrder(receiver.url, 2350);
    const [delivery] = await receiver.waitFor(1);
    expect(createPaymentNotificationVerifier(verifierDeps).verifyPayment(raw(delivery!)).payment.amountFen).toBe(2351);
  });

  describe('checks on a captured genuine delivery', () => {
    let genuine: ReceivedNotification;
    const verify = (notification: RawNotification, deps: Partial<PaymentNotificationVerifierDeps> = {}) =>
      rejection(() => createPaymentNotificationVerifier({ ...verifierDeps, ...deps }).verifyPayment(notification));

    beforeAll(async () => {
      const { receiver } = await webhook();
      await payOrder(receiver.url);
      genuine = (await receiver.waitFor(1))[0]!;
    });

    it('refuses it with a required header missing (MISSING_HEADER, 401)', () => {
      const { 'wechatpay-serial': _, ...headers } = genuine.headers as Record<string, string>;
      expect(verify({ headers, body: genuine.body })).toEqual(expect.objectContaining({ reason: 'MISSING_HEADER', detail: 'missing wechatpay-serial' }));
    });

    it('refuses a malformed timestamp (MALFORMED_HEADER)', () => {
      expect(verify({ headers: { ...(genuine.headers as Record<string, string>), 'wechatpay-timestamp': '17e8' }, body: genuine.body })).toEqual(expect.objectContaining({ reason: 'MALFORMED_HEADER' }));
    });

    it('refuses a replay more than 5 minutes later, before any RSA work (STALE_TIMESTAMP)', () => {
      const timestampMs = Number(genuine.headers['wechatpay-timestamp']) * 1_000;
      expect(verify(raw(genuine), { clock: manualClock(new Date(timestampMs + 299_000)) })).toBeUndefined();
      expect(verify(raw(genuine), { clock: manualClock(new Date(timestampMs + 301_000)) })).toEqual(expect.objectContaining({ reason: 'STALE_TIMESTAMP' }));
      expect(verify(raw(genuine), { clock: manualClock(new Date(timestampMs - 301_000)) })).toEqual(expect.objectContaining({ reason: 'STALE_TIMESTAMP' }));
    });

    it('refuses a body changed after signing (BAD_SIGNATURE)', () => {
      expect(verify({ ...raw(genuine), body: genuine.body.replace('TRANSACTION.SUCCESS', 'TRANSACTION.SUCCESS ') })).toEqual(expect.objectContaining({ reason: 'BAD_SIGNATURE' }));
    });

    it('accepts header names in any case and a base64-encoded body from the gateway', () => {
      const shouting = Object.fromEntries(Object.entries(genuine.headers as Record<string, string>).map(([name, value]) => [name.toUpperCase(), value]));
      expect(verify({ headers: shouting, body: Buffer.from(genuine.body).toString('base64'), isBase64Encoded: true })).toBeUndefined();
    });

    it('refuses another merchant or app (MCHID_MISMATCH, APPID_MISMATCH, 400)', () => {
      expect(verify(raw(genuine), { mchid: '1900000001' })).toEqual(expect.objectContaining({ reason: 'MCHID_MISMATCH' }));
      expect(verify(raw(genuine), { appid: 'wx0000000000000000' })).toEqual(expect.objectContaining({ reason: 'APPID_MISMATCH' }));
    });

    it('refuses it when decrypted with another APIv3 key (DECRYPTION_FAILED)', () => {
      expect(verify(raw(genuine), { apiV3Key: Buffer.from('0123456789abcdef0123456789abcdef') })).toEqual(expect.objectContaining({ reason: 'DECRYPTION_FAILED' }));
    });

    it('refuses a payment notification at the refund webhook (UNEXPECTED_EVENT) and an empty body', () => {
      const verifier = createPaymentNotificationVerifier(verifierDeps);
      expect(rejection(() => verifier.verifyRefund(raw(genuine)))).toEqual(expect.objectContaining({ reason: 'UNEXPECTED_EVENT' }));
      expect(rejection(() => verifier.verifyPayment({ headers: {}, body: '' }))).toBeInstanceOf(PaymentNotificationRejectedError);
    });
  });
});
