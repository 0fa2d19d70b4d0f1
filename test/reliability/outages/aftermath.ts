import { hourStartOf } from '../../../shared/domain/admin/order-stats';
import { consumerGroups } from '../../../shared/messages/contracts';
import { pollOnce } from '../../support/consumers';
import { getItem, queryByPartition, queryIndex, scanWhere } from '../../support/dynamo';
import type { PrivateMq } from '../../support/private-mq';
import type { PrivateWechat } from '../../support/private-wechat';
import { checkInvariants, type Scope, type ScopeUser, type Violation } from '../invariants';

/**
 * After an outage: let what the scenario left behind run as production would (relay, consumers, WeChat Pay's retries),
 * then check every invariant of docs/reliability.md §1 over what the scenario touched, and that the order stats
 * counted each of its orders.
 */

/**
 * The consumer functions the aftermath runs: every one whose work the invariants (or the stats check) look at. Not the
 * timeout consumer (its messages fall due 30 minutes later: the orders stay WAIT_PAY, which the invariants allow), not
 * the reward consumer (no order is finished), not the store cache's (caches only).
 */
export const AFTERMATH_GROUPS = ['newUserCoupon', 'orderNotice', 'orderStats', 'refundExecutor', 'refundCoupon'] as const;
export type AftermathGroup = (typeof AFTERMATH_GROUPS)[number];
type ConsumerHandler = Parameters<typeof pollOnce>[0];
export type Consumers = Record<AftermathGroup, ConsumerHandler>;

/** The real consumer functions (import after the environment points at the test's broker and stand-in). */
export async function loadConsumers(): Promise<Consumers> {
  const [coupon, notice, stats, executor, refundCoupon] = await Promise.all([
    import('../../../functions/new-user-coupon-consumer/handler'),
    import('../../../functions/order-notice-consumer/handler'),
    import('../../../functions/order-stats-consumer/handler'),
    import('../../../functions/refund-executor-consumer/handler'),
    import('../../../functions/refund-coupon-consumer/handler'),
  ]);
  return { newUserCoupon: coupon.handler, orderNotice: notice.handler, orderStats: stats.handler, refundExecutor: executor.handler, refundCoupon: refundCoupon.handler };
}

export type AftermathContext = {
  mq: PrivateMq;
  wechat: PrivateWechat;
  consumers: Consumers;
  /** The relay over the scope's events only (other scenarios and test files own theirs). */
  relay: (userIds: string[], orderIds: string[]) => Promise<unknown>;
};

/** How long the aftermath may take once the dependency is back; what is left then is reported as a violation. */
const SETTLE_TIMEOUT_MS = 45_000;

/** Each openid that logged in during the scenario and has a user now (whatever its login answered): a new user. */
export async function usersOf(openids: string[]): Promise<ScopeUser[]> {
  const found = await Promise.all(openids.map((openid) => getItem('users', { openid })));
  return found.flatMap((user, i) => (user ? [{ userId: user.userId as string, openid: openids[i] as string, newUser: true }] : []));
}

async function scopeOrderIds(scope: Scope): Promise<string[]> {
  return (await Promise.all(scope.users.map((u) => queryIndex('orders', 'byUser', 'userId', u.userId)))).flat().map((o) => o.orderId as string);
}

const groupName = (group: AftermathGroup) => process.env[consumerGroups[group].env] as string;

/** What is still to happen for the scope; empty once everything settled. */
async function backlog(ctx: AftermathContext, scope: Scope, orderIds: string[]): Promise<string[]> {
  const userIds = new Set(scope.users.map((u) => u.userId));
  // The check-back polls half messages with the transactional producer's group; it consumes nothing.
  const producer = process.env[consumerGroups.orderTxProducer.env] ?? consumerGroups.orderTxProducer.defaultName;
  const [pending, notifications, refunds] = await Promise.all([
    queryIndex('outbox', 'pending', 'pendingShard', 'pending'),
    Promise.all(orderIds.map((outTradeNo) => ctx.wechat.sandbox.notifications({ outTradeNo }))),
    Promise.all(orderIds.map((orderId) => queryByPartition('refunds', 'orderId', orderId))),
  ]);
  const topics = ctx.mq.broker.topics();
  return [
    ...pending.filter((e) => orderIds.includes(e.body?.orderId) || userIds.has(e.body?.userId)).map((e) => `outbox event ${e.name} ${e.eventId} pending`),
    ...topics.flatMap((t) => t.groups.filter((g) => g.group !== producer && g.waiting + g.inFlight > 0).map((g) => `${t.topic}/${g.group}: ${g.waiting} waiting, ${g.inFlight} in flight`)),
    ...topics.filter((t) => t.halfMessages > 0).map((t) => `${t.topic}: ${t.halfMessages} undecided half messages`),
    ...(notifications.flatMap((n) => n.items) as Array<{ eventType: string; outTradeNo: string; delivered: boolean; gaveUp: boolean }>)
      .filter((n) => !n.delivered && !n.gaveUp)
      .map((n) => `WeChat Pay still retrying ${n.eventType} for ${n.outTradeNo}`),
    ...refunds.flat().filter((r) => r.status === 'REQUESTED' || r.status === 'PROCESSING').map((r) => `refund ${r.outRefundNo} still ${r.status}`),
  ];
}

/**
 * Runs the relay (no grace: nothing is in flight any more) and one scheduled run of each consumer with work, until
 * nothing of the scope is left or the timeout passes. Every consumer runs once first: the broker keeps a group's queue
 * from its first poll, and a group starts at the topic's oldest message, so nothing published earlier is skipped.
 */
async function settle(ctx: AftermathContext, scope: Scope): Promise<string[]> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let due: readonly AftermathGroup[] = AFTERMATH_GROUPS;
  for (;;) {
    const orderIds = await scopeOrderIds(scope);
    await ctx.relay(
      scope.users.map((u) => u.userId),
      orderIds,
    );
    await Promise.all(due.map((group) => pollOnce(ctx.consumers[group], 1)));
    const left = await backlog(ctx, scope, orderIds);
    if (left.length === 0 || Date.now() > deadline) return left;
    const busy = new Set(ctx.mq.broker.topics().flatMap((t) => t.groups.filter((g) => g.waiting + g.inFlight > 0).map((g) => g.group)));
    due = AFTERMATH_GROUPS.filter((group) => busy.has(groupName(group)));
    if (due.length === 0) await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The statuses the hourly stats count (shared/domain/admin/order-stats.ts). */
const COUNTED_STATUSES = ['WAIT_PAY', 'PAID', 'CANCELLED', 'REFUNDED'];

/**
 * The order-stats consumer counted every counted status each order of the scope reached, in the hour it reached it.
 * Per order, from the `COUNTED#<orderId>` markers written with the counters in one transaction: the hour buckets
 * themselves are shared with every other test file running meanwhile, so their totals prove nothing here.
 */
export async function statsViolations(orderIds: string[]): Promise<Violation[]> {
  const found: Violation[] = [];
  for (const orderId of orderIds) {
    const order = await getItem('orders', { orderId });
    for (const reached of (order?.history ?? []) as Array<{ status: string; at: string }>) {
      if (!COUNTED_STATUSES.includes(reached.status)) continue;
      const marker = await getItem('orderStats', { pk: `COUNTED#${orderId}`, sk: reached.status });
      if (!marker) found.push({ invariant: 'order stats count every order', detail: `${orderId} reached ${reached.status}, never counted`, lost: true });
      else if (marker.hourStart !== hourStartOf(reached.at)) found.push({ invariant: 'order stats count every order', detail: `${orderId} ${reached.status} counted in ${marker.hourStart}, reached ${reached.at}`, lost: false });
    }
  }
  return found;
}

export type AftermathResult = {
  violations: Violation[];
  /** What the invariants had to look at: with no order, coupon or payment they cover only the users. */
  covered: { users: number; orders: number; coupons: number; payments: number };
};

/** Settles the scenario, then every invariant over its scope and the stats of its orders. */
export async function aftermath(ctx: AftermathContext, scope: Scope): Promise<AftermathResult> {
  const left = await settle(ctx, scope);
  const orderIds = await scopeOrderIds(scope);
  const alerted = (messageId: string) => ctx.mq.logs.some((entry) => entry.event === 'mq.dead-letter' && entry.messageId === messageId);
  const [invariants, stats, coupons, payments] = await Promise.all([
    checkInvariants(scope, { sandbox: ctx.wechat.sandbox, mqUrl: ctx.mq.broker.url, alerted, newUserTemplateId: process.env.NEW_USER_COUPON_TEMPLATE_ID }),
    statsViolations(orderIds),
    Promise.all(scope.users.map((u) => queryByPartition('userCoupons', 'userId', u.userId))).then((lists) => lists.flat().length),
    orderIds.length === 0 ? 0 : scanWhere('payments', (p) => orderIds.includes(p.orderId)).then((list) => list.length),
  ]);
  const unsettled = left.map((detail): Violation => ({ invariant: 'the aftermath settles', detail: `after ${SETTLE_TIMEOUT_MS / 1000} s: ${detail}`, lost: false }));
  return { violations: [...unsettled, ...invariants, ...stats], covered: { users: scope.users.length, orders: orderIds.length, coupons, payments } };
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The row's note on what the check covered. */
export function coveredNote({ covered }: AftermathResult): string {
  const { users, orders, coupons, payments } = covered;
  if (orders + coupons + payments === 0) return `invariants checked, but the scenario made no order, coupon or payment: they cover only its ${count(users, 'user')}`;
  return `invariants checked over ${count(users, 'user')}, ${count(orders, 'order')}, ${count(coupons, 'coupon')}, ${count(payments, 'payment')}`;
}

export const describeViolation = (v: Violation) => `[${v.invariant}${v.lost ? ', lost' : ''}] ${v.detail}`;
