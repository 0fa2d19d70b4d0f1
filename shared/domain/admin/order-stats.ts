import type { Order } from '../ordering/order';

/** The statuses the operators' hourly figures count, and the counter each one adds to. */
const counterOf = { WAIT_PAY: 'created', PAID: 'paid', CANCELLED: 'cancelled', REFUNDED: 'refunded' } as const;
export type StatCounter = (typeof counterOf)[keyof typeof counterOf];

/** One hour of activity: orders that reached each status in it, and the money that stayed with the shop. */
export type HourBucket = { hourStart: string; created: number; paid: number; cancelled: number; refunded: number; revenueFen: number };

/** What reaching one status adds to the bucket of the hour it was reached in. */
export type StatusContribution = { hourStart: string; counter: StatCounter; revenueFen: number };

/** The widest range one stats request may cover: 7 days of hourly buckets. */
export const MAX_STATS_RANGE_HOURS = 7 * 24;

const HOUR_MS = 3_600_000;

/** The start of the UTC hour holding `at`, as an ISO string. China time is UTC+8, so the hours are the same. */
export function hourStartOf(at: string | Date): string {
  const ms = new Date(at).getTime();
  return new Date(ms - (((ms % HOUR_MS) + HOUR_MS) % HOUR_MS)).toISOString();
}

/** The starts of every hour that overlaps [from, to), oldest first. */
export function hourStartsBetween(from: Date, to: Date): string[] {
  const starts: string[] = [];
  for (let ms = new Date(hourStartOf(from)).getTime(); ms < to.getTime(); ms += HOUR_MS) starts.push(new Date(ms).toISOString());
  return starts;
}

export const emptyBucket = (hourStart: string): HourBucket => ({ hourStart, created: 0, paid: 0, cancelled: 0, refunded: 0, revenueFen: 0 });

/**
 * What `status` of this order adds to the figures, or undefined when it adds nothing: a status that is not counted
 * (CONFIRMED, FINISHED, REFUNDING), or one the order never reached (its history), such as the REFUNDED notice of a
 * cancelled order whose late payment went back. Revenue is what the shop keeps: the payable amount when an order is
 * paid, less its refund when that refund completes; a late payment is never revenue, so its refund takes none back.
 */
export function statusContribution(order: Order, status: string): StatusContribution | undefined {
  if (!Object.hasOwn(counterOf, status)) return undefined;
  const reached = order.history.find((entry) => entry.status === status);
  if (!reached) return undefined;
  const counter = counterOf[status as keyof typeof counterOf];
  return { hourStart: hourStartOf(reached.at), counter, revenueFen: revenueOf(order, counter) };
}

function revenueOf(order: Order, counter: StatCounter): number {
  if (counter === 'paid') return order.payableFen;
  if (counter === 'refunded') return -order.refunds.filter((refund) => refund.reason !== 'PAID_AFTER_CANCEL').reduce((sum, refund) => sum + refund.amountFen, 0);
  return 0;
}
