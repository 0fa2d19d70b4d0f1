import { bodyOf } from '../../client/api-client';
import { startApi } from '../support/api';
import { documentedClient } from '../support/api-client';
import { getItem } from '../support/dynamo';
import { overrideEnv } from '../support/env';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { privateTable } from '../support/private-table';
import { newRequestId, newShopper, newStore } from '../support/shop';
import { sandbox } from '../support/wechat-pay';

// POST /orders/{orderId}/pay on an order still WAIT_PAY but past its pay deadline (a 1 s pay timeout here): refused
// with 409 ORDER_NOT_PAYABLE before anything is written, no prepay opened at WeChat Pay (the stand-in) and the order
// row as it was. A private broker, so that no timeout consumer cancels the order while the test looks at it, and an
// orders table of this file's own, so that no other file's sweep cancels it (nor finds it overdue afterwards).
const PAY_TIMEOUT_SECONDS = 1;
let mq: PrivateMq;
let restoreEnv: () => void;
let api: Awaited<ReturnType<typeof startApi>>;
let shop: ReturnType<typeof documentedClient>;
let ordersTable: Awaited<ReturnType<typeof privateTable>>;

beforeAll(async () => {
  ordersTable = await privateTable('orders');
  restoreEnv = overrideEnv({ ORDER_PAY_TIMEOUT_SECONDS: String(PAY_TIMEOUT_SECONDS) });
  mq = await startPrivateMq();
  api = await startApi();
  shop = documentedClient(api.gateway.url);
});
afterAll(async () => {
  await api.close();
  await mq.stop();
  mq.restoreEnv();
  restoreEnv();
  await ordersTable.drop();
});

it('refuses to pay an unpaid order past its deadline with 409 ORDER_NOT_PAYABLE, opening no prepay and changing nothing', async () => {
  const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } });
  const { token } = await newShopper(api.call);
  const order = bodyOf(await shop.post('/orders', { token, body: { requestId: newRequestId(), storeId, items: [{ productId: 'latte', quantity: 1 }] } }), 201);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, new Date(order.payDeadline).getTime() - Date.now()) + 100));

  const before = await getItem('orders', { orderId: order.id });
  expect(before).toMatchObject({ status: 'WAIT_PAY', payDeadline: order.payDeadline });
  expect(before?.prepay).toBeUndefined();

  const answer = await shop.post('/orders/{orderId}/pay', { token, path: { orderId: order.id } });

  expect(answer).toMatchObject({ status: 409, body: { code: 'ORDER_NOT_PAYABLE', message: expect.stringContaining('past its pay deadline') } });
  // No trade at WeChat Pay for the order number, and the order row exactly as before (no prepay recorded).
  expect(await sandbox().trade(order.id)).toMatchObject({ status: 404, code: 'ORDER_NOT_EXIST' });
  expect(await getItem('orders', { orderId: order.id })).toEqual(before);
});
