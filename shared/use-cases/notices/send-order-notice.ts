import { isNoticeType, noticeTypes, reachedAt, type NoticeType } from '../../domain/notices/notice-types';
import type { Order } from '../../domain/ordering/order';
import { describeError, logger } from '../../logging/logger';
import type { Clock } from '../../ports/clock';
import type { IdSource } from '../../ports/ids';
import type { NoticeClaim, NoticeOutcome, NoticeRepository } from '../../ports/notices';
import type { OrderRepository } from '../../ports/ordering';
import { WxMessageRejectedError, WxSendOutcomeUnknownError } from '../../ports/wechat';
import type { OrderMessageCommand } from './order-message-command';
import type { OrderMessageCommandFactory } from './order-message-command-factory';

export type SendOrderNoticeDeps = {
  orders: Pick<OrderRepository, 'get'>;
  notices: NoticeRepository;
  commands: OrderMessageCommandFactory;
  clock: Clock;
  ids: Pick<IdSource, 'randomId'>;
};

/** What became of one OrderStatusChanged; only a send that certainly did not happen throws (and is redelivered). */
export type SendOrderNoticeResult = NoticeOutcome['result'] | 'DUPLICATE' | 'NO_NOTICE' | 'ORDER_NOT_FOUND' | 'STATUS_NOT_REACHED' | 'SUPERSEDED';

/**
 * A later step's notice already went out (or is going out): this one arrives out of order. OrderStatusChanged is
 * ordered per order on the MQ, but an event that waited in the outbox (the MQ was down when its change committed) is
 * published by the relay after the events behind it: "order placed, please pay" must not follow "order cancelled".
 * Only asked when the order has moved on from `status`, so the usual delivery costs no read.
 */
async function supersededBy(deps: SendOrderNoticeDeps, order: Order, status: NoticeType): Promise<NoticeType | undefined> {
  if (order.status === status) return undefined;
  const at = reachedAt(order, status) as string;
  const later = new Set(noticeTypes.filter((other) => other !== status && (reachedAt(order, other) ?? '') > at));
  if (later.size === 0) return undefined;
  return (await deps.notices.listForOrder(order.id)).find((notice) => later.has(notice.status))?.status;
}

/** The send's outcome; throws when the send certainly did not happen (WeChat unreachable or busy). */
async function attempt(command: OrderMessageCommand, order: Order, ids: Record<string, unknown>): Promise<NoticeOutcome> {
  try {
    const sent = await command.send(order);
    if (sent.status === 'NOT_SUBSCRIBED') logger.info('user has no accepted subscription left (43101): recorded, not retried', ids);
    return sent.status === 'SENT' ? { result: 'SENT', ...(sent.msgid ? { msgid: sent.msgid } : {}) } : { result: 'NOT_SUBSCRIBED' };
  } catch (error) {
    if (error instanceof WxMessageRejectedError) {
      logger.error('notice rejected by WeChat: recorded, not retried; the template, its data or the openid needs fixing', { ...ids, ...describeError(error), errcode: error.errcode });
      return { result: 'REJECTED', errcode: error.errcode };
    }
    if (error instanceof WxSendOutcomeUnknownError) {
      // Sending again could notify the user twice; at most once means leaving it at this.
      logger.error('notice may or may not have reached the user: recorded as UNKNOWN, not retried', { ...ids, ...describeError(error) });
      return { result: 'UNKNOWN' };
    }
    throw error;
  }
}

/**
 * Consumer of OrderStatusChanged: sends the order's notice for the status, at most once per (order, status).
 *
 * Primary course:
 *  1. Read the order; a status without a notice, an order that does not exist (its transaction failed), a status
 *     it never reached, or one whose later step's notice was already claimed (an event the relay published late:
 *     SUPERSEDED) ends here, acked.
 *  2. Claim (order, status) with a conditional write; a delivery that finds it claimed stops (a duplicate).
 *  3. The factory's command for the status builds the body and sends it through the shared sender.
 *  4. Record the outcome: SENT, NOT_SUBSCRIBED (43101), REJECTED (our payload or ids are wrong), UNKNOWN (timed out).
 *
 * A send that certainly did not happen (WeChat unreachable or busy) releases the claim and throws, so that the MQ
 * redelivers. A crash after the send leaves the claim SENDING: the redelivery finds it and sends nothing.
 */
export async function sendOrderNotice(deps: SendOrderNoticeDeps, input: { orderId: string; status: string }): Promise<SendOrderNoticeResult> {
  const { orderId, status } = input;
  const ids = { orderId, status };
  if (!isNoticeType(status)) {
    logger.debug('no notice for this status', ids);
    return 'NO_NOTICE';
  }
  const order = await deps.orders.get(orderId);
  if (!order) {
    logger.warn('notice for an order that does not exist (its transaction failed?): acked without a notice', ids);
    return 'ORDER_NOT_FOUND';
  }
  if (reachedAt(order, status) === undefined) {
    logger.warn('notice for a status the order never reached: acked without a notice', { ...ids, orderStatus: order.status });
    return 'STATUS_NOT_REACHED';
  }
  const later = await supersededBy(deps, order, status);
  if (later) {
    logger.info('notice skipped: the notice of a later step was sent first (an event published late)', { ...ids, later });
    return 'SUPERSEDED';
  }

  const claim: NoticeClaim = { orderId, status, userId: order.userId, claimId: deps.ids.randomId(), claimedAt: deps.clock.now() };
  if (!(await deps.notices.claim(claim))) {
    logger.info('notice already claimed by another delivery: not sent again', ids);
    return 'DUPLICATE';
  }

  let outcome: NoticeOutcome;
  try {
    outcome = await attempt(deps.commands.create(status), order, ids);
  } catch (error) {
    await deps.notices.release(claim).catch((releaseError: unknown) => {
      logger.error('could not release the notice claim: the redelivery will find it and the notice stays unsent', { ...ids, ...describeError(releaseError) });
    });
    throw error;
  }
  await deps.notices.record(claim, outcome, deps.clock.now());
  logger.info('notice done', { ...ids, result: outcome.result });
  return outcome.result;
}
