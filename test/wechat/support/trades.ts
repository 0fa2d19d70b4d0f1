import type { PaymentGateway, PrepayRequest } from '../../../shared/ports/payment-gateway';
import { newOutTradeNo, type Sandbox } from './stand-in';

export type TradeKit = ReturnType<typeof tradeKit>;

/** Orders opened through the project's gateway and paid through the stand-in's sandbox. */
export function tradeKit(deps: { gateway: PaymentGateway; sandbox: Sandbox; payerOpenid: string; notifyUrl: string }) {
  const { gateway, sandbox } = deps;
  const order = (overrides: Partial<PrepayRequest> = {}): PrepayRequest => ({
    outTradeNo: newOutTradeNo(),
    description: '南山科技园店-拿铁x2',
    amountFen: 2350,
    payerOpenid: deps.payerOpenid,
    notifyUrl: deps.notifyUrl,
    expiresAt: new Date(Date.now() + 30 * 60_000),
    ...overrides,
  });

  /** A prepaid order, not paid yet. */
  async function opened(overrides: Partial<PrepayRequest> = {}): Promise<PrepayRequest> {
    const request = order(overrides);
    await gateway.prepay(request);
    return request;
  }

  /** A prepaid order the user paid (the sandbox's answer must be 200). */
  async function paid(overrides: Partial<PrepayRequest> = {}, payment: Parameters<Sandbox['pay']>[1] = {}): Promise<PrepayRequest> {
    const request = await opened(overrides);
    const answer = await sandbox.pay(request.outTradeNo, payment);
    if (answer.status !== 200) throw new Error(`the sandbox refused to pay ${request.outTradeNo}: ${JSON.stringify(answer)}`);
    return request;
  }

  return { order, opened, paid };
}

/** What a rejected promise was rejected with (undefined when it resolved). */
export const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
