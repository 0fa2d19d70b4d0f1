import { defaultTemplates } from '../../../local/wechat-stand-in/templates';
import { firstInvalidKey } from '../../../local/wechat-stand-in/subscribe-rules';
import { fitSubscribeData } from '../../adapters/wechat/subscribe-values';
import type { Order, OrderStatus } from '../ordering/order';
import { cancelledBody, confirmedBody, finishedBody, paidBody, refundedBody, waitPayBody, type NoticeData } from './bodies';
import { noticeTypes, type NoticeType } from './notice-types';
import { chinaTime, goodsSummary, yuan } from './values';

const builders: Record<NoticeType, (order: Order) => NoticeData> = {
  WAIT_PAY: waitPayBody,
  PAID: paidBody,
  CONFIRMED: confirmedBody,
  FINISHED: finishedBody,
  CANCELLED: cancelledBody,
  REFUNDED: refundedBody,
};

/** An order that reached every status (bodies only read the entry of their own). */
function order(overrides: Partial<Order> = {}): Order {
  const statuses: OrderStatus[] = ['WAIT_PAY', 'PAID', 'CONFIRMED', 'FINISHED', 'CANCELLED', 'REFUNDING', 'REFUNDED'];
  return {
    id: 'o0123456789abcdef0123456789abcde',
    userId: 'u1',
    openid: 'openid-1',
    storeId: 'store-001',
    status: 'REFUNDED',
    items: [{ productId: 'p1', name: '拿铁', quantity: 2, priceFen: 1800 }],
    totalFen: 3600,
    discountFen: 500,
    payableFen: 3100,
    payDeadline: '2026-11-30T08:30:00.000Z',
    createdAt: '2026-11-30T08:00:00.000Z',
    refunds: [{ outRefundNo: 'r1', amountFen: 3100, status: 'SUCCESS', reason: 'USER_REQUESTED' }],
    history: statuses.map((status, i) => ({ status, at: new Date(Date.parse('2026-11-30T08:00:00.000Z') + i * 60_000).toISOString() })),
    requestId: 'req-1',
    requestDigest: 'digest',
    ...overrides,
  };
}

const longName = '云南小粒咖啡豆手冲单品埃塞俄比亚耶加雪菲日晒精品装';
const extremes: Array<[string, Order]> = [
  ['an ordinary order', order()],
  ['one item of a very long name', order({ items: [{ productId: 'p1', name: longName, quantity: 1, priceFen: 1 }], payableFen: 1, totalFen: 1, discountFen: 0 })],
  ['many lines, a long first name and a large amount', order({ items: Array.from({ length: 40 }, (_, i) => ({ productId: `p${i}`, name: longName, quantity: 25, priceFen: 99_999 })), payableFen: 99_999_000 })],
  ['a free order (everything discounted)', order({ payableFen: 0, discountFen: 3600 })],
];

describe('notice bodies', () => {
  it.each(noticeTypes)('%s carries exactly the keys of its template', (type) => {
    const template = defaultTemplates.find((candidate) => candidate.type === type)!;
    expect(Object.keys(builders[type](order())).sort()).toEqual(Object.keys(template.keys).sort());
  });

  it.each(extremes)('every value of every body fits its key type, as the stand-in checks and without clipping (%s)', (_, subject) => {
    for (const template of defaultTemplates) {
      const body = builders[template.type](subject);
      expect(firstInvalidKey(template.keys, body)).toBeUndefined();
      expect(fitSubscribeData(body)).toEqual(body);
    }
  });

  it('fills the wait-pay notice with the order number, goods, amount to pay, deadline in China time and a hint', () => {
    expect(waitPayBody(order())).toEqual({
      character_string1: { value: 'o0123456789abcdef0123456789abcde' },
      thing2: { value: '拿铁等2件' },
      amount3: { value: '¥31.00' },
      time4: { value: '2026-11-30 16:30' },
      thing5: { value: '请在截止时间前支付，超时订单将自动取消' },
    });
  });

  it('dates each notice by the moment the order reached its status', () => {
    const subject = order();
    expect(paidBody(subject).time3).toEqual({ value: '2026-11-30 16:01' });
    expect(confirmedBody(subject).time4).toEqual({ value: '2026-11-30 16:02' });
    expect(finishedBody(subject).time3).toEqual({ value: '2026-11-30 16:03' });
    expect(cancelledBody(subject).time4).toEqual({ value: '2026-11-30 16:04' });
    expect(refundedBody(subject).time3).toEqual({ value: '2026-11-30 16:06' });
  });

  it('gives the timeout as the reason of a cancellation at the deadline, and the shopper before it', () => {
    const at = (iso: string) => order({ history: [{ status: 'WAIT_PAY', at: '2026-11-30T08:00:00.000Z' }, { status: 'CANCELLED', at: iso }] });
    expect(cancelledBody(at('2026-11-30T08:30:00.000Z')).thing3).toEqual({ value: '超时未支付，订单已自动取消' });
    expect(cancelledBody(at('2026-11-30T08:10:00.000Z')).thing3).toEqual({ value: '订单已按您的申请取消' });
  });

  it('shows the refunds that succeeded as the refunded amount', () => {
    const refunds = [
      { outRefundNo: 'r1', amountFen: 1000, status: 'SUCCESS' as const, reason: 'USER_REQUESTED' as const },
      { outRefundNo: 'r2', amountFen: 700, status: 'CLOSED' as const, reason: 'USER_REQUESTED' as const },
      { outRefundNo: 'r3', amountFen: 250, status: 'SUCCESS' as const, reason: 'OPERATOR' as const },
    ];
    expect(refundedBody(order({ refunds })).amount2).toEqual({ value: '¥12.50' });
  });

  it('refuses to date a notice of a status the order never reached', () => {
    expect(() => paidBody(order({ history: [{ status: 'WAIT_PAY', at: '2026-11-30T08:00:00.000Z' }] }))).toThrow('never reached PAID');
  });
});

describe('notice values', () => {
  it.each([
    [1250, '¥12.50'],
    [5, '¥0.05'],
    [0, '¥0.00'],
    [100, '¥1.00'],
    [123_456_789, '¥1234567.89'],
  ])('writes %i fen as %s', (fen, text) => {
    expect(yuan(fen)).toBe(text);
  });

  it('writes times in China time, crossing midnight and the year', () => {
    expect(chinaTime('2026-11-30T08:05:00.000Z')).toBe('2026-11-30 16:05');
    expect(chinaTime('2026-12-31T16:30:59.999Z')).toBe('2027-01-01 00:30');
  });

  it('summarises the goods by the first name and the number of items, shortening the name rather than the count', () => {
    expect(goodsSummary([{ productId: 'p', name: '拿铁', quantity: 1, priceFen: 1 }])).toBe('拿铁');
    expect(goodsSummary([{ productId: 'p', name: '拿铁', quantity: 1, priceFen: 1 }, { productId: 'q', name: '美式', quantity: 2, priceFen: 1 }])).toBe('拿铁等3件');
    const long = goodsSummary([{ productId: 'p', name: longName, quantity: 120, priceFen: 1 }]);
    expect(long.endsWith('…等120件')).toBe(true);
    expect(Array.from(long)).toHaveLength(20);
    expect(Array.from(goodsSummary([{ productId: 'p', name: longName, quantity: 1, priceFen: 1 }]))).toHaveLength(20);
  });
});
