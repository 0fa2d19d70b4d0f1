import { grantCoupon } from '../../domain/coupons/coupon';
import { OrderNotFoundError, OrderStateError } from '../../domain/ordering/errors';
import { orderView, type OrderView } from '../../domain/ordering/order';
import { describeError, logger } from '../../logging/logger';
import type { Clock } from '../../ports/clock';
import type { CouponRepository } from '../../ports/coupons';
import type { TxMessagePublisher } from '../../ports/messaging';
import type { OrderRepository } from '../../ports/ordering';
import type { Announce, Dispatch } from '../../ports/outbox';
import { statusChanged } from '../ordering/status-events';

export type FinishOrderDeps = {
  orders: Pick<OrderRepository, 'get' | 'advance'>;
  tx: TxMessagePublisher;
  announce: Announce;
  dispatch: Dispatch;
  clock: Clock;
  checkBackAfterSeconds: number;
};

/**
 * Finishes a confirmed order (the shopper, or an operator) and grants its reward coupon through a transactional
 * OrderFinished message, as the refund does: half message first (MQ down: 503, nothing changed), then
 * CONFIRMED -> FINISHED, then commit (or roll back when the order was not CONFIRMED); the check-back settles a lost
 * decision from the order's history.
 */
export async function finishOrder(deps: FinishOrderDeps, input: { orderId: string; userId?: string }): Promise<OrderView> {
  const order = await deps.orders.get(input.orderId);
  if (!order || (input.userId !== undefined && order.userId !== input.userId)) throw new OrderNotFoundError(input.orderId);
  if (order.status !== 'CONFIRMED') throw new OrderStateError('ORDER_NOT_FINISHABLE', order.id, order.status);
  const now = deps.clock.now();
  const half = await deps.tx.publishHalf('OrderFinished', { orderId: order.id, userId: order.userId, finishedAt: now.toISOString() }, { checkBackAfterSeconds: deps.checkBackAfterSeconds });
  const events = [statusChanged(deps.announce, order, 'FINISHED', now)];
  const finished = await deps.orders.advance(order, 'FINISHED', now, events);
  const decision = finished ? 'commit' : 'rollback';
  const decided = deps.tx[decision](half).then(
    () => undefined,
    (error: unknown) => logger.warn(`finish ${decision} failed; the check-back settles it`, { orderId: order.id, ...describeError(error) }),
  );
  // The commit and the status event go out together (dispatch never throws).
  await Promise.all([decided, finished ? deps.dispatch(events) : undefined]);
  if (!finished) throw new OrderStateError('ORDER_NOT_FINISHABLE', order.id, 'no longer CONFIRMED');
  const at = now.toISOString();
  return orderView({ ...order, status: 'FINISHED', finishedAt: at, history: [...order.history, { status: 'FINISHED', at }] });
}

export type GrantRewardDeps = { coupons: Pick<CouponRepository, 'getTemplate' | 'grant'>; clock: Clock; rewardTemplateId: string };

/**
 * Consumer of the committed OrderFinished: grants the order's reward coupon, exactly once per order (its id is
 * `<template>.<orderId>`, written with a conditional put).
 */
export async function grantOrderReward(deps: GrantRewardDeps, input: { orderId: string; userId: string }): Promise<'GRANTED' | 'DUPLICATE'> {
  const template = await deps.coupons.getTemplate(deps.rewardTemplateId);
  if (!template) throw new Error(`coupon template ${deps.rewardTemplateId} does not exist`);
  const granted = await deps.coupons.grant(grantCoupon(template, input.userId, deps.clock.now(), { orderId: input.orderId }));
  logger.info(granted ? 'order reward coupon granted' : 'order reward coupon already granted', { orderId: input.orderId, userId: input.userId });
  return granted ? 'GRANTED' : 'DUPLICATE';
}
