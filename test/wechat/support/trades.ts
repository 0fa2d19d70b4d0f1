import type { WechatStandInOptions } from '../../../local/wechat-stand-in';
import { createWechatPayGateway } from '../../../shared/adapters/wechat/pay-gateway';
import type { PaymentGateway, PrepayRequest } from '../../../shared/ports/payment-gateway';
import { startNotifyReceiver } from './notify-receiver';
import { merchantPaySettings, newOutTradeNo, startTestStandIn, type Sandbox } from './stand-in';

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

export type PayBench = Awaited<ReturnType<typeof startPayBench>>;

/** A private stand-in, the project's gateway for it, and a trade kit whose payment notifications a receiver accepts. */
export async function startPayBench(options: Partial<WechatStandInOptions> = {}) {
  const stub = await startTestStandIn(options);
  const gateway = createWechatPayGateway(merchantPaySettings(stub));
  const receiver = await startNotifyReceiver();
  const trades = tradeKit({ gateway, sandbox: stub.sandbox, payerOpenid: await stub.sandbox.newOpenid(), notifyUrl: receiver.url });
  return {
    stub,
    gateway,
    trades,
    async close() {
      await receiver.close();
      await stub.standIn.close();
    },
  };
}
