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
    const deliveries = await receiver.waitFor(orders.length, 30_000);
    return deliveries.map(({ headers, body }) => ({
      headers: Object.fromEntries(Object.entries(headers).filter(([name]) => kept(name))) as Record<string, string>,
      body,
    }));
  } finally {
    await receiver.close();
  }
}
