// Genuine WeChat Pay payment notifications for the benchmark's orders, captured instead of delivered (as
// test/support/wechat-pay.ts captureNotification does, many at a time through one receiver): each trade is opened
// with the order's own parameters but a notify_url of ours, then paid on the stand-in, which signs and encrypts the
// TRANSACTION.SUCCESS as WeChat Pay does. The benchmark then delivers the very bytes to the webhook and times it.
import { startNotifyReceiver } from '../../test/wechat/support/notify-receiver';
import { merchantGateway, sandbox } from '../../test/support/wechat-pay';
import type { PlacedOrder } from './orders';
import { inBatches } from './shoppers';

export type CapturedNotification = { headers: Record<string, string>; body: string };

/** The headers WeChat Pay signs with, and the content type: what the webhook reads. */
const kept = (name: string) => name.startsWith('wechatpay-') || name === 'content-type';

/**
 * One notification per order, paid by `payerOpenid(order)`. Their signed timestamps must be within WeChat Pay's
 * 5-minute window when delivered: capture them right before use.
 */
export async function captureNotifications(orders: PlacedOrder[], payerOpenid: (order: PlacedOrder) => string): Promise<CapturedNotification[]> {
  const receiver = await startNotifyReceiver(() => 204);
  try {
    const merchant = merchantGateway();
    await inBatches(orders, 20, async (order) => {
      await merchant.prepay({ outTradeNo: order.id, description: 'bench', amountFen: order.payableFen, payerOpenid: payerOpenid(order), notifyUrl: receiver.url, expiresAt: new Date(order.payDeadline) });
      const paid = await sandbox().pay(order.id);
      if (paid.tradeState !== 'SUCCESS') throw new Error(`stand-in did not pay ${order.id}: ${JSON.stringify(paid)}`);
    });
    return asCaptured(await receiver.waitFor(orders.length, 30_000));
  } finally {
    await receiver.close();
  }
}

/** Received deliveries as notifications to replay: the body and the headers WeChat Pay signs with. */
function asCaptured(deliveries: Array<{ headers: Record<string, unknown>; body: string }>): CapturedNotification[] {
  return deliveries.map(({ headers, body }) => ({
    headers: Object.fromEntries(Object.entries(headers).filter(([name]) => kept(name))) as Record<string, string>,
    body,
  }));
}

/** Delivers a captured notification to a webhook (`${apiUrl}/wxpay/notify`) as WeChat Pay does; fails unless 204. */
export async function deliverNotification(url: string, notification: CapturedNotification): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: notification.headers, body: notification.body });
  const text = await response.text();
  if (response.status !== 204) throw new Error(`POST ${new URL(url).pathname} answered ${response.status}: ${text}`);
}

/**
 * Genuine REFUND.SUCCESS notifications for refunds our API recorded (orders REFUNDING, refunds REQUESTED), captured
 * instead of delivered: each refund is executed as the refund executor consumer executes it (the same use case on
 * the same adapters, in this process), but with a notify_url of ours, so that WeChat Pay (the stand-in) takes it,
 * answers PROCESSING (recorded on the refund) and, once it succeeds, signs and encrypts its notification. Capture
 * them right before use, as payment notifications.
 */
export async function captureRefundNotifications(orders: Array<{ id: string }>): Promise<CapturedNotification[]> {
  // Loaded here, after the benchmark pointed the environment at its services: configuration is read at first use.
  const { refundDeps } = await import('../../shared/composition/wechat-pay');
  const { executeRefund } = await import('../../shared/use-cases/refunds/refund-consumers');
  const { orderRefundNo } = await import('../../shared/domain/payment/payment');
  const receiver = await startNotifyReceiver(() => 204);
  try {
    const deps = { ...(await refundDeps()), refundNotifyUrl: receiver.url };
    await inBatches(orders, 20, async (order) => {
      const state = await executeRefund(deps, { orderId: order.id, outRefundNo: orderRefundNo(order.id) });
      if (state !== 'PROCESSING') throw new Error(`refund of ${order.id} answered ${state}, not PROCESSING`);
    });
    return asCaptured(await receiver.waitFor(orders.length, 30_000));
  } finally {
    await receiver.close();
  }
}
