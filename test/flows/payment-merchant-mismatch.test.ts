import { randomUUID } from 'node:crypto';
import { startApi } from '../support/api';
import { scanWhere } from '../support/dynamo';
import { overrideEnv } from '../support/env';
import { captureNotification, sandbox, type CapturedNotification } from '../support/wechat-pay';

// An authentic notification for another merchant (our configuration names another mchid than the one WeChat Pay
// signed for): refused with 400 after the signature is checked, kept as an anomaly for operators, nothing else written.
let api: Awaited<ReturnType<typeof startApi>>;
let notification: CapturedNotification;
let restoreEnv: () => void;
const orderId = `o${randomUUID().replace(/-/g, '').slice(0, 31)}`;

beforeAll(async () => {
  const payer = (await sandbox().loginCode({ user: `mchid-${randomUUID()}` })).openid;
  notification = await captureNotification({ id: orderId, payableFen: 990, payDeadline: new Date(Date.now() + 600_000).toISOString() }, payer);
  restoreEnv = overrideEnv({ WXPAY_MCHID: '1900000001' });
  api = await startApi();
});
afterAll(async () => {
  await api.close();
  restoreEnv();
});

it('refuses a notification for another merchant with 400, records the anomaly once an hour, and writes no payment', async () => {
  const before = (await scanWhere('paymentAnomalies', (a) => a.kind === 'MERCHANT_MISMATCH')).length;
  for (let i = 0; i < 2; i++) {
    expect(await api.call('POST', '/wxpay/notify', { body: notification.body, headers: notification.headers })).toMatchObject({ status: 400, body: { code: 'FAIL' } });
  }
  const anomalies = await scanWhere('paymentAnomalies', (a) => a.kind === 'MERCHANT_MISMATCH');
  expect(anomalies.length - before).toBeLessThanOrEqual(1);
  expect(anomalies).toContainEqual(expect.objectContaining({ kind: 'MERCHANT_MISMATCH', received: 'MCHID_MISMATCH' }));
  expect(await scanWhere('payments', (p) => p.orderId === orderId)).toEqual([]);
});
