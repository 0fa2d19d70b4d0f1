// time_expire as WeChat Pay treats it, through the project's adapter. Time passes for one trade at a time
// (`elapse`), so nothing here waits and other tests sharing the stand-in are not affected.
import type { PaymentGateway } from '../../shared/ports/payment-gateway';
import type { TestStandIn } from './support/stand-in';
import { failure, startPayBench, type PayBench, type TradeKit } from './support/trades';

let bench: PayBench;
let stub: TestStandIn;
let gateway: PaymentGateway;
let trades: TradeKit;

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1_000);
/** The effective time_expire of a trade, in seconds from now. */
const secondsLeft = async (outTradeNo: string) => (new Date((await stub.sandbox.trade(outTradeNo)).timeExpire).getTime() - Date.now()) / 1_000;
const state = async (outTradeNo: string) => (await gateway.queryPayment(outTradeNo))?.state;

beforeAll(async () => {
  bench = await startPayBench();
  ({ stub, gateway, trades } = bench);
});
afterAll(() => bench.close());

describe('a time_expire less than a minute after the order', () => {
  it('is moved to a minute after it, so the user can still pay after our own deadline', async () => {
    const order = await trades.opened({ expiresAt: inSeconds(5) });
    expect(await secondsLeft(order.outTradeNo)).toBeGreaterThan(57);
    expect(await secondsLeft(order.outTradeNo)).toBeLessThanOrEqual(60);
    await stub.sandbox.elapse(order.outTradeNo, 10);
    // Our deadline has passed; WeChat Pay's has not.
    expect(await stub.sandbox.pay(order.outTradeNo)).toEqual(expect.objectContaining({ status: 200, tradeState: 'SUCCESS' }));
    expect(await state(order.outTradeNo)).toBe('SUCCESS');
  });

  it('is moved even when already past, rather than refused', async () => {
    const order = await trades.opened({ expiresAt: inSeconds(-10) });
    expect(await secondsLeft(order.outTradeNo)).toBeGreaterThan(57);
  });

  it('is honoured exactly for a trade whose quirk says minPayWindowSeconds 0: past it the user cannot pay', async () => {
    const order = trades.order({ expiresAt: inSeconds(5) });
    expect((await stub.sandbox.setPayQuirks(order.outTradeNo, { minPayWindowSeconds: 0 })).quirks).toEqual(expect.objectContaining({ minPayWindowSeconds: 0 }));
    await gateway.prepay(order);
    expect(await secondsLeft(order.outTradeNo)).toBeLessThanOrEqual(5);
    await stub.sandbox.elapse(order.outTradeNo, 6);
    expect(await stub.sandbox.pay(order.outTradeNo)).toEqual(expect.objectContaining({ status: 409, code: 'TRADE_EXPIRED' }));
    expect(await state(order.outTradeNo)).toBe('CLOSED');
  });

  it('is honoured exactly for every trade of a stand-in started with payQuirks { minPayWindowSeconds: 0 }, and a past one refused', async () => {
    const exact = await startPayBench({ payQuirks: { minPayWindowSeconds: 0 } });
    try {
      const order = await exact.trades.opened({ expiresAt: inSeconds(5) });
      expect(new Date((await exact.stub.sandbox.trade(order.outTradeNo)).timeExpire).getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
      expect(await failure(exact.trades.opened({ expiresAt: inSeconds(-1) }))).toEqual(expect.objectContaining({ httpStatus: 400, providerCode: 'PARAM_ERROR' }));
    } finally {
      await exact.close();
    }
  });
});

describe('a time_expire more than 90 days after the order', () => {
  const DAY = 86_400;

  it('is refused as WeChat Pay refuses it (400 PARAM_ERROR, not retryable) and opens no trade; one just inside 90 days is kept as sent', async () => {
    const tooLate = trades.order({ expiresAt: inSeconds(90 * DAY + 60) });
    expect(await failure(gateway.prepay(tooLate))).toEqual(
      expect.objectContaining({ httpStatus: 400, providerCode: 'PARAM_ERROR', retryable: false, providerMessage: expect.stringContaining('90天') }),
    );
    expect(await gateway.queryPayment(tooLate.outTradeNo)).toBeUndefined();
    // Nothing was recorded under the number: the same out_trade_no with an acceptable time_expire is a first prepay
    // (had the refused one opened a trade, this would be 403 OUT_TRADE_NO_USED).
    await expect(gateway.prepay({ ...tooLate, expiresAt: inSeconds(30 * 60) })).resolves.toEqual({ prepayId: expect.any(String) });

    const inside = await trades.opened({ expiresAt: inSeconds(90 * DAY - 60) });
    expect(await secondsLeft(inside.outTradeNo)).toBeGreaterThan(90 * DAY - 120);
    expect(await secondsLeft(inside.outTradeNo)).toBeLessThanOrEqual(90 * DAY - 60);
  });
});

describe('a trade past its time_expire', () => {
  it('queries CLOSED, cannot be prepaid again, and is paid only by a payment already under way', async () => {
    const order = await trades.opened();
    await stub.sandbox.elapse(order.outTradeNo, 31 * 60);
    expect(await state(order.outTradeNo)).toBe('CLOSED');
    expect(await failure(gateway.prepay(order))).toEqual(expect.objectContaining({ httpStatus: 400, providerCode: 'ORDER_CLOSED' }));
    expect(await stub.sandbox.pay(order.outTradeNo)).toEqual(expect.objectContaining({ status: 409, code: 'TRADE_EXPIRED' }));
    expect(await stub.sandbox.pay(order.outTradeNo, { force: true })).toEqual(expect.objectContaining({ status: 200, tradeState: 'SUCCESS' }));
    expect(await state(order.outTradeNo)).toBe('SUCCESS');
  });

  it('queries NOTPAY when its quirk says so (older reports), until our close makes it CLOSED', async () => {
    const order = await trades.opened();
    await stub.sandbox.setPayQuirks(order.outTradeNo, { expiredTradeState: 'NOTPAY' });
    await stub.sandbox.elapse(order.outTradeNo, 31 * 60);
    expect(await state(order.outTradeNo)).toBe('NOTPAY');
    await gateway.closePayment(order.outTradeNo);
    expect(await state(order.outTradeNo)).toBe('CLOSED');
  });
});

it('hands out a new prepay_id for the same prepay after two hours', async () => {
  const order = trades.order({ expiresAt: inSeconds(3 * 3_600) });
  const { prepayId } = await gateway.prepay(order);
  await stub.sandbox.elapse(order.outTradeNo, 7_199);
  await expect(gateway.prepay(order)).resolves.toEqual({ prepayId });
  await stub.sandbox.elapse(order.outTradeNo, 1);
  const renewed = await gateway.prepay(order);
  expect(renewed.prepayId).not.toBe(prepayId);
  await expect(gateway.prepay(order)).resolves.toEqual(renewed);
});
