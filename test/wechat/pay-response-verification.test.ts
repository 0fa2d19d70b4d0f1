import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createWechatPayGateway, type WechatPayGatewayDeps } from '../../shared/adapters/wechat/pay-gateway';
import { PaymentResponseUnverifiedError, type PaymentGateway } from '../../shared/ports/payment-gateway';
import type { PayFault } from '../../local/wechat-stand-in';
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
const prepay = (client: PaymentGateway, outTradeNo = newOutTradeNo('V')) =>
  client
    .prepay({ outTradeNo, description: '验签测试', amountFen: 1, payerOpenid, notifyUrl: 'http://127.0.0.1:9/wxpay/notify', expiresAt: new Date(Date.now() + 60_000) })
    .then(
      () => undefined,
      (error: unknown) => error,
    );

async function prepayWithResponseFault(fault: PayFault): Promise<unknown> {
  const outTradeNo = newOutTradeNo('V');
  expect((await stub.sandbox.armPayFault({ operation: 'pay.prepay', outTradeNo, fault })).status).toBe(200);
  return prepay(createWechatPayGateway(settings), outTradeNo);
}

describe('our client refuses WeChat Pay answers that fail verification', () => {
  it.each([
    ['MISSING_SIGNATURE', 'MISSING_HEADER'],
    ['STALE_TIMESTAMP', 'STALE_TIMESTAMP'],
    ['UNKNOWN_SERIAL', 'UNKNOWN_SERIAL'],
    ['SIGNTEST', 'BAD_SIGNATURE'],
    ['BAD_SIGNATURE', 'BAD_SIGNATURE'],
  ] as const)('a 2xx answer spoiled by %s fails with %s', async (fault, reason) => {
    const error = await prepayWithResponseFault(fault);
    expect(error).toBeInstanceOf(PaymentResponseUnverifiedError);
    expect(error).toEqual(expect.objectContaining({ reason }));
  });

  it('says which failure was a WECHATPAY/SIGNTEST/ probe, so that alerts can tell', async () => {
    expect(await prepayWithResponseFault('SIGNTEST')).toEqual(expect.objectContaining({ detail: 'WECHATPAY/SIGNTEST/ signature probe' }));
  });

  it('accepts the retry: the spoiled answer was real, and the same prepay again gets an unspoiled one', async () => {
    const outTradeNo = newOutTradeNo('V');
    await stub.sandbox.armPayFault({ operation: 'pay.prepay', outTradeNo, fault: 'BAD_SIGNATURE' });
    expect(await prepay(createWechatPayGateway(settings), outTradeNo)).toBeInstanceOf(PaymentResponseUnverifiedError);
    await expect(prepay(createWechatPayGateway(settings), outTradeNo)).resolves.toBeUndefined();
    expect((await stub.sandbox.trade(outTradeNo)).tradeState).toBe('NOTPAY');
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
