// Smaller WeChat Pay behaviours that rest on reports, each with its switch, through the project's adapter.
import type { PaymentGateway } from '../../shared/ports/payment-gateway';
import { newOutTradeNo, type TestStandIn } from './support/stand-in';
import { failure, startPayBench, type PayBench, type TradeKit } from './support/trades';

let bench: PayBench;
let stub: TestStandIn;
let gateway: PaymentGateway;
let trades: TradeKit;

beforeAll(async () => {
  bench = await startPayBench();
  ({ stub, gateway, trades } = bench);
});
afterAll(() => bench.close());

describe('closing an out_trade_no WeChat Pay never saw', () => {
  it('succeeds (204) by default, and leaves nothing to query', async () => {
    const outTradeNo = newOutTradeNo('U');
    await expect(gateway.closePayment(outTradeNo)).resolves.toBeUndefined();
    await expect(gateway.queryPayment(outTradeNo)).resolves.toBeUndefined();
  });

  it('fails with 404 ORDER_NOT_EXIST when the quirk says so', async () => {
    const outTradeNo = newOutTradeNo('U');
    await stub.sandbox.setPayQuirks(outTradeNo, { closeUnknownTrade: 'ORDER_NOT_EXIST' });
    expect(await failure(gateway.closePayment(outTradeNo))).toEqual(expect.objectContaining({ httpStatus: 404, providerCode: 'ORDER_NOT_EXIST' }));
  });
});

describe('attach', () => {
  it('is echoed by the query only once the trade is paid', async () => {
    const order = await trades.opened({ attach: 'store=S1' });
    await expect(gateway.queryPayment(order.outTradeNo)).resolves.toEqual(expect.objectContaining({ state: 'NOTPAY', attach: undefined }));
    await stub.sandbox.pay(order.outTradeNo);
    await expect(gateway.queryPayment(order.outTradeNo)).resolves.toEqual(expect.objectContaining({ state: 'SUCCESS', attach: 'store=S1' }));
  });

  it('is echoed before payment too when the quirk says so', async () => {
    const order = await trades.opened({ attach: 'store=S2' });
    await stub.sandbox.setPayQuirks(order.outTradeNo, { attachBeforePaid: true });
    await expect(gateway.queryPayment(order.outTradeNo)).resolves.toEqual(expect.objectContaining({ state: 'NOTPAY', attach: 'store=S2' }));
  });
});

it('refuses quirk overrides it does not know, or without an out_trade_no (400 VALIDATION_FAILED)', async () => {
  expect(await stub.sandbox.setPayQuirks(newOutTradeNo(), { minPayWindow: 0 } as never)).toEqual(expect.objectContaining({ status: 400, code: 'VALIDATION_FAILED' }));
  expect(await stub.sandbox.setPayQuirks(undefined as never, { attachBeforePaid: true })).toEqual(expect.objectContaining({ status: 400, code: 'VALIDATION_FAILED' }));
});
