import { answerProblems } from '../../local/api-document/conformance';

// The check every answer of the tests' typed client goes through: it must catch an answer the document does not describe.
const order = {
  id: 'o0123456789abcdef0123456789abcde',
  storeId: 'store-001',
  status: 'PAID',
  items: [{ productId: 'latte', name: '拿铁', quantity: 1, priceFen: 2800 }],
  totalFen: 2800,
  discountFen: 0,
  payableFen: 2800,
  couponId: null,
  payDeadline: '2026-11-30T08:30:00.000Z',
  createdAt: '2026-11-30T08:00:00.000Z',
  paidAt: '2026-11-30T16:01:00+08:00',
  cancelledAt: null,
  refundedAt: null,
  refunds: [],
};

describe('answerProblems', () => {
  it('accepts an answer as documented', () => {
    expect(answerProblems('GET', '/orders/{orderId}', 200, order)).toEqual([]);
    expect(answerProblems('POST', '/orders', 409, { code: 'OUT_OF_STOCK', message: 'product latte ...' })).toEqual([]);
    expect(answerProblems('POST', '/wxpay/notify', 204, undefined)).toEqual([]);
    expect(answerProblems('POST', '/wxpay/notify', 401, { code: 'FAIL', message: 'bad signature' })).toEqual([]);
  });

  it('refuses a field the document does not describe, a missing one, and one of another type', () => {
    expect(answerProblems('GET', '/orders/{orderId}', 200, { ...order, openid: 'o-secret' })).toEqual([expect.stringContaining('fields the document does not describe')]);
    const { payableFen: _dropped, ...missing } = order;
    expect(answerProblems('GET', '/orders/{orderId}', 200, missing)).toEqual([expect.stringContaining('payableFen')]);
    expect(answerProblems('GET', '/orders/{orderId}', 200, { ...order, totalFen: '2800' })).toEqual([expect.stringContaining('totalFen')]);
    expect(answerProblems('GET', '/orders/{orderId}', 200, { ...order, createdAt: 'yesterday' })).toEqual([expect.stringContaining('createdAt')]);
  });

  it('refuses an error code not listed for the route and status, and an undocumented status', () => {
    expect(answerProblems('GET', '/orders/{orderId}', 404, { code: 'STORE_NOT_FOUND', message: 'x' })).toEqual([expect.stringContaining('STORE_NOT_FOUND is not documented')]);
    expect(answerProblems('GET', '/stores', 401, { code: 'UNAUTHORIZED', message: 'x' })).toEqual([expect.stringContaining('lists no 401')]);
    expect(answerProblems('GET', '/orders/{orderId}', 404, 'not found')).toEqual([expect.stringContaining('not an error body')]);
    expect(answerProblems('POST', '/wxpay/notify', 400, { code: 'PAYMENT_MISMATCH', message: 'x' })).toEqual([expect.stringContaining('PAYMENT_MISMATCH is not documented')]);
  });

  it('refuses a route the document does not have', () => {
    expect(answerProblems('DELETE', '/orders/{orderId}', 200, {})).toEqual(['DELETE /orders/{orderId} is not in the document']);
  });
});
