import { randomUUID } from 'node:crypto';
import { LOCAL_ADMIN_API_KEY } from '../../local/services/backing';
import { startApi } from '../support/api';
import { pollOnce } from '../support/consumers';
import { getItem } from '../support/dynamo';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { newShopper, newStore } from '../support/shop';
import { sandbox, waitFor } from '../support/wechat-pay';

// Found by the campaign's load run: the reward coupon of a finished order (`tpl-order-reward.<orderId>`, the id
// docs/data-model.md gives it) was refused by POST /orders as a malformed couponId (400 VALIDATION_FAILED): the
// schema took coupon ids for plain entity ids, which have no dot. The shopper could see the coupon, never use it.
let mq: PrivateMq;
let api: Awaited<ReturnType<typeof startApi>>;
beforeAll(async () => {
  mq = await startPrivateMq();
  api = await startApi();
});
afterAll(async () => {
  await api.close();
  await mq.stop();
  mq.restoreEnv();
});

it('accepts the reward coupon a finished order earned when the shopper orders with it', async () => {
  const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } });
  const { token } = await newShopper(api.call);
  const place = (couponId?: string) => api.call('POST', '/orders', { token, body: { requestId: randomUUID(), storeId, items: [{ productId: 'latte', quantity: 1 }], ...(couponId ? { couponId } : {}) } });
  const first = (await place()).body;
  await api.call('POST', `/orders/${first.id}/pay`, { token });
  await sandbox().pay(first.id);
  await waitFor(() => getItem('orders', { orderId: first.id }), (row) => row?.status === 'PAID');
  await api.call('POST', `/admin/orders/${first.id}/confirm`, { headers: { 'x-admin-key': LOCAL_ADMIN_API_KEY } });
  expect((await api.call('POST', `/orders/${first.id}/finish`, { token })).status).toBe(200);
  await pollOnce((await import('../../functions/order-reward-consumer/handler')).handler, 1);
  const reward = (await api.call('GET', '/me/coupons', { token })).body.items.find((c: { templateId: string }) => c.templateId === 'tpl-order-reward');
  expect(reward).toMatchObject({ id: `tpl-order-reward.${first.id}`, status: 'UNUSED' });

  const second = await place(reward.id);

  expect(second).toMatchObject({ status: 201, body: { couponId: reward.id, discountFen: 300 } });
  expect((await api.call('GET', '/me/coupons', { token })).body.items).toContainEqual(expect.objectContaining({ id: reward.id, status: 'LOCKED' }));
});
