// POST /wxpay/refund-notify, WeChat Pay's refund notification: latency (p50, p99, mean) of a first delivery (the
// refund SUCCESS, the order REFUNDING -> REFUNDED) and of a duplicate (the same notification again, which changes
// nothing), end to end through the local API gateway, and the round trips on their critical path, counted by proxies
// in front of every dependency (bench/support/flow-bench.ts). The notifications are genuine: each order is paid and
// refunded through the API, its refund executed as the executor consumer executes it but with a notify_url of ours,
// and the stand-in's signed and encrypted REFUND.SUCCESS captured (bench/support/notifications.ts); its very bytes
// are delivered to the webhook, so that only the webhook is timed.
// Starts its own backing services (DynamoDB Local, redis-server, MQ broker, WeChat stand-in).
// Run: npx tsx bench/refund-callback.ts [iterations]
import './support/silent-logs';
import { getItem } from '../test/support/dynamo';
import { orderRefundNo } from '../shared/domain/payment/payment';
import { runFlowBenchmark } from './support/flow-bench';
import { captureRefundNotifications, deliverNotification, type CapturedNotification } from './support/notifications';
import { refundingOrders } from './support/order-states';
import { inBatches } from './support/shoppers';

const SOURCE = 'functions/wxpay-refund-notify/handler.ts, shared/use-cases/payment/payment-webhook.ts, settle-refund.ts';

type Item = { orderId: string; notification: CapturedNotification };

runFlowBenchmark<Item>({
  flow: 'POST /wxpay/refund-notify',
  noun: 'callback',
  kinds: ['first', 'duplicate'],
  items: 'genuine REFUND.SUCCESS notifications, each delivered twice (first: REFUNDING -> REFUNDED; duplicate: the same bytes again)',
  product: 'bench-refund-notify-latte',
  shopperPrefix: 'bench-refund-payer',
  async prepare(ctx, count) {
    const orders = await refundingOrders(ctx, count);
    const notifications = await captureRefundNotifications(orders.map((o) => o.order));
    // The notification's resource is encrypted: which order it is for is checked after the run, from the records.
    return notifications.map((notification, i) => ({ orderId: (orders[i] as (typeof orders)[number]).order.id, notification }));
  },
  send: (_ctx, api, _kind, item) => deliverNotification(`${api}/wxpay/refund-notify`, item.notification),
  expected: {
    // Verified locally (signature, decryption), then settleRefund: the refund record and its order at once (both
    // keyed by the notification's out_trade_no), one conditional transaction (refund, order, outbox event), the
    // publish of OrderStatusChanged REFUNDED; the outbox mark left in the background.
    first: {
      critical: [['GetItem(refunds)', 'GetItem(orders)'], 'TransactWriteItems(refunds+orders+outbox)', 'publish(wx_shop_order_status)'],
      others: ['UpdateItem(outbox)'],
      source: SOURCE,
    },
    // The record already says SUCCESS: DUPLICATE once both are read.
    duplicate: { critical: [['GetItem(refunds)', 'GetItem(orders)']], others: [], source: SOURCE },
  },
  async checks(_ctx, timed) {
    const rows = await inBatches(timed, 20, async ({ orderId }) => ({
      order: (await getItem('orders', { orderId }))?.status as string,
      refund: (await getItem('refunds', { orderId, outRefundNo: orderRefundNo(orderId) }))?.status as string,
    }));
    const refunded = rows.filter((r) => r.order === 'REFUNDED').length;
    const succeeded = rows.filter((r) => r.refund === 'SUCCESS').length;
    return [`refunds notified twice: ${timed.length}; orders REFUNDED: ${refunded}; refund records SUCCESS: ${succeeded}: ${refunded === timed.length && succeeded === timed.length ? 'each settled once' : 'MISMATCH'}`];
  },
});
