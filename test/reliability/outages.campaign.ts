import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startRedis } from '../../local/services/redis';
import type { RunningService } from '../../local/services/child-process';
import { LOCAL_ADMIN_API_KEY } from '../../local/services/backing';
import { startApi } from '../support/api';
import { pollOnce } from '../support/consumers';
import { getItem, queryByPartition, queryIndex } from '../support/dynamo';
import { overrideEnv } from '../support/env';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { startPrivateWechat, type PrivateWechat } from '../support/private-wechat';
import { giveCoupon, newStore } from '../support/shop';
import { waitFor } from '../support/wechat-pay';
import type { ScopeUser } from './invariants';
import { aftermath, coveredNote, describeViolation, loadConsumers, statsViolations, usersOf, type AftermathResult, type Consumers } from './outages/aftermath';
import { dynamoInternalError, dynamoThrottle, startFaultProxy, type FaultProxy, type ProxyMode } from './outages/fault-proxy';
import { outageViolations, probe, recoveredAfter, seconds, type Probe } from './outages/probe';
import { recordRow } from './results';

// Each dependency down in turn, under the real handlers behind the local gateway: what clients get meanwhile (never a
// raw 500, never a hang past the function's budget, 503 with the dependency's code and Retry-After where a flow must
// refuse), how long after the dependency's return the service is whole again (at most 60 s), and then, once what the
// scenario left behind has run (outages/aftermath.ts), every invariant over what it touched: nothing lost.
let redisServer: RunningService;
let dynamo: FaultProxy;
let wechatProxy: FaultProxy;
let mq: PrivateMq;
let wechat: PrivateWechat;
let api: Awaited<ReturnType<typeof startApi>>;
let restoreEnv: () => void;
let consumers: Consumers;
const mqData = mkdtempSync(join(tmpdir(), 'wx-shop-outage-mq-'));

type Answer = { status: number; body: any; headers: Headers };
async function call(method: string, path: string, options: { body?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) };
  const response = await fetch(`${api.gateway.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}
const admin = { 'x-admin-key': LOCAL_ADMIN_API_KEY };

beforeAll(async () => {
  redisServer = await startRedis();
  dynamo = await startFaultProxy(process.env.DYNAMODB_ENDPOINT as string);
  mq = await startPrivateMq({ invisibilitySeconds: 1, orderlyInvisibilitySeconds: 1, dataDir: mqData });
  // WeChat Pay retries a notification 15 times faster than it does (1 s, 1 s, 2 s, 12 s...).
  wechat = await startPrivateWechat({ notifyRetryCompression: 15, refundDelayMs: 200 });
  wechatProxy = await startFaultProxy(wechat.standIn.url);
  restoreEnv = overrideEnv({ REDIS_URL: redisServer.url, DYNAMODB_ENDPOINT: dynamo.url, WX_API_BASE_URL: wechatProxy.url, WXPAY_BASE_URL: wechatProxy.url, STORE_CACHE_NAMESPACE: `outage-${randomUUID()}` });
  api = await startApi();
  consumers = await loadConsumers();
}, 60_000);
afterAll(async () => {
  await Promise.all([dynamo.set('forward'), wechatProxy.set('forward')]);
  await api.close();
  await wechatProxy.close();
  await wechat.stop();
  await mq.stop();
  mq.restoreEnv();
  await dynamo.close();
  await redisServer.stop();
  restoreEnv();
  rmSync(mqData, { recursive: true, force: true });
});

async function login(): Promise<{ token: string; userId: string; openid: string }> {
  const { code, openid } = await wechat.sandbox.loginCode({ user: `outage-${randomUUID()}` });
  const { body } = await call('POST', '/auth/login', { body: { code } });
  return { token: body.token, userId: body.user.id, openid };
}

/** A shopper logged in for the first time by the scenario: the invariants expect exactly one new-user coupon. */
const scoped = (shopper: { userId: string; openid: string }): ScopeUser => ({ userId: shopper.userId, openid: shopper.openid, newUser: true });
const ownStore = (storeId: string) => ({ storeId, initialStock: { latte: 100 } });

/** The scenario's aftermath and every invariant over its shoppers (those of `openids` that exist now too) and store. */
async function checkAfter(shoppers: ScopeUser[], openids: string[], storeId: string): Promise<AftermathResult> {
  const users = [...shoppers, ...(await usersOf(openids.filter((openid) => !shoppers.some((s) => s.openid === openid))))];
  return aftermath({ mq, wechat, consumers, relay: (userIds, orderIds) => relayScope(userIds, orderIds, 0) }, { users, stores: [ownStore(storeId)] });
}

async function placeOrder(token: string, storeId: string, couponId?: string) {
  return call('POST', '/orders', { token, body: { requestId: randomUUID(), storeId, items: [{ productId: 'latte', quantity: 1 }], ...(couponId ? { couponId } : {}) } });
}

async function paidOrder(shopper: { token: string }, storeId: string): Promise<string> {
  const orderId = (await placeOrder(shopper.token, storeId)).body.id as string;
  await call('POST', `/orders/${orderId}/pay`, { token: shopper.token });
  await wechat.sandbox.pay(orderId);
  await waitFor(() => getItem('orders', { orderId }), (row) => row?.status === 'PAID');
  return orderId;
}

/** What a shopper and an operator do in a minute, each request timed; the openid that logged in. */
async function everyday(shopper: { token: string }, storeId: string, orderId: string): Promise<{ during: Probe[]; openid: string }> {
  const { code, openid } = await wechat.sandbox.loginCode({ user: `outage-${randomUUID()}` });
  const during = [
    await probe(call, 'POST', '/auth/login', { body: { code } }),
    await probe(call, 'GET', '/stores'),
    await probe(call, 'GET', `/stores/${storeId}/products`),
    await probe(call, 'GET', '/me/coupons', { token: shopper.token }),
    await probe(call, 'PUT', '/cart', { token: shopper.token, body: { storeId, items: [{ productId: 'latte', quantity: 1 }] } }),
    await probe(call, 'POST', '/orders', { token: shopper.token, body: { requestId: randomUUID(), storeId, items: [{ productId: 'latte', quantity: 1 }] } }),
    await probe(call, 'GET', '/orders', { token: shopper.token }),
    await probe(call, 'GET', `/orders/${orderId}`, { token: shopper.token }),
    await probe(call, 'PUT', `/admin/stores/${storeId}/products/bagel`, { headers: admin, body: { name: '贝果', priceFen: 1200, stock: 5 } }),
  ];
  return { during, openid };
}

/**
 * The scenario's row: violations are what clients got during the outage that they must not (`violations`) plus the
 * invariants broken afterwards, data lost the latter marked lost (both measured, never assumed). Adds the broken
 * invariants to `violations`, which the scenario then expects empty.
 */
function record(scenario: string, probes: Probe[], violations: string[], after: AftermathResult, recovery: string, notes = '') {
  const behaviour = violations.length;
  violations.push(...after.violations.map(describeViolation));
  recordRow({
    scenario,
    requests: probes.length,
    violations: behaviour + after.violations.length,
    dataLost: after.violations.filter((v) => v.lost).length,
    recovery,
    notes: [`slowest answer ${Math.max(...probes.map((p) => p.ms))} ms`, coveredNote(after), notes].filter(Boolean).join('; '),
  });
}

describe('Redis down', () => {
  it('degrades to DynamoDB (every request served, within its budget) and uses Redis again once it is back', async () => {
    const { storeId } = await newStore({ latte: { priceFen: 1800, stock: 100 } });
    const shopper = await login();
    const orderId = (await placeOrder(shopper.token, storeId)).body.id as string;
    const port = redisServer.port as number;
    await redisServer.stop();

    const { during, openid } = await everyday(shopper, storeId, orderId);
    const violations = [...outageViolations(during, []), ...during.filter((p) => p.status >= 400).map((p) => `${p.route} answered ${p.status}`)];
    const recoveryLogins: string[] = [];

    redisServer = await startRedis({ port });
    const back = Date.now();
    const direct = new Redis(redisServer.url);
    try {
      // Redis is in use again once a session looked up through the API is cached there.
      const firstSuccess = await recoveredAfter(back, async () => (await call('GET', '/stores')).status === 200);
      const cachedAgain = await recoveredAfter(back, async () => {
        const fresh = await login();
        recoveryLogins.push(fresh.openid);
        await call('GET', '/me/coupons', { token: fresh.token });
        await new Promise((resolve) => setTimeout(resolve, 50));
        return (await direct.exists(`wx-shop:session:${createHash('sha256').update(fresh.token).digest('hex')}`)) === 1;
      }, 500);
      const after = await checkAfter([scoped(shopper)], [openid, ...recoveryLogins], storeId);
      record('outage: Redis down', during, violations, after, `${seconds(firstSuccess)} to serve, ${seconds(cachedAgain)} to use Redis again`);
      expect(violations).toEqual([]);
    } finally {
      direct.disconnect();
    }
  }, 120_000);
});

/**
 * The relay (functions/outbox-relay), with production's grace period unless told otherwise (the aftermath, once
 * nothing is in flight, uses none), on this test's events only (others own theirs).
 */
async function relayScope(userIds: string[], orderIds: string[], graceSeconds = 30): Promise<number> {
  const [{ relayOutbox }, { dynamoOutbox }, { rocketmqPublisher }, { systemClock }] = await Promise.all([
    import('../../shared/use-cases/outbox/dispatch-outbox'),
    import('../../shared/adapters/dynamodb/outbox'),
    import('../../shared/adapters/rocketmq/publisher'),
    import('../../shared/adapters/system/clock'),
  ]);
  const mine = (e: { body: unknown }) => userIds.includes((e.body as { userId?: string }).userId ?? '') || orderIds.includes((e.body as { orderId?: string }).orderId ?? '');
  const outbox = { ...dynamoOutbox, pending: async (limit: number, before: Date) => (await dynamoOutbox.pending(1_000, before)).filter(mine).slice(0, limit) };
  return (await relayOutbox({ outbox, publisher: rocketmqPublisher, clock: systemClock, graceSeconds })).published;
}

const pendingFor = async (userIds: string[], orderIds: string[]) =>
  (await queryIndex('outbox', 'pending', 'pendingShard', 'pending')).filter((e) => userIds.includes(e.body?.userId) || orderIds.includes(e.body?.orderId));

describe('the MQ down', () => {
  it('keeps events in the outbox, refuses refunds with 503 changing nothing, and delivers every held message after', async () => {
    const { storeId } = await newStore({ latte: { priceFen: 1800, stock: 100 } });
    const shopper = await login();
    const paid = await paidOrder(shopper, storeId);
    await mq.stop();

    const { code, openid } = await wechat.sandbox.loginCode({ user: `outage-${randomUUID()}` });
    const during = [
      await probe(call, 'POST', '/auth/login', { body: { code } }),
      await probe(call, 'POST', '/orders', { token: shopper.token, body: { requestId: randomUUID(), storeId, items: [{ productId: 'latte', quantity: 1 }] } }),
      await probe(call, 'POST', `/orders/${paid}/refund`, { token: shopper.token, body: { reason: '不想要了' } }),
    ];
    const newUserIds = during[0]?.status === 200 ? [during[0].body.user.id as string] : [];
    const orders = (await queryIndex('orders', 'byUser', 'userId', shopper.userId)).map((o) => o.orderId as string);
    const held = await pendingFor(newUserIds, orders);
    const [, ordered, refused] = during;
    const violations = [
      ...outageViolations(during, ['MQ_UNAVAILABLE']),
      ...(newUserIds.length === 1 && ordered?.status === 201 ? [] : [`login and ordering answered ${during[0]?.status}, ${ordered?.status}`]),
      ...(refused?.status === 503 && refused.code === 'MQ_UNAVAILABLE' ? [] : [`refund answered ${refused?.status} ${refused?.code}`]),
      ...((await getItem('orders', { orderId: paid }))?.status === 'PAID' ? [] : ['the refused refund changed the order']),
      ...((await queryByPartition('refunds', 'orderId', paid)).length === 0 ? [] : ['the refused refund left a refund record']),
      // UserRegistered, the new order's OrderPayTimeout and OrderStatusChanged.
      ...(held.length >= 3 ? [] : [`only ${held.length} events held in the outbox`]),
    ];

    await mq.restart();
    const back = Date.now();
    const refundBack = await recoveredAfter(back, async () => (await call('POST', `/orders/${paid}/refund`, { token: shopper.token, body: { reason: '不想要了' } })).status === 202);
    // The relay runs on the local stack's cadence here (AWS: once a minute); it takes events 30 s old (production grace).
    // Delivered: the new user has its coupon, and the order stats counted every status each order reached.
    const delivered = await recoveredAfter(
      back,
      async () => {
        await relayScope(newUserIds, orders);
        await Promise.all([pollOnce(consumers.newUserCoupon, 1), pollOnce(consumers.orderNotice, 1), pollOnce(consumers.orderStats, 1)]);
        const coupons = await Promise.all(newUserIds.map((userId) => queryByPartition('userCoupons', 'userId', userId)));
        return (await pendingFor(newUserIds, orders)).length === 0 && coupons.every((list) => list.length === 1) && (await statsViolations(orders)).length === 0;
      },
      1_000,
    );
    const stuck = mq.broker.topics().flatMap((t) => t.groups).filter((g) => /new_user_coupon|order_notice|order_stats/.test(g.group) && g.waiting + g.inFlight > 0);
    violations.push(...stuck.map((g) => `${g.group}: ${g.waiting} waiting, ${g.inFlight} in flight`));
    const after = await checkAfter([scoped(shopper)], [openid], storeId);
    record(
      'outage: MQ down',
      during,
      violations,
      after,
      `refunds ${seconds(refundBack)}, ${held.length} held messages delivered ${seconds(delivered)}`,
      `relay grace 30 s, as in production; coupon, notice and order-stats groups drained, the stats counting ${orders.length} orders`,
    );
    expect(violations).toEqual([]);
  }, 180_000);
});

/** Whether WeChat Pay had to retry the order's notification (an attempt answered with a 5xx or no answer). */
async function retriedByWechatPay(orderId: string): Promise<boolean> {
  const { items } = await wechat.sandbox.notifications({ outTradeNo: orderId });
  return (items as Array<{ attempts: Array<{ status?: number }> }>).some((n) => n.attempts.some((a) => a.status === undefined || a.status >= 500));
}

async function dynamoOutage(name: string, mode: ProxyMode) {
  const { storeId } = await newStore({ latte: { priceFen: 1800, stock: 100 } });
  const shopper = await login();
  const orderId = (await placeOrder(shopper.token, storeId)).body.id as string;
  // A payment made while DynamoDB is out: its notification fails and WeChat Pay retries it.
  const unpaid = (await placeOrder(shopper.token, storeId)).body.id as string;
  await call('POST', `/orders/${unpaid}/pay`, { token: shopper.token });
  await call('GET', '/stores');
  await dynamo.set(mode);
  const { during, openid } = await everyday(shopper, storeId, orderId);
  await wechat.sandbox.pay(unpaid);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const violations = outageViolations(during, ['DEPENDENCY_UNAVAILABLE']);
  await dynamo.set('forward');
  const back = Date.now();
  const served = await recoveredAfter(back, async () => (await call('GET', '/orders', { token: shopper.token })).status === 200, 100);
  const paid = await recoveredAfter(back, async () => (await getItem('orders', { orderId: unpaid }))?.status === 'PAID', 250);
  const refused = during.filter((p) => p.status === 503).length;
  if (!(await retriedByWechatPay(unpaid))) violations.push('the payment notification never failed, so no retry was needed');
  const after = await checkAfter([scoped(shopper)], [openid], storeId);
  record(`outage: DynamoDB ${name}`, during, violations, after, `${seconds(served)} to serve, ${seconds(paid)} for the payment WeChat Pay retried`, `${refused} of ${during.length} answered 503 DEPENDENCY_UNAVAILABLE, the rest from caches`);
  expect(violations).toEqual([]);
  expect(refused).toBeGreaterThan(0);
}

describe('DynamoDB', () => {
  it('throttling: 503 with its code and Retry-After within the budget, never a 500; the payment is settled once it is back', () => dynamoOutage('throttling', dynamoThrottle), 120_000);
  it('failing (500s): the same', () => dynamoOutage('failing with 500s', dynamoInternalError), 120_000);
  it('unreachable: the same', () => dynamoOutage('unreachable', 'down'), 120_000);
  it('frozen (accepts, never answers): the same, inside the budget', () => dynamoOutage('frozen', 'freeze'), 120_000);
});

describe('WeChat down or slow', () => {
  it('refuses logins with 503 WX_UNAVAILABLE; a callback that needs WeChat Pay is retried by WeChat Pay and notices by redelivery until it is back', async () => {
    const { storeId } = await newStore({ latte: { priceFen: 1800, stock: 100 } });
    const shopper = await login();
    await giveCoupon(shopper.userId);
    // A cancelled order whose payment lands while WeChat Pay is down: refunding it needs WeChat Pay.
    const late = (await placeOrder(shopper.token, storeId)).body.id as string;
    await call('POST', `/orders/${late}/pay`, { token: shopper.token });
    await call('POST', `/orders/${late}/cancel`, { token: shopper.token });
    await wechat.sandbox.subscribe(shopper.openid, '*', 10);
    const noticeConsumer = consumers.orderNotice;

    const during: Probe[] = [];
    const openids: string[] = [];
    for (const mode of ['down', 'freeze'] as const) {
      await wechatProxy.set(mode);
      const { code, openid } = await wechat.sandbox.loginCode({ user: `outage-${randomUUID()}` });
      openids.push(openid);
      during.push(await probe(call, 'POST', '/auth/login', { body: { code } }));
    }
    await wechatProxy.set('down');
    await wechat.sandbox.pay(late, { force: true });
    const notice = await pollOnce(noticeConsumer, 1);
    const violations = [
      ...outageViolations(during, ['WX_UNAVAILABLE']),
      ...during.filter((p) => p.code !== 'WX_UNAVAILABLE').map((p) => `login answered ${p.status} ${p.code}`),
      ...(notice.failed > 0 ? [] : ['no notice failed while WeChat was down']),
    ];

    await wechatProxy.set('forward');
    const back = Date.now();
    const loginBack = await recoveredAfter(back, async () => {
      const { code, openid } = await wechat.sandbox.loginCode({ user: `outage-${randomUUID()}` });
      openids.push(openid);
      return (await call('POST', '/auth/login', { body: { code } })).status === 200;
    });
    const refundBack = await recoveredAfter(back, async () => (await queryByPartition('refunds', 'orderId', late)).some((r) => r.status !== 'REQUESTED'), 250);
    if (!(await retriedByWechatPay(late))) violations.push('the late payment notification never failed, so no retry was needed');
    const noticesBack = await recoveredAfter(back, async () => {
      await pollOnce(noticeConsumer, 1);
      return ((await wechat.sandbox.messages(shopper.openid)).items as unknown[]).length >= 2;
    }, 0);
    const after = await checkAfter([scoped(shopper)], openids, storeId);
    record('outage: WeChat down or slow', during, violations, after, `login ${seconds(loginBack)}, pay callback ${seconds(refundBack)}, notices ${seconds(noticesBack)}`, 'WeChat Pay retry schedule compressed 15x');
    expect(violations).toEqual([]);
  }, 180_000);
});
