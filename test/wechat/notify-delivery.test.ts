// What counts as a delivered notification (docs/protocols/wechat-apis.md 4.7): 200 or 204 within 5 seconds, nothing else.
import { createWechatPayGateway } from '../../shared/adapters/wechat/pay-gateway';
import { startNotifyReceiver, type Answer, type NotifyReceiver } from './support/notify-receiver';
import { merchantPaySettings, notificationRecord, startTestStandIn, type TestStandIn } from './support/stand-in';
import { tradeKit, type TradeKit } from './support/trades';

let stub: TestStandIn;
let trades: TradeKit;
const receivers: NotifyReceiver[] = [];

async function receiver(answer: Answer): Promise<NotifyReceiver> {
  const started = await startNotifyReceiver(answer);
  receivers.push(started);
  return started;
}
const after = (ms: number, status: number) => new Promise<number>((resolve) => setTimeout(() => resolve(status), ms));
const statuses = (record: any) => record.attempts.map((attempt: any) => attempt.status ?? attempt.error);

beforeAll(async () => {
  // 15 s between attempts becomes 15 ms; the 5 s answer limit stays WeChat's own.
  stub = await startTestStandIn({ notifyRetryCompression: 1_000 });
  const gateway = createWechatPayGateway(merchantPaySettings(stub));
  trades = tradeKit({ gateway, sandbox: stub.sandbox, payerOpenid: await stub.sandbox.newOpenid(), notifyUrl: 'http://127.0.0.1:9/unused' });
});
afterAll(async () => {
  await Promise.all(receivers.map((started) => started.close()));
  await stub.standIn.close();
});

describe('notification delivery', () => {
  it('ends only on 200 or 204: 201, 202 and a redirect are failures and retried, and the redirect is not followed', async () => {
    const elsewhere = await receiver(() => 204);
    const answers = [201, 202, { status: 302, headers: { location: elsewhere.url } }, 200];
    const notifyUrl = (await receiver((delivery) => answers[delivery - 1] ?? 200)).url;
    const order = await trades.paid({ notifyUrl });
    const record = await notificationRecord(stub.sandbox, order.outTradeNo, (candidate) => candidate.delivered);
    expect(statuses(record)).toEqual([201, 202, 302, 200]);
    expect(elsewhere.received).toEqual([]);
  });

  it('counts an answer slower than 5 s as failed and retries it; one within 5 s is delivered', async () => {
    const slowUrl = (await receiver((delivery) => (delivery === 1 ? after(5_400, 204) : 204))).url;
    const promptUrl = (await receiver(() => after(4_400, 204))).url;
    const [slow, prompt] = await Promise.all([trades.paid({ notifyUrl: slowUrl }), trades.paid({ notifyUrl: promptUrl })]);
    const [slowRecord, promptRecord] = await Promise.all([
      notificationRecord(stub.sandbox, slow.outTradeNo, (candidate) => candidate.delivered),
      notificationRecord(stub.sandbox, prompt.outTradeNo, (candidate) => candidate.delivered),
    ]);
    expect(statuses(slowRecord)).toEqual(['timeout', 204]);
    expect(statuses(promptRecord)).toEqual([204]);
  });

  it('spoils only the notification of the trade a fault was armed for', async () => {
    const notifyUrl = (await receiver(() => 204)).url;
    const [mine, theirs] = [trades.order({ notifyUrl }), trades.order({ notifyUrl })];
    await stub.sandbox.armNotificationFaults(['BAD_SIGNATURE'], { outTradeNo: mine.outTradeNo });
    await trades.paid(theirs);
    await trades.paid(mine);
    expect((await notificationRecord(stub.sandbox, theirs.outTradeNo, (record) => record.delivered)).faults).toEqual([]);
    expect((await notificationRecord(stub.sandbox, mine.outTradeNo, (record) => record.delivered)).faults).toEqual(['BAD_SIGNATURE']);
  });
});
