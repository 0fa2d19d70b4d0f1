import { startApi } from '../support/api';
import { getItem, scanWhere } from '../support/dynamo';
import { newRequestId, newShopper, newStore } from '../support/shop';

// A cancelled order whose late payment is being refunded, and then a second, different payment for it (WeChat Pay
// should never allow one; if it happens the money must not vanish): kept as an anomaly, refused, nothing else written.
let api: Awaited<ReturnType<typeof startApi>>;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

it('refuses a second late payment for a cancelled order and keeps it as a DUPLICATE_PAYMENT anomaly', async () => {
  const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } });
  const { token, openid } = await newShopper(api.call);
  const order = (await api.call('POST', '/orders', { token, body: { requestId: newRequestId(), storeId, items: [{ productId: 'latte', quantity: 1 }] } })).body;
  await api.call('POST', `/orders/${order.id}/cancel`, { token });

  const { recordPaymentDeps } = await import('../support/payment-deps');
  const created: string[] = [];
  const deps = recordPaymentDeps({ createRefund: async (request) => (created.push(request.outRefundNo), { outRefundNo: request.outRefundNo, refundId: 'r1', outTradeNo: request.outTradeNo, transactionId: 't', state: 'PROCESSING', refundFen: request.refundFen, totalFen: request.totalFen }) });
  const { recordPayment } = await import('../../shared/use-cases/payment/record-payment');
  const payment = (transactionId: string) => ({ appid: 'wx', mchid: '1', outTradeNo: order.id, state: 'SUCCESS' as const, transactionId, amountFen: order.payableFen, payerOpenid: openid });

  expect(await recordPayment(deps, { payment: payment('4200000001'), via: 'NOTIFICATION' })).toBe('LATE_PAYMENT_REFUNDING');
  await expect(recordPayment(deps, { payment: payment('4200000002'), via: 'NOTIFICATION' })).rejects.toMatchObject({ code: 'PAYMENT_MISMATCH' });

  expect(created).toEqual([`${order.id}-PAC`]);
  expect(await scanWhere('payments', (p) => p.orderId === order.id)).toEqual([expect.objectContaining({ transactionId: '4200000001' })]);
  expect(await scanWhere('paymentAnomalies', (a) => a.outTradeNo === order.id)).toEqual([expect.objectContaining({ kind: 'DUPLICATE_PAYMENT', transactionId: '4200000002' })]);
  expect(await getItem('orders', { orderId: order.id })).toMatchObject({ status: 'CANCELLED', refunds: [expect.objectContaining({ outRefundNo: `${order.id}-PAC` })] });
});
