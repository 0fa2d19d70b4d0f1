import { noticeTemplateIds } from '../../shared/config/notices';
import { cryptoIds } from '../../shared/adapters/system/ids';
import { redisIdempotencyLedger } from '../../shared/adapters/redis/idempotency-ledger';
import { redisPaidMarks } from '../../shared/adapters/redis/paid-marks';
import type { MessageBody } from '../../shared/messages/contracts';
import type { Announce, Dispatch, OutboxEvent } from '../../shared/ports/outbox';
import type { User } from '../../shared/ports/users';
import { dispatchOutboxEvent } from '../../shared/use-cases/outbox/dispatch-outbox';
import { orderMessageCommandFactory } from '../../shared/use-cases/notices/order-message-command-factory';
import type { Ports } from './ports';

/** Settings of the campaign's world that production reads from its environment. */
export type WorldSettings = {
  payTimeoutSeconds: number;
  notifyUrl: string;
  refundNotifyUrl: string;
  /** The coupon grant's Redis lease: a crashed grant waits this long (production: 60 s). */
  grantLeaseSeconds: number;
  checkBackAfterSeconds: number;
  rollbackAfterSeconds: number;
};

export const NEW_USER_TEMPLATE = 'tpl-new-user';
export const REWARD_TEMPLATE = 'tpl-order-reward';

/**
 * The dependencies each use case gets in its function (functions/<flow>/handler.ts and shared/composition), built
 * here on a component's fault-injected ports instead: the same adapters, the same use cases, so a fault lands exactly
 * where a failing dependency would.
 */
export function useCaseDeps(p: Ports, settings: WorldSettings) {
  const { clock } = p;
  const dispatchDeps = { outbox: p.outbox, publisher: p.publisher, clock };
  // As on a request's path (shared/composition/outbox.ts): publish now, mark without waiting.
  const dispatchOne = (event: OutboxEvent) => dispatchOutboxEvent(dispatchDeps, event, { markInBackground: true });
  const dispatch: Dispatch = async (events) => {
    await Promise.all(events.map(dispatchOne));
  };
  const announce: Announce = (name, body, deliverAt) => p.newOutboxEvent(name, body, clock.now(), deliverAt);
  const payments = {
    orders: p.orders,
    ledger: p.payments,
    anomalies: p.anomalies,
    marks: redisPaidMarks(p.redis),
    refunds: p.refunds,
    gateway: p.gateway,
    refundNotifyUrl: settings.refundNotifyUrl,
    announce,
    dispatch,
    clock,
  };
  const tx = { tx: p.tx, checkBackAfterSeconds: settings.checkBackAfterSeconds };
  return {
    relay: dispatchDeps,
    login: {
      wx: p.wxLogin,
      users: p.users,
      sessions: p.sessions,
      announce: ({ userId, openid, createdAt }: User) => p.newOutboxEvent('UserRegistered', { userId, openid, registeredAt: createdAt } as MessageBody<'UserRegistered'>, clock.now()),
      dispatch: dispatchOne,
      clock,
      ids: cryptoIds,
      sessionTtlSeconds: 3_600,
    },
    grantCoupon: {
      coupons: p.coupons,
      ledger: redisIdempotencyLedger(p.redis, { prefix: 'wx-shop:coupon-grant', leaseSeconds: settings.grantLeaseSeconds, doneSeconds: 3_600 }),
      clock,
      newUserTemplateId: NEW_USER_TEMPLATE,
    },
    createOrder: { orders: p.orders, carts: p.carts, products: p.stores, coupons: p.coupons, stockCache: p.stockCache, announce, dispatch, clock, ids: cryptoIds, payTimeoutSeconds: settings.payTimeoutSeconds },
    cancel: { orders: p.orders, stockCache: p.stockCache, announce, dispatch, clock, gateway: p.gateway, payments },
    startPayment: { orders: p.orders, ledger: p.payments, gateway: p.gateway, clock, notifyUrl: settings.notifyUrl },
    payments,
    webhook: { ...payments, verifier: p.verifier },
    confirm: { orders: p.orders, announce, dispatch, clock },
    finish: { orders: p.orders, announce, dispatch, clock, ...tx },
    reward: { coupons: p.coupons, clock, rewardTemplateId: REWARD_TEMPLATE },
    refund: { orders: p.orders, refunds: p.refunds, announce, dispatch, clock, ...tx },
    giveCouponBack: { coupons: p.coupons, clock },
    checkBack: { checks: p.checks, refunds: p.refunds, orders: p.orders, clock, rollbackAfterSeconds: settings.rollbackAfterSeconds },
    notice: {
      orders: p.orders,
      notices: p.notices,
      commands: orderMessageCommandFactory({ sender: p.sender, templates: noticeTemplateIds(), orderPage: 'pages/order/detail' }),
      clock,
      ids: cryptoIds,
    },
  };
}
export type UseCaseDeps = ReturnType<typeof useCaseDeps>;
