import { startApi } from '../support/api';
import { getItem, scanWhere } from '../support/dynamo';
import { giveCoupon, newRequestId, newShopper, newStore } from '../support/shop';
import { sandbox, waitFor } from '../support/wechat-pay';

// A payment WeChat Pay discounted on its side (a WeChat Pay coupon, 立减): the user pays less than the order amount,
// the trade's amount.total stays the order's. The order is paid in full from our side, and the payment keeps what
// the user actually paid (payer_total) next to the amount charged.
let api: Awaited<ReturnType<typeof startApi>>;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const orderRow = (orderId: string) => getItem('orders', { orderId });
const paymentsOf = (orderId: string) => scanWhere('payments', (item) => item.orderId === orderId);
const anomaliesOf = (orderId: string) => scanWhere('paymentAnomalies', (item) => item.outTradeNo === orderId);

async function prepaidOrder(options: { coupon: boolean }) {
  const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } });
  const shopper = await newShopper(api.call);
  const couponId = options.coupon ? await giveCoupon(shopper.userId, { discountFen: 500, thresholdFen: 2000 }) : undefined;
  const created = await api.call('POST', '/orders', { token: shopper.token, body: { requestId: newRequestId(), storeId, couponId, items: [{ productId: 'latte', quantity: 1 }] } });
  expect(created.status).toBe(201);
  expect((await api.call('POST', `/orders/${created.body.id}/pay`, { token: shopper.token })).status).toBe(200);
  return { order: created.body as { id: string; payableFen: number }, couponId, ...shopper };
}

describe('a payment with a WeChat-side discount (payer_total below the total)', () => {
  it('reaches PAID, with the amount charged and the smaller amount the payer paid both recorded', async () => {
    const { order } = await prepaidOrder({ coupon: false });
    expect(order.payableFen).toBe(2800);

    expect(await sandbox().pay(order.id, { payerTotalFen: 2000 })).toMatchObject({ status: 200, tradeState: 'SUCCESS', amountFen: 2800, payerTotalFen: 2000 });

    const paid = await waitFor(() => orderRow(order.id), (row) => row?.status === 'PAID', 20_000);
    expect(paid).toMatchObject({ status: 'PAID', paidAt: expect.any(String), transactionId: expect.any(String) });
    expect(await paymentsOf(order.id)).toEqual([expect.objectContaining({ transactionId: paid?.transactionId, amountFen: 2800, payerAmountFen: 2000, via: 'NOTIFICATION' })]);
    expect(await anomaliesOf(order.id)).toEqual([]);
  });

  it('on top of our own coupon: PAID, the coupon USED, the payment charged at the payable amount with the payer\'s share recorded', async () => {
    const { order, userId, couponId } = await prepaidOrder({ coupon: true });
    expect(order.payableFen).toBe(2300);

    expect(await sandbox().pay(order.id, { payerTotalFen: 1999 })).toMatchObject({ status: 200, tradeState: 'SUCCESS', payerTotalFen: 1999 });

    const paid = await waitFor(() => orderRow(order.id), (row) => row?.status === 'PAID', 20_000);
    expect(await getItem('userCoupons', { userId, couponId })).toMatchObject({ status: 'USED', orderId: order.id });
    expect(await paymentsOf(order.id)).toEqual([expect.objectContaining({ transactionId: paid?.transactionId, amountFen: 2300, payerAmountFen: 1999 })]);
    expect(await anomaliesOf(order.id)).toEqual([]);
  });
});
