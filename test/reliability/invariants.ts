import { canMove, type OrderStatus } from '../../shared/domain/ordering/order';
import { consumerGroups } from '../../shared/messages/contracts';
import { getItem, queryByPartition, queryIndex, scanWhere } from '../support/dynamo';
import type { Sandbox } from '../wechat/support/stand-in';

/**
 * What the reliability campaign holds after every scenario, checked against the systems themselves: DynamoDB (orders,
 * products, user coupons, payments, refunds, outbox), the WeChat stand-in (each order's trade and refunds, the
 * subscribe messages each shopper got) and the MQ broker (queues, dead letters).
 */

export type ScopeUser = { userId: string; openid: string; /** Logged in for the first time: exactly one new-user coupon. */ newUser?: boolean };
export type ScopeStore = { storeId: string; /** Stock per product when the scenario began. */ initialStock: Record<string, number> };
/** What a scenario touched: its shoppers and its own stores (so that stock conservation is checkable). */
export type Scope = { users: ScopeUser[]; stores: ScopeStore[] };

/** `lost`: something a caller was promised, or paid for, is gone (a coupon, an order, a payment, a message). */
export type Violation = { invariant: string; detail: string; lost: boolean };

export type InvariantSources = {
  sandbox: Sandbox;
  /** The broker's base URL (its unsigned `/__admin/*` routes). */
  mqUrl: string;
  /** Whether a dead letter was alerted on (an operator was told); absent: none was. */
  alerted?: (messageId: string) => boolean;
  newUserTemplateId?: string;
  rewardTemplateId?: string;
};

type Row = Record<string, any>;
type Trade = { status: number; tradeState?: string; amountFen?: number; transactionId?: string; refunds?: Array<{ outRefundNo: string; amountFen: number; status: string }> };
type Snapshot = { orders: Row[]; coupons: Row[]; payments: Row[]; refunds: Map<string, Row[]>; trades: Map<string, Trade>; pendingEvents: Row[] };

const PAID_STATES = new Set(['SUCCESS', 'REFUND']);
/** Statuses in which an order holds its coupon: LOCKED while waiting for payment, USED once paid. */
const HOLDING: ReadonlySet<OrderStatus> = new Set(['WAIT_PAY', 'PAID', 'CONFIRMED', 'FINISHED']);
const PAID_ORDER: ReadonlySet<OrderStatus> = new Set(['PAID', 'CONFIRMED', 'FINISHED', 'REFUNDING', 'REFUNDED']);

async function snapshot(scope: Scope, sources: InvariantSources): Promise<Snapshot> {
  const userIds = new Set(scope.users.map((u) => u.userId));
  const indexed = (await Promise.all(scope.users.map((u) => queryIndex('orders', 'byUser', 'userId', u.userId)))).flat();
  const orders = (await Promise.all(indexed.map((o) => getItem('orders', { orderId: o.orderId })))).filter((o): o is Row => o !== undefined);
  const orderIds = new Set(orders.map((o) => o.orderId as string));
  const [coupons, payments, refundLists, tradeList, pending] = await Promise.all([
    Promise.all(scope.users.map((u) => queryByPartition('userCoupons', 'userId', u.userId))).then((lists) => lists.flat()),
    scanWhere('payments', (p) => orderIds.has(p.orderId)),
    Promise.all(orders.map((o) => queryByPartition('refunds', 'orderId', o.orderId))),
    Promise.all(orders.map((o) => sources.sandbox.trade(o.orderId) as Promise<Trade>)),
    queryIndex('outbox', 'pending', 'pendingShard', 'pending'),
  ]);
  const concerns = (event: Row) => orderIds.has(event.body?.orderId) || userIds.has(event.body?.userId);
  return {
    orders,
    coupons,
    payments,
    refunds: new Map(orders.map((o, i) => [o.orderId, refundLists[i] ?? []])),
    trades: new Map(orders.map((o, i) => [o.orderId, tradeList[i] as Trade])),
    pendingEvents: pending.filter(concerns),
  };
}

const violation = (invariant: string, detail: string, lost = false): Violation => ({ invariant, detail, lost });

/** Order states never move backwards: the history is a path of allowed moves and the status is its end. */
function historyViolations(order: Row): Violation[] {
  const path = (order.history as Array<{ status: OrderStatus }>).map((h) => h.status);
  const found: Violation[] = [];
  if (path[0] !== 'WAIT_PAY') found.push(violation('state never moves backwards', `${order.orderId} starts at ${path[0]}`));
  for (let i = 1; i < path.length; i++) {
    if (!canMove(path[i - 1] as OrderStatus, path[i] as OrderStatus)) found.push(violation('state never moves backwards', `${order.orderId}: ${path.join(' -> ')}`));
  }
  if (path[path.length - 1] !== order.status) found.push(violation('state never moves backwards', `${order.orderId} is ${order.status}, its history ends at ${path[path.length - 1]}`));
  return found;
}

/** No order paid twice, and every payment WeChat Pay took is matched by an order state or a refund. */
function paymentViolations(order: Row, snap: Snapshot): Violation[] {
  const found: Violation[] = [];
  const trade = snap.trades.get(order.orderId);
  const payments = snap.payments.filter((p) => p.orderId === order.orderId);
  const paidTimes = (order.history as Array<{ status: string }>).filter((h) => h.status === 'PAID').length;
  if (payments.length > 1 || paidTimes > 1) found.push(violation('no order paid twice', `${order.orderId}: ${payments.length} payment records, PAID ${paidTimes} times`));
  const paidAtWechat = trade?.status === 200 && PAID_STATES.has(trade.tradeState ?? '');
  if (!paidAtWechat) {
    if (PAID_ORDER.has(order.status) || payments.length > 0) found.push(violation('every payment matched', `${order.orderId} is ${order.status} with ${payments.length} payments, but WeChat Pay says ${trade?.tradeState ?? 'no trade'}`));
    return found;
  }
  const recorded = payments.some((p) => p.transactionId === trade.transactionId && p.amountFen === trade.amountFen);
  const lateRefund = (order.refunds as Row[]).some((r) => r.reason === 'PAID_AFTER_CANCEL' && r.amountFen === trade.amountFen);
  const matched = order.transactionId === trade.transactionId && (PAID_ORDER.has(order.status) || (order.status === 'CANCELLED' && lateRefund));
  if (!recorded || !matched) {
    found.push(violation('every payment matched', `${order.orderId}: WeChat Pay took ${trade.amountFen} fen (${trade.transactionId}); we have ${order.status}, recorded=${recorded}, late refund=${lateRefund}`, true));
  }
  return found;
}

/** Refunds at most the amount paid, each out_refund_no executed at most once and recorded as WeChat Pay reports it. */
function refundViolations(order: Row, snap: Snapshot): Violation[] {
  const found: Violation[] = [];
  const trade = snap.trades.get(order.orderId);
  const ours = snap.refunds.get(order.orderId) ?? [];
  const theirs = trade?.status === 200 ? (trade.refunds ?? []) : [];
  const paidFen = trade?.status === 200 && PAID_STATES.has(trade.tradeState ?? '') ? (trade.amountFen ?? 0) : 0;
  const sum = (list: Row[]) => list.filter((r) => r.status !== 'CLOSED').reduce((total, r) => total + (r.amountFen as number), 0);
  if (sum(ours) > paidFen || sum(theirs) > paidFen) found.push(violation('refunds at most the amount paid', `${order.orderId}: paid ${paidFen}, refunds ours ${sum(ours)}, WeChat Pay ${sum(theirs)}`));
  if (new Set(theirs.map((r) => r.outRefundNo)).size !== theirs.length) found.push(violation('refunds at most the amount paid', `${order.orderId}: an out_refund_no refunded twice`));
  for (const refund of theirs) {
    const record = ours.find((r) => r.outRefundNo === refund.outRefundNo);
    if (!record) found.push(violation('refunds at most the amount paid', `${order.orderId}: WeChat Pay refund ${refund.outRefundNo} we never recorded`));
    else if (refund.status === 'SUCCESS' && record.status !== 'SUCCESS') found.push(violation('refund recorded', `${refund.outRefundNo} is SUCCESS at WeChat Pay, ${record.status} here`));
  }
  if (order.status === 'REFUNDED' && !theirs.some((r) => r.status === 'SUCCESS' && r.amountFen === paidFen)) {
    found.push(violation('refund recorded', `${order.orderId} is REFUNDED but WeChat Pay refunded no ${paidFen} fen`, true));
  }
  return found;
}

/** A coupon is held by one order at most, in the status that order needs, and never stays locked by nobody. */
function couponViolations(snap: Snapshot): Violation[] {
  const found: Violation[] = [];
  for (const coupon of snap.coupons) {
    const holders = snap.orders.filter((o) => o.couponId === coupon.couponId && o.userId === coupon.userId && HOLDING.has(o.status));
    if (holders.length > 1) found.push(violation('a coupon never held by two orders', `${coupon.couponId}: ${holders.map((o) => `${o.orderId} ${o.status}`).join(', ')}`));
    const holder = holders[0];
    const expected = holder ? (holder.status === 'WAIT_PAY' ? 'LOCKED' : 'USED') : undefined;
    if (holder && (coupon.status !== expected || coupon.orderId !== holder.orderId)) {
      found.push(violation('coupon matches its order', `${coupon.couponId} is ${coupon.status} for ${coupon.orderId}; ${holder.orderId} is ${holder.status}`));
    }
    if (!holder && (coupon.status === 'LOCKED' || coupon.status === 'USED')) {
      found.push(violation('no coupon lost', `${coupon.couponId} is ${coupon.status} for ${coupon.orderId}, which does not hold it (${snap.orders.find((o) => o.orderId === coupon.orderId)?.status ?? 'no such order'})`, true));
    }
  }
  return found;
}

/** The new-user coupon exactly once per new user; one reward per finished order and none for any other. */
function grantViolations(scope: Scope, snap: Snapshot, sources: InvariantSources): Violation[] {
  const found: Violation[] = [];
  const newUserTemplate = sources.newUserTemplateId ?? 'tpl-new-user';
  const rewardTemplate = sources.rewardTemplateId ?? 'tpl-order-reward';
  for (const user of scope.users.filter((u) => u.newUser)) {
    const granted = snap.coupons.filter((c) => c.userId === user.userId && c.templateId === newUserTemplate).length;
    if (granted !== 1) found.push(violation('no coupon granted twice or lost', `user ${user.userId} holds ${granted} new-user coupons`, granted === 0));
  }
  for (const order of snap.orders) {
    const rewards = snap.coupons.filter((c) => c.couponId === `${rewardTemplate}.${order.orderId}`).length;
    const expected = order.status === 'FINISHED' ? 1 : 0;
    if (rewards !== expected) found.push(violation('no coupon granted twice or lost', `${order.orderId} (${order.status}) earned ${rewards} rewards`, rewards < expected));
  }
  return found;
}

/** Stock never negative and conserved: initial = on the shelf + held by open orders + sold. */
async function stockViolations(scope: Scope, snap: Snapshot): Promise<Violation[]> {
  const found: Violation[] = [];
  for (const store of scope.stores) {
    for (const [productId, initial] of Object.entries(store.initialStock)) {
      const shelf = (await getItem('products', { storeId: store.storeId, productId }))?.stock as number;
      const taken = snap.orders
        .filter((o) => o.storeId === store.storeId && o.status !== 'CANCELLED')
        .flatMap((o) => o.items as Row[])
        .filter((line) => line.productId === productId)
        .reduce((sum, line) => sum + (line.quantity as number), 0);
      if (shelf < 0) found.push(violation('stock never negative', `${store.storeId}/${productId}: ${shelf}`));
      if (shelf + taken !== initial) found.push(violation('stock conserved', `${store.storeId}/${productId}: started ${initial}, shelf ${shelf} + orders ${taken}`, shelf + taken < initial));
    }
  }
  return found;
}

type GroupStats = { group: string; inFlight: number; waiting: number };
type TopicStats = { topic: string; halfMessages: number; groups: GroupStats[] };
type DeadLetter = { messageId: string; topic: string; group: string; body: string };

async function adminGet<T>(mqUrl: string, path: string): Promise<T> {
  return (await (await fetch(`${mqUrl}/__admin/${path}`)).json()) as T;
}

/** No message left undelivered (the scope's outbox, every queue and half message of the broker) or dead-lettered unseen. */
async function messageViolations(scope: Scope, snap: Snapshot, sources: InvariantSources): Promise<Violation[]> {
  const found: Violation[] = snap.pendingEvents.map((e) => violation('no message left undelivered', `outbox event ${e.name} ${e.eventId} still pending`, true));
  const { topics } = await adminGet<{ topics: TopicStats[] }>(sources.mqUrl, 'topics');
  // The check-back polls half messages with the transactional producer's group; it consumes nothing.
  const producer = process.env[consumerGroups.orderTxProducer.env] ?? consumerGroups.orderTxProducer.defaultName;
  for (const topic of topics) {
    if (topic.halfMessages > 0) found.push(violation('no message left undelivered', `${topic.topic}: ${topic.halfMessages} undecided half messages`));
    for (const group of topic.groups.filter((g) => g.group !== producer && g.inFlight + g.waiting > 0)) {
      found.push(violation('no message left undelivered', `${topic.topic}/${group.group}: ${group.waiting} waiting, ${group.inFlight} in flight`, true));
    }
  }
  const ids = [...scope.users.map((u) => u.userId), ...snap.orders.map((o) => o.orderId as string)];
  const { deadLetters } = await adminGet<{ deadLetters: DeadLetter[] }>(sources.mqUrl, 'dead-letters');
  for (const dead of deadLetters.filter((d) => ids.some((id) => d.body.includes(id)))) {
    if (!sources.alerted?.(dead.messageId)) found.push(violation('no message dead-lettered without an alert', `${dead.topic}/${dead.group} ${dead.messageId}`, true));
  }
  return found;
}

/** Order notices at most once: a shopper never gets two messages of one template for one order. */
async function noticeViolations(scope: Scope, sources: InvariantSources): Promise<Violation[]> {
  const found: Violation[] = [];
  for (const user of scope.users) {
    const { items } = (await sources.sandbox.messages(user.openid)) as { items: Array<{ templateId: string; data: Record<string, { value: string }> }> };
    const seen = new Set<string>();
    for (const message of items) {
      const key = `${message.templateId} ${message.data.character_string1?.value}`;
      if (seen.has(key)) found.push(violation('notices at most once', `${user.openid} got ${key} twice`));
      seen.add(key);
    }
  }
  return found;
}

/** Every invariant over the scope; an empty list when all hold. Call it once the scenario has settled. */
export async function checkInvariants(scope: Scope, sources: InvariantSources): Promise<Violation[]> {
  const snap = await snapshot(scope, sources);
  return [
    ...snap.orders.flatMap(historyViolations),
    ...snap.orders.flatMap((o) => paymentViolations(o, snap)),
    ...snap.orders.flatMap((o) => refundViolations(o, snap)),
    ...couponViolations(snap),
    ...grantViolations(scope, snap, sources),
    ...(await stockViolations(scope, snap)),
    ...(await messageViolations(scope, snap, sources)),
    ...(await noticeViolations(scope, sources)),
  ];
}
