import type { Order } from '../ordering/order';
import { hourStartOf, hourStartsBetween, statusContribution } from './order-stats';

const order = (history: Order['history'], refunds: Order['refunds'] = []): Order =>
  ({ id: 'o1', payableFen: 2800, history, refunds }) as unknown as Order;

describe('hourly buckets', () => {
  it('puts an instant in the UTC hour that holds it, China time included', () => {
    expect(hourStartOf('2026-11-28T08:59:59.999Z')).toBe('2026-11-28T08:00:00.000Z');
    expect(hourStartOf('2026-11-28T16:30:00+08:00')).toBe('2026-11-28T08:00:00.000Z');
    expect(hourStartOf('2026-11-28T08:00:00.000Z')).toBe('2026-11-28T08:00:00.000Z');
  });

  it('lists every hour a range touches, its end excluded', () => {
    expect(hourStartsBetween(new Date('2026-11-28T08:30:00Z'), new Date('2026-11-28T10:00:00Z'))).toEqual(['2026-11-28T08:00:00.000Z', '2026-11-28T09:00:00.000Z']);
    expect(hourStartsBetween(new Date('2026-11-28T08:30:00Z'), new Date('2026-11-28T10:00:00.001Z'))).toHaveLength(3);
  });
});

describe('statusContribution', () => {
  const paidThenRefunded = order(
    [
      { status: 'WAIT_PAY', at: '2026-11-28T08:10:00.000Z' },
      { status: 'PAID', at: '2026-11-28T08:20:00.000Z' },
      { status: 'REFUNDING', at: '2026-11-28T09:00:00.000Z' },
      { status: 'REFUNDED', at: '2026-11-28T10:05:00.000Z' },
    ],
    [{ outRefundNo: 'o1-RF', amountFen: 2800, status: 'SUCCESS', reason: 'USER_REQUESTED' }],
  );

  it('counts a status in the hour it was reached, with the money it brings or takes back', () => {
    expect(statusContribution(paidThenRefunded, 'WAIT_PAY')).toEqual({ hourStart: '2026-11-28T08:00:00.000Z', counter: 'created', revenueFen: 0 });
    expect(statusContribution(paidThenRefunded, 'PAID')).toEqual({ hourStart: '2026-11-28T08:00:00.000Z', counter: 'paid', revenueFen: 2800 });
    expect(statusContribution(paidThenRefunded, 'REFUNDED')).toEqual({ hourStart: '2026-11-28T10:00:00.000Z', counter: 'refunded', revenueFen: -2800 });
  });

  it('counts nothing for statuses without a counter, statuses never reached, or names that are no status', () => {
    expect(statusContribution(paidThenRefunded, 'REFUNDING')).toBeUndefined();
    expect(statusContribution(paidThenRefunded, 'CANCELLED')).toBeUndefined();
    expect(statusContribution(paidThenRefunded, 'constructor')).toBeUndefined();
  });

  it('takes no revenue back for the refund of a payment that came after the cancellation', () => {
    const cancelled = order(
      [
        { status: 'WAIT_PAY', at: '2026-11-28T08:10:00.000Z' },
        { status: 'CANCELLED', at: '2026-11-28T08:40:00.000Z' },
      ],
      [{ outRefundNo: 'o1-PAC', amountFen: 2800, status: 'SUCCESS', reason: 'PAID_AFTER_CANCEL' }],
    );
    expect(statusContribution(cancelled, 'CANCELLED')).toEqual({ hourStart: '2026-11-28T08:00:00.000Z', counter: 'cancelled', revenueFen: 0 });
    expect(statusContribution(cancelled, 'REFUNDED')).toBeUndefined();
  });
});
