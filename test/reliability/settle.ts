import type { ConsumerGroupKey } from '../../shared/messages/contracts';
import type { OutboxEvent } from '../../shared/ports/outbox';
import type { RefundRepository } from '../../shared/ports/payments';
import { dispatchOutboxEvent } from '../../shared/use-cases/outbox/dispatch-outbox';
import { reconcileRefunds } from '../../shared/use-cases/refunds/reconcile-refunds';
import { queryByPartition, queryIndex } from '../support/dynamo';
import type { Scope } from './invariants';
import type { World } from './world';

/** How long a scenario may take to settle after its flow: far more than any redelivery it needs. */
const SETTLE_TIMEOUT_MS = 45_000;

type Backlog = {
  /** Groups with messages ready or delayed; polling them delivers what is due. */
  ready: ConsumerGroupKey[];
  inFlight: number;
  halfMessages: number;
  /** WeChat Pay notifications of the scope's trades still being retried. */
  notifying: number;
  /** Refunds of the scope WeChat Pay has not settled. */
  openRefunds: number;
  pendingEvents: number;
};

const quiet = (b: Backlog) => b.ready.length + b.inFlight + b.halfMessages + b.notifying + b.openRefunds + b.pendingEvents === 0;

async function scopeOrderIds(scope: Scope): Promise<string[]> {
  const lists = await Promise.all(scope.users.map((user) => queryIndex('orders', 'byUser', 'userId', user.userId)));
  return lists.flat().map((order) => order.orderId as string);
}

/** The scope's outbox events still pending: what the relay would publish. */
async function pendingEvents(scope: Scope, orderIds: string[]): Promise<OutboxEvent[]> {
  const userIds = new Set(scope.users.map((user) => user.userId));
  const pending = await queryIndex('outbox', 'pending', 'pendingShard', 'pending');
  return pending.filter((event) => orderIds.includes(event.body?.orderId) || userIds.has(event.body?.userId)) as OutboxEvent[];
}

async function backlog(world: World, scope: Scope, orderIds: string[]): Promise<Backlog> {
  const names = world.consumerGroupNames();
  const topics = world.mq.broker.topics();
  const groups = topics.flatMap((topic) => topic.groups);
  const [notifications, refunds, events] = await Promise.all([
    Promise.all(orderIds.map((outTradeNo) => world.sandbox.notifications({ outTradeNo }))),
    Promise.all(orderIds.map((orderId) => queryByPartition('refunds', 'orderId', orderId))),
    pendingEvents(scope, orderIds),
  ]);
  return {
    ready: groups.filter((g) => g.waiting > 0 && names.has(g.group)).map((g) => names.get(g.group) as ConsumerGroupKey),
    inFlight: groups.reduce((n, g) => n + g.inFlight, 0),
    halfMessages: topics.reduce((n, t) => n + t.halfMessages, 0),
    notifying: notifications.flatMap((n) => n.items as Array<{ delivered: boolean; gaveUp: boolean }>).filter((r) => !r.delivered && !r.gaveUp).length,
    openRefunds: refunds.flat().filter((r) => r.status === 'REQUESTED' || r.status === 'PROCESSING').length,
    pendingEvents: events.length,
  };
}

/** The relay (functions/outbox-relay), past its grace period, for the scope's events only: other test files own theirs. */
async function relay(world: World, scope: Scope, orderIds: string[]): Promise<void> {
  const { relay: deps } = world.deps('relay');
  for (const event of await pendingEvents(scope, orderIds)) await dispatchOutboxEvent(deps, event);
}

/** The refund reconciler (functions/refund-reconciler) on the scope's unsettled refunds, whatever their age. */
async function reconcile(world: World, orderIds: string[]): Promise<void> {
  const { payments } = world.deps('reconciler');
  const refunds: RefundRepository = {
    ...payments.refunds,
    unsettled: async (before, limit) => (await world.adapters.refunds.unsettled(before, 1_000)).filter((r) => orderIds.includes(r.orderId)).slice(0, limit),
  };
  await reconcileRefunds({ ...payments, refunds }, { olderThanSeconds: 0 });
}

/**
 * Lets the scenario's aftermath run as production runs it: the relay publishes what a request left pending, each
 * consumer group with messages gets a scheduled run, the check-back decides half messages, WeChat Pay retries its
 * notifications, and the reconciler settles refunds once nothing else will. Returns when nothing is left to happen.
 */
export async function settle(world: World, scope: Scope): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  await world.injector.landed();
  for (;;) {
    const orderIds = await scopeOrderIds(scope);
    await relay(world, scope, orderIds);
    const left = await backlog(world, scope, orderIds);
    if (quiet(left)) return;
    if (Date.now() > deadline) throw new Error(`the scenario did not settle in ${SETTLE_TIMEOUT_MS} ms: ${JSON.stringify(left)}`);
    const work: Array<Promise<void>> = left.ready.map((group) => world.poll(group));
    if (left.halfMessages > 0) work.push(world.checkBack());
    // Only once the messages and notifications that settle refunds are done: the reconciler is the last resort.
    const othersDone = left.ready.length + left.inFlight + left.halfMessages + left.notifying === 0;
    if (left.openRefunds > 0 && othersDone) work.push(reconcile(world, orderIds));
    if (work.length > 0) await Promise.all(work);
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
