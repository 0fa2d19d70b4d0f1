// amount.total is the order amount everywhere; what the user paid (payer_total) may be less; a notification claiming
// another total is producible on its own, for the payment use case to catch. Read through the project's adapters.
import { createWechatPayGateway } from '../../shared/adapters/wechat/pay-gateway';
import type { PaymentGateway } from '../../shared/ports/payment-gateway';
import { merchantPaySettings, startTestStandIn, type TestStandIn } from './support/stand-in';
import { failure, tradeKit, type TradeKit } from './support/trades';
import { startWebhook, type Webhook } from './support/webhook';

let stub: TestStandIn;
let gateway: PaymentGateway;
let trades: TradeKit;
let webhook: Webhook<'payment'>;

const notificationFor = (outTradeNo: string) => webhook.acceptedOne((notification) => notification.payment.outTradeNo === outTradeNo);

beforeAll(async () => {
  stub = await startTestStandIn({ refundDelayMs: 20 });
  const settings = merchantPaySettings(stub);
  gateway = createWechatPayGateway(settings);
  webhook = await startWebhook(settings, 'payment');
  trades = tradeKit({ gateway, sandbox: stub.sandbox, payerOpenid: await stub.sandbox.newOpenid(), notifyUrl: webhook.receiver.url });
});
afterAll(async () => {
  await webhook.receiver.close();
  await stub.standIn.close();
});

describe('amounts', () => {
  it('a WeChat-side discount: payer_total is what the user paid, total stays the order amount, in the notification and the query', async () => {
    const order = await trades.paid({ amountFen: 2350 }, { payerTotalFen: 2000 });
    expect((await notificationFor(order.outTradeNo)).payment).toEqual(expect.objectContaining({ amountFen: 2350, payerAmountFen: 2000 }));
    await expect(gateway.queryPayment(order.outTradeNo)).resolves.toEqual(expect.objectContaining({ amountFen: 2350, payerAmountFen: 2000 }));
  });

  it('a discounted payment is refunded against the order amount, in full if need be', async () => {
    const order = await trades.paid({ amountFen: 2350 }, { payerTotalFen: 2000 });
    const base = { outTradeNo: order.outTradeNo, outRefundNo: `R${order.outTradeNo}`, refundFen: 2350 };
    expect(await failure(gateway.createRefund({ ...base, totalFen: 2000 }))).toEqual(expect.objectContaining({ httpStatus: 400, providerCode: 'PARAM_ERROR' }));
    await expect(gateway.createRefund({ ...base, totalFen: 2350 })).resolves.toEqual(expect.objectContaining({ state: 'PROCESSING', refundFen: 2350, totalFen: 2350 }));
  });

  it('amountFen makes only the notification claim another total: the trade, its query and its refunds keep the order amount', async () => {
    const order = await trades.paid({ amountFen: 2350 }, { amountFen: 1 });
    expect((await notificationFor(order.outTradeNo)).payment).toEqual(expect.objectContaining({ amountFen: 1, payerAmountFen: 1 }));
    await expect(gateway.queryPayment(order.outTradeNo)).resolves.toEqual(expect.objectContaining({ amountFen: 2350, payerAmountFen: 2350 }));
    expect(await stub.sandbox.trade(order.outTradeNo)).toEqual(expect.objectContaining({ amountFen: 2350, payerTotalFen: 2350 }));
    await expect(gateway.createRefund({ outTradeNo: order.outTradeNo, outRefundNo: `R${order.outTradeNo}`, refundFen: 2350, totalFen: 2350 })).resolves.toEqual(expect.objectContaining({ totalFen: 2350 }));
  });

  it('refuses a payerTotalFen above the order amount, leaving the trade unpaid', async () => {
    const order = await trades.opened({ amountFen: 100 });
    expect(await stub.sandbox.pay(order.outTradeNo, { payerTotalFen: 101 })).toEqual(expect.objectContaining({ status: 400, code: 'VALIDATION_FAILED' }));
    await expect(gateway.queryPayment(order.outTradeNo)).resolves.toEqual(expect.objectContaining({ state: 'NOTPAY', amountFen: 100 }));
  });
});
