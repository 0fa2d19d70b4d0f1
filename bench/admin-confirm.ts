// POST /admin/orders/{orderId}/confirm, the merchant confirming a paid order (PAID -> CONFIRMED, which brings the
// shopper's notice): latency (p50, p99, mean) end to end through the local API gateway, and the round trips on its
// critical path, counted by proxies in front of every dependency (bench/support/flow-bench.ts).
// Starts its own backing services (DynamoDB Local, redis-server, MQ broker, WeChat stand-in).
// Run: npx tsx bench/admin-confirm.ts [iterations]
import './support/silent-logs';
import { getItem } from '../test/support/dynamo';
import { runFlowBenchmark } from './support/flow-bench';
import { paidOrders, type ShopperOrder } from './support/order-states';
import { inBatches, requestJson } from './support/shoppers';

runFlowBenchmark<ShopperOrder>({
  flow: 'POST /admin/orders/{id}/confirm',
  noun: 'confirm',
  kinds: ['paid'],
  items: 'paid orders (a genuine payment notification delivered to the webhook), each confirmed once with the admin key',
  product: 'bench-confirm-latte',
  shopperPrefix: 'bench-confirmed',
  prepare: paidOrders,
  async send(ctx, api, _kind, { order }) {
    const { status, json } = await requestJson(`${api}/admin/orders/${order.id}/confirm`, { method: 'POST', headers: { 'x-admin-key': ctx.adminKey } });
    if (status !== 200 || json?.status !== 'CONFIRMED') throw new Error(`POST /admin/orders/${order.id}/confirm answered ${status}: ${JSON.stringify(json)}`);
  },
  expected: {
    // The admin key is compared with the ADMIN_API_KEY secret (read once per container: SSM on AWS, the environment
    // here), then confirmOrder: the order, one conditional transaction (the order and its outbox event), the publish;
    // the outbox mark is left in the background.
    paid: {
      critical: ['GetItem(orders)', 'TransactWriteItems(orders+outbox)', 'publish(wx_shop_order_status)'],
      others: ['UpdateItem(outbox)'],
      source: 'functions/admin-confirm-order/handler.ts, shared/use-cases/ordering/confirm-order.ts',
    },
  },
  async checks(_ctx, timed) {
    const statuses = await inBatches(timed, 20, async ({ order }) => (await getItem('orders', { orderId: order.id }))?.status as string);
    const confirmed = statuses.filter((s) => s === 'CONFIRMED').length;
    return [`orders confirmed: ${timed.length}; CONFIRMED: ${confirmed}: ${confirmed === timed.length ? 'each confirmed' : 'MISMATCH'}`];
  },
});
