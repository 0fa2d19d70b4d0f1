// POST /orders/{orderId}/refund, the shopper asking for a full refund of a paid order (202): latency (p50, p99, mean)
// end to end through the local API gateway, and the round trips on its critical path, counted by proxies in front of
// every dependency (bench/support/flow-bench.ts). The refund goes through a transactional message: the half message
// OrderRefunded, the local transaction (the order REFUNDING, the refund record, the outbox event), the commit; no
// consumer runs here, so the refund is only requested, never executed.
// Starts its own backing services (DynamoDB Local, redis-server, MQ broker, WeChat stand-in).
// Run: npx tsx bench/refund-order.ts [iterations]
import './support/silent-logs';
import { getItem } from '../test/support/dynamo';
import { orderRefundNo } from '../shared/domain/payment/payment';
import { runFlowBenchmark } from './support/flow-bench';
import { paidOrders, requestRefund, type ShopperOrder } from './support/order-states';
import { inBatches } from './support/shoppers';

runFlowBenchmark<ShopperOrder>({
  flow: 'POST /orders/{id}/refund',
  noun: 'refund request',
  kinds: ['paid'],
  items: 'paid orders (a genuine payment notification delivered to the webhook), each refunded once at its shopper\'s request',
  product: 'bench-refund-latte',
  shopperPrefix: 'bench-refunder',
  prepare: paidOrders,
  send: (_ctx, api, _kind, order) => requestRefund(api, order),
  expected: {
    // requestRefund: the order, the half message, the local transaction (order, refund record, outbox event), then
    // the commit and the dispatch of OrderStatusChanged REFUNDING at once (the outbox mark left in the background).
    // The session is in the warm container's memory.
    paid: {
      critical: ['GetItem(orders)', 'publish half(wx_shop_order_tx)', 'TransactWriteItems(orders+refunds+outbox)', ['commit(wx_shop_order_tx)', 'publish(wx_shop_order_status)']],
      others: ['UpdateItem(outbox)'],
      source: 'functions/refund-order/handler.ts, shared/use-cases/refunds/request-refund.ts',
    },
  },
  async checks(_ctx, timed) {
    const rows = await inBatches(timed, 20, async ({ order }) => ({
      order: (await getItem('orders', { orderId: order.id }))?.status as string,
      refund: (await getItem('refunds', { orderId: order.id, outRefundNo: orderRefundNo(order.id) }))?.status as string,
    }));
    const refunding = rows.filter((r) => r.order === 'REFUNDING').length;
    const requested = rows.filter((r) => r.refund === 'REQUESTED').length;
    return [`orders refunded: ${timed.length}; REFUNDING: ${refunding}; refund records REQUESTED: ${requested}: ${refunding === timed.length && requested === timed.length ? 'each requested once' : 'MISMATCH'}`];
  },
});
