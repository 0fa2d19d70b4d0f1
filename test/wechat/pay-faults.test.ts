// WeChat Pay API faults armed per trade and per call count, seen through the project's adapter: which errors say
// "retry with the same parameters" and which say "the outcome is unknown, so query".
import { createWechatPayGateway } from '../../shared/adapters/wechat/pay-gateway';
import { PaymentGatewayError, PaymentGatewayUnavailableError, type PaymentGateway } from '../../shared/ports/payment-gateway';
import { merchantPaySettings, type TestStandIn } from './support/stand-in';
import { failure, startPayBench, type PayBench, type TradeKit } from './support/trades';

let bench: PayBench;
let stub: TestStandIn;
let gateway: PaymentGateway;
/** Gives up after 300 ms, so that a withheld answer shows quickly. */
let impatient: PaymentGateway;
let trades: TradeKit;

beforeAll(async () => {
  bench = await startPayBench({ refundDelayMs: 5_000 });
  ({ stub, gateway, trades } = bench);
  impatient = createWechatPayGateway({ ...merchantPaySettings(stub), timeoutMs: 300 });
});
afterAll(() => bench.close());

describe('errors that say: retry with the same parameters', () => {
  it('500 SYSTEM_ERROR on prepay is retryable and changed nothing; the same prepay then opens the payment', async () => {
    const order = trades.order();
    await stub.sandbox.armPayFault({ operation: 'pay.prepay', outTradeNo: order.outTradeNo, fault: 'SYSTEM_ERROR' });
    const error = await failure(gateway.prepay(order));
    expect(error).toBeInstanceOf(PaymentGatewayError);
    expect(error).toEqual(expect.objectContaining({ httpStatus: 500, providerCode: 'SYSTEM_ERROR', retryable: true }));
    await expect(gateway.queryPayment(order.outTradeNo)).resolves.toBeUndefined();
    await expect(gateway.prepay(order)).resolves.toEqual({ prepayId: expect.stringMatching(/^wx/) });
  });

  it('a 500 after the refund was applied: the retry with the same out_refund_no gets that refund, not a second one', async () => {
    const order = await trades.paid({ amountFen: 1000 });
    const request = { outTradeNo: order.outTradeNo, outRefundNo: `R${order.outTradeNo}`, refundFen: 1000, totalFen: 1000 };
    await stub.sandbox.armPayFault({ operation: 'refund.create', outTradeNo: order.outTradeNo, fault: 'SYSTEM_ERROR', applied: true });
    expect(await failure(gateway.createRefund(request))).toEqual(expect.objectContaining({ httpStatus: 500, retryable: true }));
    const applied = await gateway.queryRefund(request.outRefundNo);
    expect(applied).toEqual(expect.objectContaining({ state: 'PROCESSING', refundFen: 1000 }));
    await expect(gateway.createRefund(request)).resolves.toEqual(expect.objectContaining({ refundId: applied?.refundId }));
    expect((await stub.sandbox.trade(order.outTradeNo)).refunds).toHaveLength(1);
  });

  it('429 FREQUENCY_LIMITED on the first two queries only (calls [1, 2]); the third answers', async () => {
    const order = await trades.opened();
    await stub.sandbox.armPayFault({ operation: 'pay.query', outTradeNo: order.outTradeNo, fault: 'FREQUENCY_LIMITED', calls: [1, 2] });
    for (let call = 1; call <= 2; call += 1) {
      expect(await failure(gateway.queryPayment(order.outTradeNo))).toEqual(expect.objectContaining({ httpStatus: 429, providerCode: 'FREQUENCY_LIMITED', retryable: true }));
    }
    await expect(gateway.queryPayment(order.outTradeNo)).resolves.toEqual(expect.objectContaining({ state: 'NOTPAY' }));
  });
});

describe('outcomes that are unknown, so query', () => {
  it('a prepay applied whose answer never came: the client times out, the query finds the trade, the same prepay gets its prepay_id', async () => {
    const order = trades.order();
    await stub.sandbox.armPayFault({ operation: 'pay.prepay', outTradeNo: order.outTradeNo, fault: 'TIMEOUT' });
    const startedAt = Date.now();
    const error = await failure(impatient.prepay(order));
    expect(error).toBeInstanceOf(PaymentGatewayUnavailableError);
    expect(String((error as Error).message)).toContain('timed out');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(280);
    await expect(gateway.queryPayment(order.outTradeNo)).resolves.toEqual(expect.objectContaining({ state: 'NOTPAY' }));
    const { prepayId } = await gateway.prepay(order);
    await expect(gateway.prepay(order)).resolves.toEqual({ prepayId });
  });

  it('a refund applied whose answer never came: the query by out_refund_no shows it', async () => {
    const order = await trades.paid({ amountFen: 800 });
    const request = { outTradeNo: order.outTradeNo, outRefundNo: `T${order.outTradeNo}`, refundFen: 800, totalFen: 800 };
    await stub.sandbox.armPayFault({ operation: 'refund.create', outRefundNo: request.outRefundNo, fault: 'TIMEOUT' });
    expect(await failure(impatient.createRefund(request))).toBeInstanceOf(PaymentGatewayUnavailableError);
    await expect(gateway.queryRefund(request.outRefundNo)).resolves.toEqual(expect.objectContaining({ state: 'PROCESSING', refundFen: 800 }));
  });

  it('a timeout before the close was applied leaves the trade open (applied: false)', async () => {
    const order = await trades.opened();
    await stub.sandbox.armPayFault({ operation: 'pay.close', outTradeNo: order.outTradeNo, fault: 'TIMEOUT', applied: false });
    expect(await failure(impatient.closePayment(order.outTradeNo))).toBeInstanceOf(PaymentGatewayUnavailableError);
    await expect(gateway.queryPayment(order.outTradeNo)).resolves.toEqual(expect.objectContaining({ state: 'NOTPAY' }));
  });

  it('202 USERPAYING on close is not taken for closed: the client reports an unknown outcome and the trade stays payable', async () => {
    const order = await trades.opened();
    await stub.sandbox.armPayFault({ operation: 'pay.close', outTradeNo: order.outTradeNo, fault: 'USERPAYING' });
    const error = await failure(gateway.closePayment(order.outTradeNo));
    expect(error).toBeInstanceOf(PaymentGatewayUnavailableError);
    expect(String((error as Error).message)).toContain('202 USERPAYING');
    await expect(gateway.queryPayment(order.outTradeNo)).resolves.toEqual(expect.objectContaining({ state: 'NOTPAY' }));
    await gateway.closePayment(order.outTradeNo);
    await expect(gateway.queryPayment(order.outTradeNo)).resolves.toEqual(expect.objectContaining({ state: 'CLOSED' }));
  });
});

describe('fault scoping, for tests sharing one stand-in', () => {
  it('a fault armed for one trade leaves others alone and counts only that trade calls', async () => {
    const [mine, theirs] = [await trades.opened(), await trades.opened()];
    await stub.sandbox.armPayFault({ operation: 'pay.query', outTradeNo: mine.outTradeNo, fault: 'SYSTEM_ERROR', calls: [2] });
    await gateway.queryPayment(theirs.outTradeNo);
    await gateway.queryPayment(theirs.outTradeNo);
    await expect(gateway.queryPayment(mine.outTradeNo)).resolves.toEqual(expect.objectContaining({ state: 'NOTPAY' }));
    expect(await failure(gateway.queryPayment(mine.outTradeNo))).toEqual(expect.objectContaining({ httpStatus: 500 }));
    await expect(gateway.queryPayment(mine.outTradeNo)).resolves.toEqual(expect.objectContaining({ state: 'NOTPAY' }));
  });

  it('lists the faults still armed, and reset clears those of a trade', async () => {
    const order = await trades.opened();
    const armed = await stub.sandbox.armPayFault({ operation: 'pay.query', outTradeNo: order.outTradeNo, fault: 'SYSTEM_ERROR', calls: [1, 3] });
    expect(armed).toEqual({ status: 200, id: expect.any(Number), operation: 'pay.query', outTradeNo: order.outTradeNo, fault: 'SYSTEM_ERROR', calls: [1, 3], applied: false });
    expect((await stub.sandbox.payFaults()).items).toContainEqual(expect.objectContaining({ id: armed.id, seen: 0 }));
    expect(await stub.sandbox.reset({ outTradeNo: order.outTradeNo })).toEqual({ status: 200, cleared: 1 });
    await expect(gateway.queryPayment(order.outTradeNo)).resolves.toEqual(expect.objectContaining({ state: 'NOTPAY' }));
  });

  it('refuses an unknown fault or operation (400 VALIDATION_FAILED)', async () => {
    expect(await stub.sandbox.armPayFault({ fault: 'NO_SUCH_FAULT' as never })).toEqual(expect.objectContaining({ status: 400, code: 'VALIDATION_FAILED' }));
    expect(await stub.sandbox.armPayFault({ fault: 'SYSTEM_ERROR', operation: 'pay.nothing' as never })).toEqual(expect.objectContaining({ status: 400, code: 'VALIDATION_FAILED' }));
  });
});
