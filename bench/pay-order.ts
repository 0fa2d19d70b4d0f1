// POST /orders/{orderId}/pay, the wx.requestPayment parameters for an unpaid order: latency (p50, p99, mean) of a first
// request (a JSAPI prepay at WeChat Pay, its prepay_id kept on the order) and of a repeat for the same order (the
// stored prepay_id reused, WeChat Pay not called), end to end through the local API gateway, and the round trips on
// their critical path, counted by proxies in front of every dependency (bench/support/flow-bench.ts).
// Starts its own backing services (DynamoDB Local, redis-server, MQ broker, WeChat stand-in).
// Run: npx tsx bench/pay-order.ts [iterations]
import './support/silent-logs';
import { getItem } from '../test/support/dynamo';
import { sandbox } from '../test/support/wechat-pay';
import { runFlowBenchmark } from './support/flow-bench';
import { payOrder, unpaidOrders, type ShopperOrder } from './support/order-states';
import { inBatches } from './support/shoppers';

const SOURCE = 'functions/pay-order/handler.ts, shared/use-cases/payment/start-payment.ts';

type Item = ShopperOrder & { prepay?: string };

runFlowBenchmark<Item>({
  flow: 'POST /orders/{id}/pay',
  noun: 'request',
  kinds: ['first', 'repeat'],
  items: 'unpaid orders, each asked to pay twice (first: prepay at WeChat Pay; repeat: at once, the stored prepay_id)',
  product: 'bench-prepay-latte',
  shopperPrefix: 'bench-prepayer',
  prepare: unpaidOrders,
  async send(_ctx, api, kind, item) {
    const params = await payOrder(api, item);
    if (kind === 'first') item.prepay = params.package;
    else if (params.package !== item.prepay) throw new Error(`the repeat for ${item.order.id} got ${params.package}, the first ${item.prepay}`);
  },
  expected: {
    // The order (own, WAIT_PAY, before its deadline), the prepay, the conditional write of its prepay_id. The shopper's
    // session was looked up by this warm container within the minute: it is in memory (docs/caching.md, Sessions).
    first: { critical: ['GetItem(orders)', 'pay.prepay', 'UpdateItem(orders)'], others: [], source: SOURCE },
    // A prepay younger than 110 minutes is reused: the order only; the signing is local.
    repeat: { critical: ['GetItem(orders)'], others: [], source: SOURCE },
  },
  async checks(_ctx, timed) {
    const rows = await inBatches(timed, 20, (item) => getItem('orders', { orderId: item.order.id }));
    const kept = rows.filter((row, i) => `prepay_id=${row?.prepay?.prepayId}` === timed[i]?.prepay && row?.status === 'WAIT_PAY').length;
    const trades = await inBatches(timed, 20, async (item) => (await sandbox().trade(item.order.id)).tradeState as string);
    const open = trades.filter((state) => state === 'NOTPAY').length;
    return [`orders asked twice: ${timed.length}; prepay_id kept on the order and given twice: ${kept}; trades open (NOTPAY) at the stand-in: ${open}: ${kept === timed.length && open === timed.length ? 'one prepay each' : 'MISMATCH'}`];
  },
});
