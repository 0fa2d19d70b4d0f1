import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { freePort } from '../../local/services/free-port';
import { generateLocalMerchantIdentity } from '../../local/wechat-stand-in';
import { createWechatPayGateway } from '../../shared/adapters/wechat/pay-gateway';
import { PaymentGatewayError, type PaymentGateway, type PrepayRequest } from '../../shared/ports/payment-gateway';
import { manualClock } from './support/clocks';
import { merchantPaySettings, newOutTradeNo, startTestStandIn, type TestStandIn } from './support/stand-in';
import { failure, tradeKit, type TradeKit } from './support/trades';

let stub: TestStandIn;
let gateway: PaymentGateway;
let trades: TradeKit;

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000);
const order = (overrides: Partial<PrepayRequest> = {}) => trades.order(overrides);
const paidOrder = (amountFen = 2350) => trades.paid({ amountFen });

beforeAll(async () => {
  // Notifications go to a loopback port nobody listens on; this suite looks at the API only, so retries are compressed away.
  const notifyUrl = `http://127.0.0.1:${await freePort()}/wxpay/notify`;
  stub = await startTestStandIn({ refundDelayMs: 50, notifyRetryCompression: 1_000_000 });
  gateway = createWechatPayGateway(merchantPaySettings(stub));
  trades = tradeKit({ gateway, sandbox: stub.sandbox, payerOpenid: await stub.sandbox.newOpenid(), notifyUrl });
});
afterAll(() => stub.standIn.close());

describe('WeChat Pay client against the stand-in', () => {
  it('prepays, and the same parameters again give the same prepay id', async () => {
    const request = order();
    const first = await gateway.prepay(request);
    expect(first.prepayId).toMatch(/^wx\d{14}[0-9a-f]{20}$/);
    await expect(gateway.prepay(request)).resolves.toEqual(first);
  });

  it('gets OUT_TRADE_NO_USED (403) for the same out_trade_no with other parameters', async () => {
    const request = order();
    await gateway.prepay(request);
    const error = await failure(gateway.prepay({ ...request, amountFen: request.amountFen + 1 }));
    expect(error).toBeInstanceOf(PaymentGatewayError);
    expect(error).toEqual(expect.objectContaining({ httpStatus: 403, providerCode: 'OUT_TRADE_NO_USED', retryable: false }));
  });

  it('gets PARAM_ERROR (400) for a time_expire more than 90 days ahead, and accepts one a few seconds ahead', async () => {
    await expect(gateway.prepay(order({ expiresAt: inMinutes(90 * 24 * 60 + 1) }))).rejects.toEqual(expect.objectContaining({ httpStatus: 400, providerCode: 'PARAM_ERROR' }));
    await expect(gateway.prepay(order({ expiresAt: new Date(Date.now() + 5_000) }))).resolves.toEqual({ prepayId: expect.any(String) });
  });

  it('gets APPID_MCHID_NOT_MATCH for an appid not bound to the merchant', async () => {
    const other = createWechatPayGateway({ ...merchantPaySettings(stub), appid: 'wx0000000000000000' });
    await expect(other.prepay(order())).rejects.toEqual(expect.objectContaining({ httpStatus: 400, providerCode: 'APPID_MCHID_NOT_MATCH' }));
  });

  it('queries a payment before and after the user pays', async () => {
    const request = order();
    await gateway.prepay(request);
    await expect(gateway.queryPayment(request.outTradeNo)).resolves.toEqual(expect.objectContaining({ outTradeNo: request.outTradeNo, state: 'NOTPAY', transactionId: undefined }));
    const paid = await stub.sandbox.pay(request.outTradeNo);
    await expect(gateway.queryPayment(request.outTradeNo)).resolves.toEqual(
      expect.objectContaining({ state: 'SUCCESS', transactionId: paid.transactionId, amountFen: 2350, payerAmountFen: 2350, currency: 'CNY', payerOpenid: request.payerOpenid, appid: stub.merchant.appid, mchid: stub.merchant.mchid }),
    );
  });

  it('answers undefined for a payment WeChat Pay does not know', async () => {
    await expect(gateway.queryPayment(newOutTradeNo('NONE'))).resolves.toBeUndefined();
  });

  it('closes an unpaid payment (204, signed), idempotently, so that it can no longer be paid', async () => {
    const request = order();
    await gateway.prepay(request);
    await gateway.closePayment(request.outTradeNo);
    await gateway.closePayment(request.outTradeNo);
    await expect(gateway.queryPayment(request.outTradeNo)).resolves.toEqual(expect.objectContaining({ state: 'CLOSED' }));
    expect(await stub.sandbox.pay(request.outTradeNo)).toEqual(expect.objectContaining({ status: 409, code: 'TRADE_CLOSED' }));
    expect(await stub.sandbox.pay(request.outTradeNo, { force: true })).toEqual(expect.objectContaining({ status: 200, tradeState: 'SUCCESS' }));
  });

  it('refuses to close a paid payment (ORDERPAID)', async () => {
    const request = await paidOrder();
    await expect(gateway.closePayment(request.outTradeNo)).rejects.toEqual(expect.objectContaining({ httpStatus: 400, providerCode: 'ORDERPAID' }));
  });

  it('refunds: PROCESSING first, SUCCESS after the delay, idempotent on out_refund_no', async () => {
    const request = await paidOrder(2350);
    const refundRequest = { outTradeNo: request.outTradeNo, outRefundNo: `R${request.outTradeNo}`, refundFen: 2350, totalFen: 2350, reason: '顾客取消' };
    const created = await gateway.createRefund(refundRequest);
    expect(created).toEqual(expect.objectContaining({ state: 'PROCESSING', refundFen: 2350, totalFen: 2350, outTradeNo: request.outTradeNo }));
    await expect(gateway.createRefund(refundRequest)).resolves.toEqual(expect.objectContaining({ refundId: created.refundId }));
    await new Promise((resolve) => setTimeout(resolve, 150));
    await expect(gateway.queryRefund(refundRequest.outRefundNo)).resolves.toEqual(expect.objectContaining({ refundId: created.refundId, state: 'SUCCESS', refundedAt: expect.stringMatching(/Z$/) }));
    expect((await stub.sandbox.trade(request.outTradeNo)).refunds).toEqual([{ outRefundNo: refundRequest.outRefundNo, amountFen: 2350, status: 'SUCCESS' }]);
  });

  it('refuses a refund beyond what was paid, and the same out_refund_no with another amount', async () => {
    const request = await paidOrder(1000);
    const base = { outTradeNo: request.outTradeNo, totalFen: 1000 };
    await gateway.createRefund({ ...base, outRefundNo: `A${request.outTradeNo}`, refundFen: 600 });
    await expect(gateway.createRefund({ ...base, outRefundNo: `B${request.outTradeNo}`, refundFen: 500 })).rejects.toEqual(expect.objectContaining({ httpStatus: 400, providerCode: 'INVALID_REQUEST' }));
    await expect(gateway.createRefund({ ...base, outRefundNo: `A${request.outTradeNo}`, refundFen: 300 })).rejects.toEqual(expect.objectContaining({ httpStatus: 400, providerCode: 'INVALID_REQUEST' }));
  });

  it('answers undefined for a refund WeChat Pay does not know', async () => {
    await expect(gateway.queryRefund('R-unknown')).resolves.toBeUndefined();
  });

  it('builds wx.requestPayment parameters whose paySign verifies with the merchant public key', async () => {
    const { prepayId } = await gateway.prepay(order());
    const params = gateway.requestPaymentParams(prepayId);
    const { merchantPublicKeyPem, appid } = await stub.sandbox.config();
    const message = `${appid}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
    expect(params).toEqual(expect.objectContaining({ package: `prepay_id=${prepayId}`, signType: 'RSA', timeStamp: expect.stringMatching(/^\d{10}$/), nonceStr: expect.stringMatching(/^[0-9A-Za-z]{32}$/) }));
    expect(verify('sha256', Buffer.from(message), createPublicKey(merchantPublicKeyPem), Buffer.from(params.paySign, 'base64'))).toBe(true);
    expect(verify('sha256', Buffer.from(`${message}x`), createPublicKey(merchantPublicKeyPem), Buffer.from(params.paySign, 'base64'))).toBe(false);
  });
});

describe('the stand-in refuses a bad Authorization with 401 SIGN_ERROR', () => {
  const signError = expect.objectContaining({ httpStatus: 401, providerCode: 'SIGN_ERROR' });

  it('signed with a key that is not the merchant key', async () => {
    const stranger = generateLocalMerchantIdentity();
    const forged = createWechatPayGateway({ ...merchantPaySettings(stub), merchantPrivateKey: createPrivateKey(stranger.merchantPrivateKeyPem) });
    await expect(forged.queryPayment('T000001')).rejects.toEqual(signError);
  });

  it('carrying another serial_no or mchid', async () => {
    await expect(createWechatPayGateway({ ...merchantPaySettings(stub), merchantSerialNo: 'ABCDEF0123456789' }).queryPayment('T000001')).rejects.toEqual(signError);
    await expect(createWechatPayGateway({ ...merchantPaySettings(stub), mchid: '1900000001' }).queryPayment('T000001')).rejects.toEqual(signError);
  });

  it('with a timestamp more than 5 minutes old', async () => {
    const late = manualClock(new Date(Date.now() - 301_000));
    await expect(createWechatPayGateway({ ...merchantPaySettings(stub), clock: late }).queryPayment('T000001')).rejects.toEqual(signError);
  });

  it('missing, or signed over another path or body than the one sent', async () => {
    const missing = await fetch(`${stub.standIn.url}/v3/pay/transactions/jsapi`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual(expect.objectContaining({ code: 'SIGN_ERROR' }));

    const { merchant } = stub;
    const timestamp = String(Math.floor(Date.now() / 1_000));
    const nonce = 'n0nce';
    const signature = sign('sha256', Buffer.from(`POST\n/v3/pay/transactions/jsapi\n${timestamp}\n${nonce}\n{"a":1}\n`), createPrivateKey(merchant.merchantPrivateKeyPem)).toString('base64');
    const authorization = `WECHATPAY2-SHA256-RSA2048 serial_no="${merchant.merchantSerialNo}",timestamp="${timestamp}",signature="${signature}",nonce_str="${nonce}",mchid="${merchant.mchid}"`;
    const otherBody = await fetch(`${stub.standIn.url}/v3/pay/transactions/jsapi`, { method: 'POST', headers: { authorization }, body: '{"a":2}' });
    expect(otherBody.status).toBe(401);
    expect(await otherBody.json()).toEqual(expect.objectContaining({ code: 'SIGN_ERROR', detail: expect.objectContaining({ detail: { issue: 'sign not match' } }) }));
    // The pairs in another order, over the body actually sent, pass the signature check (and fail validation instead).
    const sameBody = await fetch(`${stub.standIn.url}/v3/pay/transactions/jsapi`, { method: 'POST', headers: { authorization }, body: '{"a":1}' });
    expect(await sameBody.json()).toEqual(expect.objectContaining({ code: 'PARAM_ERROR' }));
  });
});
