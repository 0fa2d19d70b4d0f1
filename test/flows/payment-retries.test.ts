import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startApi } from '../support/api';
import { getItem, scanWhere } from '../support/dynamo';
import { startPrivateWechat, type PrivateWechat } from '../support/private-wechat';
import { newRequestId, newShopper, newStore } from '../support/shop';
import { waitFor } from '../support/wechat-pay';

// WeChat Pay's retry schedule (compressed 1000 times by a private stand-in) meets a callback that fails with 5xx
// twice, as a load balancer in front of the API might: the third delivery settles the payment, nothing is doubled.
let wechat: PrivateWechat;
let api: Awaited<ReturnType<typeof startApi>>;
let flaky: Server;
let notifyPosts = 0;

beforeAll(async () => {
  wechat = await startPrivateWechat({ notifyRetryCompression: 1_000 });
  api = await startApi();
  const target = new URL(api.gateway.url);
  // Answers 502 to the first two notifications, then passes everything to the API.
  flaky = createServer((req, res) => {
    notifyPosts += 1;
    if (notifyPosts <= 2) {
      req.resume();
      res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway');
      return;
    }
    const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
  process.env.WXPAY_NOTIFY_URL = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/wxpay/notify`;
});
afterAll(async () => {
  await api.close();
  await new Promise((resolve) => flaky.close(resolve));
  await wechat.stop();
});

it('settles the payment on the third delivery after two 5xx answers, once', async () => {
  const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } });
  const { token } = await newShopper(api.call);
  const order = (await api.call('POST', '/orders', { token, body: { requestId: newRequestId(), storeId, items: [{ productId: 'latte', quantity: 1 }] } })).body;
  expect((await api.call('POST', `/orders/${order.id}/pay`, { token })).status).toBe(200);

  await wechat.sandbox.pay(order.id);

  const record = await waitFor(async () => (await wechat.sandbox.notifications({ outTradeNo: order.id })).items[0], (r) => r?.delivered === true, 15_000);
  expect(record.attempts.map((a: { status: number }) => a.status)).toEqual([502, 502, 204]);
  expect(await getItem('orders', { orderId: order.id })).toMatchObject({ status: 'PAID' });
  expect(await scanWhere('payments', (p) => p.orderId === order.id)).toHaveLength(1);
  expect(await scanWhere('outbox', (e) => e.body?.orderId === order.id && e.body?.status === 'PAID')).toHaveLength(1);
});
