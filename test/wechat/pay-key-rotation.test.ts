import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createWechatPayGateway } from '../../shared/adapters/wechat/pay-gateway';
import { createPaymentNotificationVerifier } from '../../shared/adapters/wechat/pay-notification';
import type { RawNotification } from '../../shared/ports/payment-gateway';
import { startNotifyReceiver, type NotifyReceiver, type ReceivedNotification } from './support/notify-receiver';
import { merchantPaySettings, newOutTradeNo, startTestStandIn, type TestStandIn } from './support/stand-in';

// During a WeChat Pay key rotation the allow-list holds two keys. Each message must verify with the key its
// Wechatpay-Serial names: a signature by the other allowed key is not good enough.
let stub: TestStandIn;
let settings: ReturnType<typeof merchantPaySettings>;
let receiver: NotifyReceiver;
let genuine: ReceivedNotification;
let serialA: string;
const serialB = 'PUB_KEY_ID_01234567890123456789012345678901';
const keyB = generateKeyPairSync('rsa', { modulusLength: 2048 });
let rotation: Map<string, KeyObject>;

beforeAll(async () => {
  stub = await startTestStandIn();
  settings = merchantPaySettings(stub);
  serialA = stub.standIn.config.wechatpayPublicKeyId;
  rotation = new Map([
    [serialA, createPublicKey(stub.standIn.config.wechatpayPublicKeyPem)],
    [serialB, keyB.publicKey],
  ]);
  receiver = await startNotifyReceiver();
  const outTradeNo = newOutTradeNo('K');
  const payerOpenid = await stub.sandbox.newOpenid();
  await createWechatPayGateway(settings).prepay({ outTradeNo, description: '换钥测试', amountFen: 100, payerOpenid, notifyUrl: receiver.url, expiresAt: new Date(Date.now() + 60_000) });
  expect((await stub.sandbox.pay(outTradeNo)).status).toBe(200);
  genuine = (await receiver.waitFor(1))[0]!;
});
afterAll(async () => {
  await receiver.close();
  await stub.standIn.close();
});

/** The captured delivery, signed again by `privateKey` (WeChat Pay's `timestamp\nnonce\nbody\n`), naming `serial`. */
function signedBy(privateKey: KeyObject, serial: string): RawNotification {
  const headers = genuine.headers as Record<string, string>;
  const message = `${headers['wechatpay-timestamp']}\n${headers['wechatpay-nonce']}\n${genuine.body}\n`;
  const signature = sign('sha256', Buffer.from(message, 'utf8'), privateKey).toString('base64');
  return { headers: { ...headers, 'wechatpay-signature': signature, 'wechatpay-serial': serial }, body: genuine.body };
}
const naming = (serial: string): RawNotification => ({ headers: { ...(genuine.headers as Record<string, string>), 'wechatpay-serial': serial }, body: genuine.body });

function verifyWithRotation(notification: RawNotification): unknown {
  const verifier = createPaymentNotificationVerifier({ appid: settings.appid, mchid: settings.mchid, apiV3Key: settings.apiV3Key, wechatpayPublicKeys: rotation });
  try {
    verifier.verifyPayment(notification);
    return 'ACCEPTED';
  } catch (error) {
    return error;
  }
}

describe('WeChat Pay key rotation: two keys in the allow-list', () => {
  it('accepts a notification signed by either key under its own serial', () => {
    expect(verifyWithRotation({ headers: genuine.headers as Record<string, string>, body: genuine.body })).toBe('ACCEPTED');
    expect(verifyWithRotation(signedBy(keyB.privateKey, serialB))).toBe('ACCEPTED');
  });

  it("refuses a notification signed by key B that names key A's serial (BAD_SIGNATURE)", () => {
    expect(verifyWithRotation(signedBy(keyB.privateKey, serialA))).toEqual(expect.objectContaining({ reason: 'BAD_SIGNATURE' }));
  });

  it("refuses a notification signed by key A that names key B's serial (BAD_SIGNATURE)", () => {
    expect(verifyWithRotation(naming(serialB))).toEqual(expect.objectContaining({ reason: 'BAD_SIGNATURE' }));
  });

  it('refuses an API answer whose serial names another allowed key than the one that signed it', async () => {
    // The stand-in signs with its key under serialA; here our list files that key under serialB, and serialA under a
    // key that did not sign.
    const crossed = new Map([
      [serialA, keyB.publicKey],
      [serialB, createPublicKey(stub.standIn.config.wechatpayPublicKeyPem)],
    ]);
    const gateway = createWechatPayGateway({ ...settings, wechatpayPublicKeys: crossed });
    const answer = gateway.prepay({
      outTradeNo: newOutTradeNo('K'),
      description: '换钥测试',
      amountFen: 1,
      payerOpenid: await stub.sandbox.newOpenid(),
      notifyUrl: 'http://127.0.0.1:9/wxpay/notify',
      expiresAt: new Date(Date.now() + 60_000),
    });
    await expect(answer).rejects.toEqual(expect.objectContaining({ reason: 'BAD_SIGNATURE' }));
  });
});
