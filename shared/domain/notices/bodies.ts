import type { Order } from '../ordering/order';
import { reachedAt, type NoticeType } from './notice-types';
import { chinaTime, goodsSummary, yuan } from './values';

/** The `data` of a subscribe message: template key -> value. */
export type NoticeData = Record<string, { value: string }>;

/**
 * The message bodies, one per notice type. The keys are those of the template configured for the type (picked from
 * WeChat's public template library; the stand-in's `local/wechat-stand-in/templates.ts` has the same keys): a
 * template with other keys needs its builder changed here. A key's prefix is its value type (`thing2` is a
 * `thing`, at most 20 characters; `time4` a time; `amount3` an amount), and every value below fits its type.
 */

const data = (values: Record<string, string>): NoticeData => Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value }]));

/** When the order reached the notice's status. The use case sends no notice for a status the order never reached. */
function timeOf(order: Order, status: NoticeType): string {
  const at = reachedAt(order, status);
  if (at === undefined) throw new Error(`order ${order.id} never reached ${status}`);
  return chinaTime(at);
}

/** The sum of the refunds that succeeded: what went back to the user. */
function refundedFen(order: Order): number {
  const refunded = order.refunds.filter((refund) => refund.status === 'SUCCESS').reduce((sum, refund) => sum + refund.amountFen, 0);
  return refunded > 0 ? refunded : order.payableFen;
}

/** An order cancelled at or after its pay deadline was cancelled by the timeout; before it, by the shopper. */
function cancelReason(order: Order): string {
  const cancelledAt = reachedAt(order, 'CANCELLED') ?? order.payDeadline;
  return Date.parse(cancelledAt) >= Date.parse(order.payDeadline) ? '超时未支付，订单已自动取消' : '订单已按您的申请取消';
}

/** 订单待支付提醒: order number, goods, amount to pay, pay deadline, hint. */
export function waitPayBody(order: Order): NoticeData {
  return data({
    character_string1: order.id,
    thing2: goodsSummary(order.items),
    amount3: yuan(order.payableFen),
    time4: chinaTime(order.payDeadline),
    thing5: '请在截止时间前支付，超时订单将自动取消',
  });
}

/** 支付成功通知: order number, amount paid, payment time, goods. */
export function paidBody(order: Order): NoticeData {
  return data({ character_string1: order.id, amount2: yuan(order.payableFen), time3: timeOf(order, 'PAID'), thing4: goodsSummary(order.items) });
}

/** 商家接单通知: order number, goods, state, confirmation time. */
export function confirmedBody(order: Order): NoticeData {
  return data({ character_string1: order.id, thing2: goodsSummary(order.items), phrase3: '已接单', time4: timeOf(order, 'CONFIRMED') });
}

/** 订单完成通知: order number, goods, completion time, hint. */
export function finishedBody(order: Order): NoticeData {
  return data({ character_string1: order.id, thing2: goodsSummary(order.items), time3: timeOf(order, 'FINISHED'), thing4: '感谢光临，期待再次为您服务' });
}

/** 订单取消通知: order number, order amount, reason, cancellation time. */
export function cancelledBody(order: Order): NoticeData {
  return data({ character_string1: order.id, amount2: yuan(order.payableFen), thing3: cancelReason(order), time4: timeOf(order, 'CANCELLED') });
}

/** 退款成功通知: order number, amount refunded, refund time, hint. */
export function refundedBody(order: Order): NoticeData {
  return data({ character_string1: order.id, amount2: yuan(refundedFen(order)), time3: timeOf(order, 'REFUNDED'), thing4: '退款已原路退回您的支付账户' });
}
