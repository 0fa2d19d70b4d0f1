// POST /orders/{orderId}/cancel, the shopper cancelling an unpaid order whose WeChat Pay trade is open (it was asked
// to pay once): latency (p50, p99, mean) end to end through the local API gateway, and the round trips on its
// critical path, counted by proxies in front of every dependency (bench/support/flow-bench.ts). Before cancelling, the
// function queries the trade (a payment already made wins) and closes it, so that no payment lands after the cancel.
// Starts its own backing services (DynamoDB Local, redis-server, MQ broker, WeChat stand-in).
// Run: npx tsx bench/cancel-order.ts [iterations]
import './support/silent-logs';
import { getItem } from '../test/support/dynamo';
import { sandbox } from '../test/support/wechat-pay';
import { runFlowBenchmark } from './support/flow-bench';
import { stockOf } from './support/orders';
import { prepaidOrders, type ShopperOrder } from './support/order-states';
import { inBatches, requestJson } from './support/shoppers';

const STOCK_REFRESH = 'MULTI DEL(wx-shop:store-cache:v1:products) INCR(wx-shop:store-cache:v1) EXEC';
const STATUS_PUBLISH = 'publish(wx_shop_order_status)';

runFlowBenchmark<ShopperOrder>({
  flow: 'POST /orders/{id}/cancel',
  noun: 'cancel',
  kinds: ['prepaid'],
  items: 'unpaid orders with an open WeChat Pay trade (each asked to pay once), each cancelled by its shopper',
  product: 'bench-cancel-latte',
  shopperPrefix: 'bench-canceller',
  prepare: prepaidOrders,
  async send(_ctx, api, _kind, { order, shopper }) {
    const { status, json } = await requestJson(`${api}/orders/${order.id}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${shopper.token}` } });
    if (status !== 200 || json?.status !== 'CANCELLED') throw new Error(`POST /orders/${order.id}/cancel answered ${status}: ${JSON.stringify(json)}`);
  },
  expected: {
    // cancelOrderByUser -> cancelUnpaid -> closeAtWechatPay (query, then close) -> orders.cancel (one transaction:
    // the order, its stock back, its outbox event) -> dispatch (publish; the outbox mark left in the background) in
    // parallel with the stock cache's invalidation. The session is in the warm container's memory.
    prepaid: {
      critical: ['GetItem(orders)', 'pay.query', 'pay.close', 'TransactWriteItems(orders+products+outbox)', [STATUS_PUBLISH, STOCK_REFRESH]],
      others: ['UpdateItem(outbox)'],
      source: 'functions/cancel-order/handler.ts, shared/use-cases/ordering/cancel-order.ts',
    },
  },
  async checks(ctx, timed) {
    const statuses = await inBatches(timed, 20, async ({ order }) => (await getItem('orders', { orderId: order.id }))?.status as string);
    const trades = await inBatches(timed, 20, async ({ order }) => (await sandbox().trade(order.id)).tradeState as string);
    const cancelled = statuses.filter((s) => s === 'CANCELLED').length;
    const closed = trades.filter((s) => s === 'CLOSED').length;
    const stock = await stockOf(ctx.product);
    return [
      `orders cancelled: ${timed.length}; CANCELLED: ${cancelled}; trades CLOSED at the stand-in: ${closed}: ${cancelled === timed.length && closed === timed.length ? 'each closed, then cancelled' : 'MISMATCH'}`,
      `stock: ${ctx.stockAtStart} at the start, ${stock} at the end, every order placed cancelled: ${stock === ctx.stockAtStart ? 'each unit given back once' : 'MISMATCH'}`,
    ];
  },
});
