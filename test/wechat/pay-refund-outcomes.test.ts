// Refund outcomes and refusals the refund flow must survive, driven through the project's WeChat Pay adapter; every
// refund notification is checked by the project's verifier at a local webhook.
import { createWechatPayGateway } from '../../shared/adapters/wechat/pay-gateway';
import { PaymentGatewayError, type PaymentGateway, type PrepayRequest } from '../../shared/ports/payment-gateway';
import { startNotifyReceiver, type NotifyReceiver } from './support/notify-receiver';
import { merchantPaySettings, startTestStandIn, type TestStandIn } from './support/stand-in';
import { failure, tradeKit, type TradeKit } from './support/trades';
import { startWebhook, type Webhook } from './support/webhook';

let stub: TestStandIn;
let gateway: PaymentGateway;
let trades: TradeKit;
let paymentReceiver: NotifyReceiver;
let refundHook: Webhook<'refund'>;

const refund = (order: PrepayRequest, outRefundNo: string, refundFen: number) =>
  gateway.createRefund({ outTradeNo: order.outTradeNo, outRefundNo, refundFen, totalFen: order.amountFen, notifyUrl: refundHook.receiver.url });
const refundNotification = (outRefundNo: string, eventType: string) =>
  refundHook.acceptedOne((notification) => notification.refund.outRefundNo === outRefundNo && notification.eventType === eventType);

beforeAll(async () => {
  stub = await startTestStandIn({ refundDelayMs: 20, notifyRetryCompression: 1_000 });
  const settings = merchantPaySettings(stub);
  gateway = createWechatPayGateway(settings);
  paymentReceiver = await startNotifyReceiver();
  refundHook = await startWebhook(settings, 'refund');
  trades = tradeKit({ gateway, sandbox: stub.sandbox, payerOpenid: await stub.sandbox.newOpenid(), notifyUrl: paymentReceiver.url });
});
afterAll(async () => {
  await Promise.all([paymentReceiver.close(), refundHook.receiver.close()]);
  await stub.standIn.close();
});

describe('refund outcomes besides SUCCESS', () => {
  it('ends CLOSED when armed so: REFUND.CLOSED is notified, the query says CLOSED, and the amount can be refunded again', async () => {
    const order = await trades.paid({ amountFen: 1000 });
    expect((await stub.sandbox.armRefundOutcome({ outTradeNo: order.outTradeNo, status: 'CLOSED' })).status).toBe(200);
    expect(await refund(order, `C1${order.outTradeNo}`, 1000)).toEqual(expect.objectContaining({ state: 'PROCESSING' }));

    const closed = await refundNotification(`C1${order.outTradeNo}`, 'REFUND.CLOSED');
    expect(closed.refund).toEqual(expect.objectContaining({ state: 'CLOSED', refundFen: 1000, totalFen: 1000, refundedAt: undefined }));
    await expect(gateway.queryRefund(`C1${order.outTradeNo}`)).resolves.toEqual(expect.objectContaining({ state: 'CLOSED' }));
    await expect(gateway.queryPayment(order.outTradeNo)).resolves.toEqual(expect.objectContaining({ state: 'SUCCESS' }));

    await stub.sandbox.elapse(order.outTradeNo, 60);
    await expect(refund(order, `C2${order.outTradeNo}`, 1000)).resolves.toEqual(expect.objectContaining({ state: 'PROCESSING' }));
    await refundNotification(`C2${order.outTradeNo}`, 'REFUND.SUCCESS');
  });

  it('ends ABNORMAL when armed so: REFUND.ABNORMAL is notified, the amount stays committed, and it can still succeed later', async () => {
    const order = await trades.paid({ amountFen: 1000 });
    const outRefundNo = `A1${order.outTradeNo}`;
    await stub.sandbox.armRefundOutcome({ outRefundNo, status: 'ABNORMAL' });
    await refund(order, outRefundNo, 600);
    expect((await refundNotification(outRefundNo, 'REFUND.ABNORMAL')).refund).toEqual(expect.objectContaining({ state: 'ABNORMAL', refundedAt: undefined }));

    await stub.sandbox.elapse(order.outTradeNo, 60);
    expect(await failure(refund(order, `A2${order.outTradeNo}`, 500))).toEqual(expect.objectContaining({ httpStatus: 400, providerCode: 'INVALID_REQUEST' }));

    // The merchant resolves it in the console: WeChat Pay then reports SUCCESS.
    expect(await stub.sandbox.settleRefund(outRefundNo, 'SUCCESS')).toEqual({ status: 200, outRefundNo, refundStatus: 'SUCCESS' });
    expect((await refundNotification(outRefundNo, 'REFUND.SUCCESS')).refund).toEqual(expect.objectContaining({ state: 'SUCCESS', refundedAt: expect.stringMatching(/Z$/) }));
    await expect(gateway.queryRefund(outRefundNo)).resolves.toEqual(expect.objectContaining({ state: 'SUCCESS' }));
    expect(await stub.sandbox.settleRefund(outRefundNo, 'CLOSED')).toEqual(expect.objectContaining({ status: 409, code: 'REFUND_SETTLED' }));
  });

  it('stays PROCESSING when armed so, until the sandbox settles it', async () => {
    const order = await trades.paid({ amountFen: 500 });
    const outRefundNo = `P1${order.outTradeNo}`;
    await stub.sandbox.armRefundOutcome({ outRefundNo, status: 'PROCESSING' });
    await refund(order, outRefundNo, 500);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(gateway.queryRefund(outRefundNo)).resolves.toEqual(expect.objectContaining({ state: 'PROCESSING' }));
    await stub.sandbox.settleRefund(outRefundNo, 'CLOSED');
    await refundNotification(outRefundNo, 'REFUND.CLOSED');
  });
});

describe('refunds WeChat Pay refuses', () => {
  it('NOT_ENOUGH (403, not retryable): nothing is created, and the same out_refund_no goes through once the balance is back', async () => {
    const order = await trades.paid();
    const outRefundNo = `N1${order.outTradeNo}`;
    await stub.sandbox.armPayFault({ operation: 'refund.create', outTradeNo: order.outTradeNo, fault: 'NOT_ENOUGH' });
    const error = await failure(refund(order, outRefundNo, 2350));
    expect(error).toBeInstanceOf(PaymentGatewayError);
    expect(error).toEqual(expect.objectContaining({ httpStatus: 403, providerCode: 'NOT_ENOUGH', retryable: false }));
    await expect(gateway.queryRefund(outRefundNo)).resolves.toBeUndefined();
    await expect(refund(order, outRefundNo, 2350)).resolves.toEqual(expect.objectContaining({ state: 'PROCESSING' }));
  });

  it('FREQUENCY_LIMITED (429, retryable) for a second refund of the trade within a minute; accepted a minute later', async () => {
    const order = await trades.paid({ amountFen: 1000 });
    const first = await refund(order, `F1${order.outTradeNo}`, 300);
    expect(await failure(refund(order, `F2${order.outTradeNo}`, 300))).toEqual(expect.objectContaining({ httpStatus: 429, providerCode: 'FREQUENCY_LIMITED', retryable: true }));
    await expect(gateway.queryRefund(`F2${order.outTradeNo}`)).resolves.toBeUndefined();
    // A retry of the first refund is not a second refund.
    await expect(refund(order, `F1${order.outTradeNo}`, 300)).resolves.toEqual(expect.objectContaining({ refundId: first.refundId }));

    await stub.sandbox.elapse(order.outTradeNo, 59);
    expect(await failure(refund(order, `F2${order.outTradeNo}`, 300))).toEqual(expect.objectContaining({ providerCode: 'FREQUENCY_LIMITED' }));
    await stub.sandbox.elapse(order.outTradeNo, 1);
    await expect(refund(order, `F2${order.outTradeNo}`, 300)).resolves.toEqual(expect.objectContaining({ state: 'PROCESSING' }));
  });

  it('allows at most 50 refunds of one trade', async () => {
    const order = await trades.paid({ amountFen: 100 });
    await stub.sandbox.setPayQuirks(order.outTradeNo, { refundIntervalSeconds: 0 });
    for (let index = 1; index <= 50; index += 1) await refund(order, `M${index}-${order.outTradeNo}`, 1);
    expect(await failure(refund(order, `M51-${order.outTradeNo}`, 1))).toEqual(expect.objectContaining({ httpStatus: 400, providerCode: 'INVALID_REQUEST' }));
    expect((await stub.sandbox.trade(order.outTradeNo)).refunds).toHaveLength(50);
  });

  it('refuses an out_refund_no used with other amounts or for another trade (INVALID_REQUEST), and the first refund stands', async () => {
    const order = await trades.paid({ amountFen: 1000 });
    const other = await trades.paid({ amountFen: 1000 });
    const outRefundNo = `D1${order.outTradeNo}`;
    const first = await refund(order, outRefundNo, 500);
    expect(await failure(refund(order, outRefundNo, 400))).toEqual(expect.objectContaining({ httpStatus: 400, providerCode: 'INVALID_REQUEST' }));
    expect(await failure(refund(other, outRefundNo, 500))).toEqual(expect.objectContaining({ httpStatus: 400, providerCode: 'INVALID_REQUEST' }));
    await expect(gateway.queryRefund(outRefundNo)).resolves.toEqual(expect.objectContaining({ refundId: first.refundId, outTradeNo: order.outTradeNo, refundFen: 500 }));
    expect((await stub.sandbox.trade(other.outTradeNo)).refunds).toEqual([]);
  });
});
