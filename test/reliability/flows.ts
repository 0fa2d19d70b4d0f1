import { randomUUID } from 'node:crypto';
import { login } from '../../shared/use-cases/identity/login';
import { cancelOrderByUser } from '../../shared/use-cases/ordering/cancel-order';
import { confirmOrder } from '../../shared/use-cases/ordering/confirm-order';
import { createOrder } from '../../shared/use-cases/ordering/create-order';
import { startPayment } from '../../shared/use-cases/payment/start-payment';
import { finishOrder } from '../../shared/use-cases/refunds/finish-order';
import { requestRefund } from '../../shared/use-cases/refunds/request-refund';
import { getItem, queryIndex } from '../support/dynamo';
import { giveCoupon, newStore } from '../support/shop';
import { waitFor } from '../support/wechat-pay';
import type { Scope, ScopeUser, Violation } from './invariants';
import type { World } from './world';

/** A prepared scenario: what it touches, its flow (run once armed), and what the flow must have achieved. */
export type Prepared = { scope: Scope; run(): Promise<void>; expect(): Promise<Violation[]> };

/**
 * One flow of the campaign. `components` are the functions whose I/O steps are its fault points; `quick` the few that
 * `npm test` runs (`component step kind`), the whole matrix running under `npm run test:reliability`; `killed` the
 * consumer crashes that the full campaign also makes a real SIGKILL of a child process (`... SIGKILL`).
 */
export type Flow = { name: string; components: readonly string[]; quick: readonly string[]; killed: readonly string[]; prepare(world: World): Promise<Prepared> };

const STOCK = { latte: 10, bagel: 5 };
const LINES = [
  { productId: 'latte', quantity: 2 },
  { productId: 'bagel', quantity: 1 },
];

const expectation = (holds: boolean, invariant: string, detail: string): Violation[] => (holds ? [] : [{ invariant, detail, lost: true }]);

async function orderRow(orderId: string) {
  return getItem('orders', { orderId });
}

/** The flow reached `status` (the expectation of a flow whose caller kept at it). */
async function reached(orderId: string, status: string, flow: string): Promise<Violation[]> {
  const row = await orderRow(orderId);
  return expectation(row?.status === status, `${flow} completes`, `${orderId} is ${row?.status ?? 'missing'}, expected ${status}`);
}

type Shop = { shopper: ScopeUser; storeId: string; couponId: string; scope: Scope };

/** A shopper known to WeChat (its openid can pay), a store of the scenario's own, and an unused coupon. */
async function shop(world: World): Promise<Shop> {
  const { storeId } = await newStore({ latte: { priceFen: 1800, stock: STOCK.latte }, bagel: { priceFen: 1200, stock: STOCK.bagel } });
  const shopper = { userId: `u-rel-${randomUUID()}`, openid: await world.sandbox.newOpenid() };
  const couponId = await giveCoupon(shopper.userId);
  return { shopper, storeId, couponId, scope: { users: [shopper], stores: [{ storeId, initialStock: STOCK }] } };
}

/** An order placed and prepaid without faults (setup runs before the injector is armed). */
async function prepaidOrder(world: World, s: Shop): Promise<string> {
  const deps = world.deps('setup');
  const { order } = await createOrder(deps.createOrder, { ...s.shopper, requestId: randomUUID(), storeId: s.storeId, items: LINES, couponId: s.couponId });
  await startPayment(deps.startPayment, { userId: s.shopper.userId, orderId: order.id });
  return order.id;
}

async function paidOrder(world: World, s: Shop): Promise<string> {
  const orderId = await prepaidOrder(world, s);
  await world.sandbox.pay(orderId);
  await waitFor(() => orderRow(orderId), (row) => row?.status === 'PAID');
  return orderId;
}

const loginAndCoupon: Flow = {
  name: 'login + coupon',
  components: ['login', 'couponConsumer'],
  quick: ['login users.register#1 crash-after', 'couponConsumer coupons.grant#1 crash-after'],
  killed: ['couponConsumer coupons.grant#1 crash-before SIGKILL'],
  async prepare(world) {
    const user = `rel-${randomUUID()}`;
    const { openid } = await world.sandbox.loginCode({ user });
    const scope: Scope = { users: [], stores: [] };
    let status = 0;
    return {
      scope,
      async run() {
        // A code is single-use: after a failed attempt the mini-program calls wx.login again.
        const fresh = async () => (await world.sandbox.loginCode({ user })).code as string;
        ({ status } = await world.asClient('login', async (deps) => login(deps.login, { code: await fresh() }), (code) => code === 'WX_CODE_INVALID'));
        const stored = await getItem('users', { openid });
        if (stored) scope.users.push({ userId: stored.userId, openid, newUser: true });
      },
      expect: async () => [...expectation(status === 200, 'login completes', `answered ${status}`), ...expectation(scope.users.length === 1, 'no user lost', `no user for ${openid}`)],
    };
  },
};

const orderCreation: Flow = {
  name: 'order creation',
  components: ['createOrder'],
  quick: ['createOrder orders.create#1 crash-after', 'createOrder orders.create#1 late', 'createOrder mq.publish#1 crash-before'],
  killed: [],
  async prepare(world) {
    const s = await shop(world);
    await world.adapters.carts.put({ userId: s.shopper.userId, storeId: s.storeId, items: LINES, updatedAt: new Date().toISOString() });
    const requestId = randomUUID();
    let status = 0;
    return {
      scope: s.scope,
      async run() {
        // From the cart: a retry after the first attempt emptied it must still answer that attempt's order.
        ({ status } = await world.asClient('createOrder', (deps) => createOrder(deps.createOrder, { ...s.shopper, requestId, storeId: s.storeId, couponId: s.couponId })));
      },
      async expect() {
        const orders = await queryIndex('orders', 'byUser', 'userId', s.shopper.userId);
        return [
          ...expectation(status === 200, 'order creation completes', `answered ${status}`),
          ...expectation(orders.length === 1, 'one order per request', `${orders.length} orders for one requestId`),
          // Unpaid, it is cancelled at its deadline: stock and coupon back (the invariants check them).
          ...(orders[0] ? await reached(orders[0].orderId, 'CANCELLED', 'auto-cancel') : []),
        ];
      },
    };
  },
};

const autoCancel: Flow = {
  name: 'auto-cancel',
  components: ['timeoutConsumer'],
  quick: ['timeoutConsumer wechatPay.closePayment#1 timeout', 'timeoutConsumer orders.cancel#1 crash-after SIGKILL'],
  killed: ['timeoutConsumer orders.cancel#1 crash-after SIGKILL'],
  async prepare(world) {
    const s = await shop(world);
    const orderId = await prepaidOrder(world, s);
    return {
      scope: s.scope,
      run: async () => undefined,
      async expect() {
        const trade = await world.sandbox.trade(orderId);
        return [...(await reached(orderId, 'CANCELLED', 'auto-cancel')), ...expectation(trade.tradeState === 'CLOSED', 'no payment after a cancellation', `the trade is ${trade.tradeState}`)];
      },
    };
  },
};

const payCallback: Flow = {
  name: 'pay callback',
  components: ['payWebhook'],
  quick: ['payWebhook payments.markPaid#1 crash-after'],
  killed: [],
  async prepare(world) {
    const s = await shop(world);
    const orderId = await prepaidOrder(world, s);
    return {
      scope: s.scope,
      run: async () => void (await world.sandbox.pay(orderId)),
      expect: () => reached(orderId, 'PAID', 'pay callback'),
    };
  },
};

const payAfterCancel: Flow = {
  name: 'pay after cancel',
  components: ['payWebhook', 'refundWebhook'],
  quick: ['payWebhook wechatPay.createRefund#1 timeout'],
  killed: [],
  async prepare(world) {
    const s = await shop(world);
    const orderId = await prepaidOrder(world, s);
    await cancelOrderByUser(world.deps('setup').cancel, { userId: s.shopper.userId, orderId });
    return {
      scope: s.scope,
      // The shopper's payment raced the close and completes after it.
      run: async () => void (await world.sandbox.pay(orderId, { force: true })),
      async expect() {
        const row = await orderRow(orderId);
        const refunded = row?.refunds?.some((r: { reason: string; status: string }) => r.reason === 'PAID_AFTER_CANCEL' && r.status === 'SUCCESS');
        return [...(await reached(orderId, 'CANCELLED', 'pay after cancel')), ...expectation(Boolean(refunded), 'late payment refunded', JSON.stringify(row?.refunds))];
      },
    };
  },
};

const confirm: Flow = {
  name: 'confirm',
  components: ['confirm'],
  quick: ['confirm orders.advance#1 crash-after'],
  killed: [],
  async prepare(world) {
    const s = await shop(world);
    const orderId = await paidOrder(world, s);
    return {
      scope: s.scope,
      run: async () => void (await world.asClient('confirm', (deps) => confirmOrder(deps.confirm, { orderId }))),
      expect: () => reached(orderId, 'CONFIRMED', 'confirm'),
    };
  },
};

const finishAndReward: Flow = {
  name: 'finish + reward',
  components: ['finish', 'rewardConsumer'],
  quick: ['finish orders.advance#1 crash-after'],
  killed: [],
  async prepare(world) {
    const s = await shop(world);
    const orderId = await paidOrder(world, s);
    await confirmOrder(world.deps('setup').confirm, { orderId });
    return {
      scope: s.scope,
      run: async () => void (await world.asClient('finish', (deps) => finishOrder(deps.finish, { orderId, userId: s.shopper.userId }))),
      expect: () => reached(orderId, 'FINISHED', 'finish'),
    };
  },
};

const refund: Flow = {
  name: 'refund',
  components: ['refund', 'refundExecutor', 'refundCoupon', 'refundWebhook'],
  quick: ['refund refunds.start#1 crash-after', 'refundExecutor wechatPay.createRefund#1 crash-after'],
  killed: ['refundExecutor wechatPay.createRefund#1 crash-after SIGKILL'],
  async prepare(world) {
    const s = await shop(world);
    const orderId = await paidOrder(world, s);
    return {
      scope: s.scope,
      run: async () => void (await world.asClient('refund', (deps) => requestRefund(deps.refund, { orderId, userId: s.shopper.userId, reason: 'USER_REQUESTED' }))),
      expect: () => reached(orderId, 'REFUNDED', 'refund'),
    };
  },
};

const checkBackCommits: Flow = {
  name: 'check-back (commit)',
  components: ['checkBack'],
  quick: ['checkBack mqChecks.commit#1 crash-before'],
  killed: [],
  async prepare(world) {
    const s = await shop(world);
    const orderId = await paidOrder(world, s);
    // The refund request died after its local transaction: the half message is left for the check-back.
    const lostCommit = { ...world.deps('setup').refund, tx: { ...world.adapters.tx, commit: () => Promise.reject(new Error('process killed before the commit')) } };
    await requestRefund(lostCommit, { orderId, userId: s.shopper.userId, reason: 'USER_REQUESTED' });
    return { scope: s.scope, run: async () => undefined, expect: () => reached(orderId, 'REFUNDED', 'check-back commit') };
  },
};

const checkBackRollsBack: Flow = {
  name: 'check-back (rollback)',
  components: ['checkBack'],
  quick: [],
  killed: [],
  async prepare(world) {
    const s = await shop(world);
    const orderId = await paidOrder(world, s);
    // The refund request died right after its half message: no local transaction, no decision.
    const amountFen = (await orderRow(orderId))?.payableFen as number;
    const body = { orderId, userId: s.shopper.userId, outRefundNo: `${orderId}-RF`, amountFen, couponId: s.couponId };
    await world.adapters.tx.publishHalf('OrderRefunded', body, { checkBackAfterSeconds: world.settings.checkBackAfterSeconds });
    return {
      scope: s.scope,
      run: async () => undefined,
      async expect() {
        const trade = await world.sandbox.trade(orderId);
        return [...(await reached(orderId, 'PAID', 'check-back rollback')), ...expectation(trade.refunds.length === 0, 'rolled back refunds nothing', JSON.stringify(trade.refunds))];
      },
    };
  },
};

const notices: Flow = {
  name: 'notices',
  components: ['noticeConsumer'],
  quick: ['noticeConsumer wechat.send#1 crash-after'],
  killed: ['noticeConsumer wechat.send#1 crash-after SIGKILL'],
  async prepare(world) {
    const s = await shop(world);
    await world.sandbox.subscribe(s.shopper.openid, '*', 10);
    await paidOrder(world, s);
    // WAIT_PAY and PAID wait in the ordered topic; the run is their delivery.
    return { scope: s.scope, run: async () => undefined, expect: async () => [] };
  },
};

/** Every flow of the campaign, in the order the issue lists them. */
export const flows = { loginAndCoupon, orderCreation, autoCancel, payCallback, payAfterCancel, confirm, finishAndReward, refund, checkBackCommits, checkBackRollsBack, notices };
