import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createWechatPayGateway, type WechatPayGatewayDeps } from '../../shared/adapters/wechat/pay-gateway';
import { PaymentResponseUnverifiedError, type PaymentGateway } from '../../shared/ports/payment-gateway';
import { merchantPaySettings, newOutTradeNo, startTestStandIn, type TestStandIn } from './support/stand-in';

let stub: TestStandIn;
let settings: WechatPayGatewayDeps;
let payerOpenid: string;

beforeAll(async () => {
  stub = await startTestStandIn();
  settings = merchantPaySettings(stub);
  payerOpenid = await stub.sandbox.newOpenid();
});
afterAll(() => stub.standIn.close());

/** A prepay: its answer is a signed 200. Resolves to the error it failed with, if any. */
const prepay = (client: PaymentGateway) =>
  client
    .prepay({ outTradeNo: newOutTradeNo('V'), description: '验签测试', amountFen: 1, payerOpenid, notifyUrl: 'http://127.0.0.1:9/wxpay/notify', expiresAt: new Date(Date.now() + 60_000) })
    .then(
      () => undefined,
      (error: unknown) => error,
    );

async function prepayWithResponseFault(fault: string): Promise<unknown> {
  expect((await stub.sandbox.armResponseFault(fault)).status).toBe(200);
  return prepay(createWechatPayGateway(settings));
}

describe('our client refuses WeChat Pay answers that fail verification', () => {
  it.each([
    ['MISSING_SIGNATURE', 'MISSING_HEADER'],
    ['STALE_TIMESTAMP', 'STALE_TIMESTAMP'],
    ['UNKNOWN_SERIAL', 'UNKNOWN_SERIAL'],
    ['SIGNTEST', 'BAD_SIGNATURE'],
    ['BAD_SIGNATURE', 'BAD_SIGNATURE'],
  ])('a 2xx answer spoiled by %s fails with %s', async (fault, reason) => {
    const error = await prepayWithResponseFault(fault);
    expect(error).toBeInstanceOf(PaymentResponseUnverifiedError);
    expect(error).toEqual(expect.objectContaining({ reason }));
  });

  it('says which failure was a WECHATPAY/SIGNTEST/ probe, so that alerts can tell', async () => {
    expect(await prepayWithResponseFault('SIGNTEST')).toEqual(expect.objectContaining({ detail: 'WECHATPAY/SIGNTEST/ signature probe' }));
  });

  it('accepts the next, unspoiled answer', async () => {
    await prepayWithResponseFault('BAD_SIGNATURE');
    await expect(prepay(createWechatPayGateway(settings))).resolves.toBeUndefined();
  });

  it('trusts only the keys of its allow-list, under their own serial', async () => {
    const { publicKey: strangerKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const id = stub.standIn.config.wechatpayPublicKeyId;
    const wrongKey = createWechatPayGateway({ ...settings, wechatpayPublicKeys: new Map([[id, strangerKey]]) });
    const otherSerial = createWechatPayGateway({ ...settings, wechatpayPublicKeys: new Map([['PUB_KEY_ID_OTHER', createPublicKey(stub.standIn.config.wechatpayPublicKeyPem)]]) });
    expect(await prepay(wrongKey)).toEqual(expect.objectContaining({ reason: 'BAD_SIGNATURE' }));
    expect(await prepay(otherSerial)).toEqual(expect.objectContaining({ reason: 'UNKNOWN_SERIAL' }));
  });
});
