import { startApi } from '../support/api';
import { getItem, scanWhere } from '../support/dynamo';
import { newRequestId, newShopper, newStore } from '../support/shop';
import { sandbox } from '../support/wechat-pay';
import type { PaymentGateway } from '../../shared/ports/payment-gateway';

// The payment races of the WeChat Pay stand-in's fault switches, through the real adapters: a payment that lands
// while the cancellation runs (between its query and its close), and a prepay whose answer was lost after WeChat Pay
// applied it.
let api: Awaited<ReturnType<typeof startApi>>;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

async function placedOrder() {
  const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } });
  const shopper = await newShopper(api.call);
  const order = (await api.call('POST', '/orders', { token: shopper.token, body: { requestId: newRequestId(), storeId, items: [{ productId: 'latte', quantity: 1 }] } })).body;
  return { order, storeId, ...shopper };
}

it('applies a payment that lands between the cancellation\'s query and its close, instead of cancelling', async () => {
  const { order, token, storeId } = await placedOrder();
  expect((await api.call('POST', `/orders/${order.id}/pay`, { token })).status).toBe(200);
  // The shopper's payment lands just as the cancellation closes the WeChat Pay order: the close answers ORDERPAID.
  await sandbox().armNotificationFaults(['BAD_SIGNATURE'], { outTradeNo: order.id });
  const { cancelOrderDeps } = await import('../../shared/composition/ordering');
  const deps = await cancelOrderDeps();
  const racing: Pick<PaymentGateway, 'queryPayment' | 'closePayment'> = {
    queryPayment: (no) => deps.gateway.queryPayment(no),
    closePayment: async (no) => {
      await sandbox().pay(no);
      return deps.gateway.closePayment(no);
    },
  };
  const { cancelUnpaidOrder } = await import('../../shared/use-cases/ordering/cancel-order');

  expect(await cancelUnpaidOrder({ ...deps, gateway: racing }, { orderId: order.id })).toBe('NOT_WAITING');

  expect(await getItem('orders', { orderId: order.id })).toMatchObject({ status: 'PAID' });
  expect(await scanWhere('payments', (p) => p.orderId === order.id)).toEqual([expect.objectContaining({ via: 'QUERY' })]);
  expect((await getItem('products', { storeId, productId: 'latte' }))?.stock).toBe(9);
  expect((await sandbox().trade(order.id)).refunds).toEqual([]);
});

it('opens one trade when the prepay\'s answer is lost after WeChat Pay applied it, and answers the same prepay_id', async () => {
  const { order, token } = await placedOrder();
  await sandbox().armPayFault({ fault: 'TIMEOUT', operation: 'pay.prepay', outTradeNo: order.id, calls: [1], applied: true });

  const answer = await api.call('POST', `/orders/${order.id}/pay`, { token });

  expect(answer).toMatchObject({ status: 200, body: { package: expect.stringMatching(/^prepay_id=/) } });
  expect((await sandbox().trade(order.id)).tradeState).toBe('NOTPAY');
  const again = await api.call('POST', `/orders/${order.id}/pay`, { token });
  expect(again.body.package).toBe(answer.body.package);
  expect((await getItem('orders', { orderId: order.id }))?.prepay?.prepayId).toBe(answer.body.package.replace('prepay_id=', ''));
});
